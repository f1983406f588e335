import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { billingWebhookEvents, pendingInvoiceItems } from "../../../../schema/billing";
import worker from "../../../index";
import { PLANS } from "../plans";
import { createPaypalSigner, signPaypalPayload } from "../paypal/signature";
import { signStripePayload, verifyStripeSignature } from "../stripe/signature";
import { getDb } from "../../../platform/db";
import { FakePaypal, installFakes, makeTestCa, PAYPAL } from "./billing-fakes";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";

const NEW = "whsec_new_0123456789abcdef";
const OLD = "whsec_old_fedcba9876543210";
const stripeEnv = { ...env, STRIPE_WEBHOOK_SECRETS: `${NEW},${OLD}` };
const db = () => getDb(env.DB);
const sec = (ms: number) => Math.floor(ms / 1000);

async function post(path: string, body: string, headers: Record<string, string>, e: object = stripeEnv) {
  const res = await worker.fetch(
    new Request(`http://weft.test${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body }),
    e as typeof env,
    createExecutionContext(),
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const postStripe = async (event: object, secret = NEW, t?: number, tamper?: (s: string) => string) => {
  const body = JSON.stringify(event);
  const sig = await signStripePayload(body, secret, t);
  return post("/webhooks/stripe", tamper ? tamper(body) : body, { "Stripe-Signature": sig });
};

// The billing period runs around the test's own clock: a fixed calendar month made the proration
// (which credits only the unused rest of the period) zero once that month had passed.
const PERIOD_START = Date.now() - 10 * 86_400_000;
const subEvent = (u: TestUser, id: string, createdMs: number, plan: string, seats: number, status = "active") => ({
  id,
  object: "event",
  type: "customer.subscription.updated",
  created: sec(createdMs),
  data: {
    object: {
      id: `sub_${u.tenantId}`,
      object: "subscription",
      customer: `cus_${u.tenantId}`,
      status,
      metadata: { tenant_id: u.tenantId },
      cancel_at_period_end: false,
      items: {
        data: [
          {
            id: "si_1",
            quantity: 1,
            price: { id: `price_${plan}`, lookup_key: `weft_${plan}_month` },
            current_period_start: sec(PERIOD_START),
            current_period_end: sec(PERIOD_START + 30 * 86_400_000),
          },
          ...(seats > PLANS[plan as "starter"].includedSeats
            ? [
                {
                  id: "si_2",
                  quantity: seats - PLANS[plan as "starter"].includedSeats,
                  price: { id: "price_seat", lookup_key: `weft_${plan}_seat_month` },
                },
              ]
            : []),
        ],
      },
    },
  },
});
const billing = async (u: TestUser) => (await callJson("/api/v1/billing", { token: u.accessToken, tenant: u.tenantId, ip: u.ip })).body;

describe("Stripe signature scheme", () => {
  it("accepts the header Stripe sends and rejects tampering, wrong secrets and stale timestamps", async () => {
    const body = '{"id":"evt_1"}';
    const now = 1_800_000_000;
    const header = await signStripePayload(body, NEW, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(await verifyStripeSignature(body, header, [NEW], { nowSeconds: now })).toEqual({ ok: true, timestamp: now });
    expect(await verifyStripeSignature(`${body} `, header, [NEW], { nowSeconds: now })).toMatchObject({ ok: false, reason: "no_match" });
    expect(await verifyStripeSignature(body, header, [OLD], { nowSeconds: now })).toMatchObject({ ok: false, reason: "no_match" });
    expect(await verifyStripeSignature(body, header, [NEW], { nowSeconds: now + 301 })).toMatchObject({ ok: false, reason: "expired" });
    expect(await verifyStripeSignature(body, header, [NEW], { nowSeconds: now + 300 })).toMatchObject({ ok: true });
    expect(await verifyStripeSignature(body, "t=abc,v1=zz", [NEW])).toMatchObject({ ok: false, reason: "malformed" });
    expect(await verifyStripeSignature(body, null, [NEW])).toMatchObject({ ok: false, reason: "missing" });
    // Several v1 signatures (Stripe sends one per active secret while rolling): any match counts.
    const other = (await signStripePayload(body, OLD, now)).split(",")[1];
    expect(await verifyStripeSignature(body, `${header},${other}`, [OLD], { nowSeconds: now })).toMatchObject({ ok: true });
  });

  it("matches the known HMAC-SHA256 vector (RFC 4231 case 2 key/data shape)", async () => {
    // HMAC-SHA256("Jefe", "what do ya want for nothing?") from RFC 4231 §4.3, via the t.payload construction.
    const header = await signStripePayload("ya want for nothing?", "Jefe", 0);
    // "0.ya want for nothing?" differs from the RFC message, so check the RFC vector directly too:
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("Jefe"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = [...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("what do ya want for nothing?")))]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    expect(mac).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    expect(header.startsWith("t=0,v1=")).toBe(true);
  });
});

describe("POST /webhooks/stripe", () => {
  it("applies a valid event; tampered body, wrong secret and expired timestamp are 400 and change nothing", async () => {
    const u = await signUp();
    const ev = subEvent(u, `evt_valid_${u.tenantId}`, Date.now(), "starter", 3);
    expect((await postStripe(ev, NEW, undefined, (s) => s.replace("weft_starter_month", "weft_enterprise_month"))).status).toBe(400);
    const wrong = await postStripe(ev, "whsec_attacker");
    expect(wrong.status).toBe(400);
    expect(wrong.body.type).toBe("https://weft.dev/problems/invalid-signature");
    expect((await postStripe(ev, NEW, sec(Date.now()) - 600)).status).toBe(400);
    expect((await post("/webhooks/stripe", JSON.stringify(ev), {})).status).toBe(400);
    expect((await billing(u)).subscription.plan).toBe("free");
    expect(await db().select().from(billingWebhookEvents).where(eq(billingWebhookEvents.eventId, ev.id))).toHaveLength(0);

    const ok = await postStripe(ev);
    expect(ok).toMatchObject({ status: 200, body: { received: true, duplicate: false, outcome: "applied" } });
    expect((await billing(u)).subscription).toMatchObject({ plan: "starter", provider: "stripe", status: "active" });
  });

  it("accepts events signed with the previous secret during rotation", async () => {
    const u = await signUp();
    const r = await postStripe(subEvent(u, `evt_rot_${u.tenantId}`, Date.now(), "professional", 12), OLD);
    expect(r.status).toBe(200);
    expect((await billing(u)).subscription).toMatchObject({ plan: "professional", seats: 12 });
  });

  it("acknowledges a replayed event without changing anything", async () => {
    const u = await signUp();
    await postStripe(subEvent(u, `evt_a_${u.tenantId}`, Date.now() - 5000, "starter", 3));
    const up = subEvent(u, `evt_b_${u.tenantId}`, Date.now(), "professional", 10);
    expect((await postStripe(up)).body.duplicate).toBe(false);
    const items = async () => db().select().from(pendingInvoiceItems).where(eq(pendingInvoiceItems.tenantId, u.tenantId));
    const prorations = (await items()).length;
    expect(prorations).toBe(2); // credit for Starter + charge for Professional
    const replay = await postStripe(up);
    expect(replay).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await items()).toHaveLength(prorations);
    expect(
      await db()
        .select()
        .from(billingWebhookEvents)
        .where(and(eq(billingWebhookEvents.provider, "stripe"), eq(billingWebhookEvents.eventId, up.id))),
    ).toHaveLength(1);
  });

  it("ignores an older event that arrives after a newer one", async () => {
    const u = await signUp();
    const t = Date.now();
    await postStripe(subEvent(u, `evt_new_${u.tenantId}`, t, "enterprise", 30));
    const late = await postStripe(subEvent(u, `evt_old_${u.tenantId}`, t - 60_000, "starter", 3));
    expect(late).toMatchObject({ status: 200, body: { outcome: "ignored_stale" } });
    expect((await billing(u)).subscription).toMatchObject({ plan: "enterprise", seats: 30 });
    // A late payment_failed for an invoice already paid does not reopen it.
    const inv = {
      id: `in_${u.tenantId}`,
      object: "invoice",
      customer: `cus_${u.tenantId}`,
      amount_due: 4900,
      period_start: sec(Date.UTC(2030, 0, 1)),
      period_end: sec(Date.UTC(2030, 1, 1)),
      metadata: { tenant_id: u.tenantId },
    };
    await postStripe({ id: `evt_paid_${u.tenantId}`, object: "event", type: "invoice.paid", created: sec(t), data: { object: inv } });
    const failedLate = await postStripe({
      id: `evt_fail_${u.tenantId}`,
      object: "event",
      type: "invoice.payment_failed",
      created: sec(t - 1000),
      data: { object: inv },
    });
    expect(failedLate.body.outcome).toBe("ignored_stale");
    const list = await callJson("/api/v1/billing/invoices", { token: u.accessToken, tenant: u.tenantId, ip: u.ip });
    expect(list.body.data[0]).toMatchObject({ status: "paid", provider_invoice_id: inv.id, total_cents: 4900 });
    expect((await billing(u)).subscription.status).toBe("active");
  });

  it("deleted subscription returns the workspace to Free", async () => {
    const u = await signUp();
    const t = Date.now();
    await postStripe(subEvent(u, `evt_s_${u.tenantId}`, t - 1000, "starter", 3));
    const del = subEvent(u, `evt_d_${u.tenantId}`, t, "starter", 3, "canceled");
    (del as any).type = "customer.subscription.deleted";
    expect((await postStripe(del)).body.outcome).toBe("applied");
    expect((await billing(u)).subscription).toMatchObject({ plan: "free", provider: "none" });
  });
});

describe("POST /webhooks/paypal", () => {
  let fake: FakePaypal;
  let restore: () => void;
  beforeAll(async () => {
    fake = await new FakePaypal().init();
  });
  afterEach(() => restore?.());
  const paypalEnv = (verify = "local", roots: string | null = fake.rootPem) => ({
    ...env,
    PAYPAL_CLIENT_ID: PAYPAL.id,
    PAYPAL_CLIENT_SECRET: PAYPAL.secret,
    PAYPAL_WEBHOOK_ID: PAYPAL.webhookId,
    PAYPAL_WEBHOOK_VERIFY: verify,
    ...(roots ? { PAYPAL_CERT_ROOTS: roots } : {}),
  });
  const activated = (u: TestUser, id: string, createMs = Date.now()) => ({
    id,
    event_type: "BILLING.SUBSCRIPTION.ACTIVATED",
    create_time: new Date(createMs).toISOString(),
    resource_type: "subscription",
    resource: {
      id: `I-${u.tenantId.slice(-10)}`,
      status: "ACTIVE",
      plan_id: "P-1",
      custom_id: `${u.tenantId}|starter|month|3`,
      billing_info: { next_billing_time: "2030-01-01T00:00:00Z" },
    },
  });

  for (const verify of ["local", "api"]) {
    it(`verifies the transmission signature (${verify === "local" ? "CRC32 + certificate" : "verify-webhook-signature API"})`, async () => {
      restore = installFakes({ paypal: fake });
      const u = await signUp();
      const body = JSON.stringify(activated(u, `WH-${verify}-${u.tenantId}`));
      const headers = await signPaypalPayload(fake.signer, body, PAYPAL.webhookId, fake.certUrl);
      expect((await post("/webhooks/paypal", body.replace('"ACTIVE"', '"SUSPENDED"'), headers, paypalEnv(verify))).status).toBe(400);
      const otherWebhook = await signPaypalPayload(fake.signer, body, "WH-SOMEONE-ELSE", fake.certUrl);
      expect((await post("/webhooks/paypal", body, otherWebhook, paypalEnv(verify))).status).toBe(400);
      expect((await billing(u)).subscription.plan).toBe("free");
      const ok = await post("/webhooks/paypal", body, headers, paypalEnv(verify));
      expect(ok).toMatchObject({ status: 200, body: { outcome: "applied" } });
      expect((await billing(u)).subscription).toMatchObject({ plan: "starter", provider: "paypal", seats: 3 });
      expect((await post("/webhooks/paypal", body, headers, paypalEnv(verify))).body.duplicate).toBe(true);
    });
  }

  it("rejects certificates from hosts other than PayPal's and stale transmissions", async () => {
    restore = installFakes({ paypal: fake });
    const u = await signUp();
    const body = JSON.stringify(activated(u, `WH-host-${u.tenantId}`));
    const evil = await signPaypalPayload(fake.signer, body, PAYPAL.webhookId, "https://evil.example/cert.pem");
    expect((await post("/webhooks/paypal", body, evil, paypalEnv())).body.detail).toContain("bad_cert_url");
    const old = await signPaypalPayload(fake.signer, body, PAYPAL.webhookId, fake.certUrl, Date.now() - 3_600_000);
    expect((await post("/webhooks/paypal", body, old, paypalEnv())).body.detail).toContain("expired");
    // Signed by a key that is not the one in the certificate.
    const impostor = await new FakePaypal().init();
    const forged = await signPaypalPayload(impostor.signer, body, PAYPAL.webhookId, fake.certUrl);
    expect((await post("/webhooks/paypal", body, forged, paypalEnv())).status).toBe(400);
    expect((await billing(u)).subscription.plan).toBe("free");
  });

  it("the signing certificate must chain to the trusted root: self-signed leaf, unknown root and the pinned DigiCert roots refuse a test CA", async () => {
    restore = installFakes({ paypal: fake });
    const u = await signUp();
    const body = JSON.stringify(activated(u, `WH-chain-${u.tenantId}`));
    // The right key, but in a self-signed certificate instead of one issued by the CA.
    const selfSigned = await createPaypalSigner("messageverificationcerts.sandbox.paypal.com");
    const selfUrl = `https://api.sandbox.paypal.com/v1/notifications/certs/CERT-self-${u.tenantId}`;
    fake.certs.set(selfUrl, selfSigned.certPem);
    const r1 = await post("/webhooks/paypal", body, await signPaypalPayload(selfSigned, body, PAYPAL.webhookId, selfUrl), paypalEnv());
    expect(r1.status).toBe(400);
    expect(r1.body.detail).toContain("untrusted_cert");
    // A valid chain, but to a root we do not trust.
    const other = await makeTestCa("Other");
    const otherUrl = `https://api.sandbox.paypal.com/v1/notifications/certs/CERT-other-${u.tenantId}`;
    fake.certs.set(otherUrl, other.bundle);
    const r2 = await post("/webhooks/paypal", body, await signPaypalPayload(other.signer, body, PAYPAL.webhookId, otherUrl), paypalEnv());
    expect(r2.body.detail).toContain("untrusted_cert: no path to a trusted root");
    // Only the leaf (intermediate missing): no path.
    const leafOnlyUrl = `https://api.sandbox.paypal.com/v1/notifications/certs/CERT-leaf-${u.tenantId}`;
    fake.certs.set(leafOnlyUrl, fake.signer.certPem.slice(0, fake.signer.certPem.indexOf("-----END CERTIFICATE-----") + 26));
    const r3 = await post("/webhooks/paypal", body, await signPaypalPayload(fake.signer, body, PAYPAL.webhookId, leafOnlyUrl), paypalEnv());
    expect(r3.body.detail).toContain("untrusted_cert");
    // Without an override the pinned DigiCert roots apply, and the test CA is not one of them.
    const r4 = await post(
      "/webhooks/paypal",
      body,
      await signPaypalPayload(fake.signer, body, PAYPAL.webhookId, fake.certUrl),
      paypalEnv("local", null),
    );
    expect(r4.body.detail).toContain("untrusted_cert");
    expect((await billing(u)).subscription.plan).toBe("free");
    // The same event with the trusted chain is accepted.
    expect(
      (await post("/webhooks/paypal", body, await signPaypalPayload(fake.signer, body, PAYPAL.webhookId, fake.certUrl), paypalEnv()))
        .status,
    ).toBe(200);
    expect((await billing(u)).subscription.plan).toBe("starter");
  });

  it("is not accepted at all without PayPal configuration (outside the simulator)", async () => {
    const u = await signUp();
    const body = JSON.stringify(activated(u, `WH-none-${u.tenantId}`));
    const headers = await signPaypalPayload(fake.signer, body, PAYPAL.webhookId, fake.certUrl);
    expect((await post("/webhooks/paypal", body, headers, env)).status).toBe(503);
  });
});
