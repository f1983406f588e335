import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageEvents, messageSuppressions } from "../../../../schema/messaging";
import { twilioSignature } from "../callbacks/verify";
import { toBase64 } from "../../../platform/crypto";
import { getDb } from "../../../platform/db";
import { CREDS, FakeProviders } from "./fake-providers";
import { BASE, callJson, signUp, type TestUser } from "../../../../test/helpers";
import { pathOf, post, sendgridKeys, sentRow, statusOf, svix } from "./callback-fixtures";

/**
 * Providers' delivery callbacks with signatures computed for real: Svix (Resend), ECDSA P-256
 * (SendGrid, key generated here), basic auth (Postmark), HMAC-SHA1 (Twilio).
 */
const db = () => getDb(env.DB);
const fake = new FakeProviders();
beforeAll(() => void fake.install());
afterAll(() => fake.uninstall());

const asOwner = (u: TestUser, path: string, body?: unknown, method?: string) =>
  callJson(path, { token: u.accessToken, tenant: u.tenantId, body, method, ip: u.ip });
const RESEND_SECRET = `whsec_${toBase64(new TextEncoder().encode("resend-callback-secret-0123456789"))}`;

async function addProvider(u: TestUser, body: Record<string, unknown>) {
  const r = await asOwner(u, "/api/v1/messaging/providers", body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; webhook_url: string };
}

describe("Resend (Svix-signed) callbacks", () => {
  it("moves sent → delivered; replay, tampering, wrong secret and out-of-order events change nothing", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "resend",
      from: "a@acme.test",
      credentials: { api_key: CREDS.resend, webhook_secret: RESEND_SECRET },
      enabled: false,
    });
    expect(acct.webhook_url).toContain(`/webhooks/messaging/resend/${acct.id}`);
    const path = pathOf(acct.webhook_url);
    const msg = await sentRow(u, "resend", "re-email-1");
    const delivered = await svix(RESEND_SECRET, {
      type: "email.delivered",
      created_at: new Date().toISOString(),
      data: { email_id: "re-email-1", to: [msg.recipient] },
    });

    // Tampered body: the signature no longer matches.
    const tampered = await post(path, delivered.body.replace("email.delivered", "email.bounced"), delivered.headers);
    expect(tampered.status).toBe(401);
    // Wrong secret.
    const wrong = await svix(`whsec_${toBase64(new TextEncoder().encode("another-secret-entirely-000"))}`, {
      type: "email.delivered",
      data: { email_id: "re-email-1" },
    });
    expect((await post(path, wrong.body, wrong.headers)).status).toBe(401);
    // Stale timestamp (outside the 5-minute tolerance).
    const stale = await svix(
      RESEND_SECRET,
      { type: "email.delivered", data: { email_id: "re-email-1" } },
      { ts: Math.floor(Date.now() / 1000) - 3600 },
    );
    expect((await post(path, stale.body, stale.headers)).status).toBe(401);
    expect((await statusOf(msg.id)).status).toBe("sent");

    const ok = await post(path, delivered.body, delivered.headers);
    expect(ok).toMatchObject({ status: 200, body: { received: 1, applied: 1, duplicates: 0 } });
    expect(await statusOf(msg.id)).toMatchObject({ status: "delivered" });
    expect((await statusOf(msg.id)).deliveredAt).toBeTypeOf("number");

    // Replay of the same svix-id: acknowledged, recorded once.
    const replay = await post(path, delivered.body, delivered.headers);
    expect(replay).toMatchObject({ status: 200, body: { duplicates: 1, applied: 0 } });
    expect(
      await db()
        .select()
        .from(messageEvents)
        .where(and(eq(messageEvents.account, acct.id), eq(messageEvents.messageId, msg.id))),
    ).toHaveLength(1);

    // Out of order: a late "sent" after "delivered" does not move it back.
    const late = await svix(RESEND_SECRET, { type: "email.sent", data: { email_id: "re-email-1" } });
    expect(await post(path, late.body, late.headers)).toMatchObject({ status: 200, body: { applied: 0, duplicates: 0 } });
    expect((await statusOf(msg.id)).status).toBe("delivered");

    // The delivery log shows what the provider reported, and which events changed nothing.
    const detail = await asOwner(u, `/api/v1/messages/${msg.id}`);
    expect(detail.body.provider_events).toEqual([
      expect.objectContaining({ type: "delivered", provider: "resend", applied: true }),
      expect.objectContaining({ type: "sent", provider: "resend", applied: false }),
    ]);
  });

  it("a hard bounce marks the message bounced and suppresses the address: the next send() is logged as suppressed", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "resend",
      from: "a@acme.test",
      credentials: { api_key: CREDS.resend, webhook_secret: RESEND_SECRET },
      enabled: false,
    });
    const hookUrl = `https://hooks.example.org/failed/${Date.now()}`;
    const ep = await asOwner(u, "/api/v1/webhook-endpoints", { url: hookUrl, event_types: ["message.failed"] });
    const receiver = {
      secret: ep.body.secret as string,
      received: [] as { headers: Record<string, string>; body: string; verified: boolean }[],
      status: [] as number[],
    };
    fake.webhookReceivers.set(hookUrl, receiver);
    const msg = await sentRow(u, "resend", "re-email-bounce");
    const ev = await svix(RESEND_SECRET, {
      type: "email.bounced",
      data: {
        email_id: "re-email-bounce",
        to: [msg.recipient],
        bounce: { type: "Permanent", subType: "General", message: "mailbox does not exist" },
      },
    });
    expect(await post(pathOf(acct.webhook_url), ev.body, ev.headers)).toMatchObject({ status: 200, body: { applied: 1 } });
    expect(await statusOf(msg.id)).toMatchObject({ status: "bounced" });
    expect((await statusOf(msg.id)).lastError).toContain("mailbox does not exist");
    const sup = await db()
      .select()
      .from(messageSuppressions)
      .where(and(eq(messageSuppressions.tenantId, u.tenantId), eq(messageSuppressions.recipient, msg.recipient)))
      .get();
    expect(sup).toMatchObject({ reason: "hard_bounce", channel: "email" });
    // The workspace's endpoint hears about it: message.failed, signed, once.
    for (let i = 0; i < 200 && !receiver.received.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.verified).toBe(true);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      type: "message.failed",
      data: { message_id: msg.id, channel: "email", recipient: msg.recipient },
    });

    // A later "delivered" for the same message (out of order) does not undo the bounce.
    const lateDelivered = await svix(RESEND_SECRET, { type: "email.delivered", data: { email_id: "re-email-bounce" } });
    expect(await post(pathOf(acct.webhook_url), lateDelivered.body, lateDelivered.headers)).toMatchObject({
      status: 200,
      body: { applied: 0 },
    });
    expect((await statusOf(msg.id)).status).toBe("bounced");

    const r = await asOwner(u, "/api/v1/messages", {
      to: { email: msg.recipient },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "today" },
    });
    expect(r.status).toBe(202);
    const id = r.body.data[0].id as string;
    for (let i = 0; i < 300 && !["suppressed", "delivered", "sent", "failed"].includes((await statusOf(id)).status); i++)
      await new Promise((res) => setTimeout(res, 50));
    expect(await statusOf(id)).toMatchObject({ status: "suppressed" });
    expect((await statusOf(id)).lastError).toMatch(/suppressed/i);

    // The workspace sees the suppression and can lift it; sends resume.
    const list = await asOwner(u, `/api/v1/messaging/suppressions?recipient=${encodeURIComponent(msg.recipient)}`);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        recipient: msg.recipient,
        channel: "email",
        reason: "hard_bounce",
        provider: "resend",
        message_id: msg.id,
      }),
    ]);
    expect(
      (await asOwner(u, `/api/v1/messaging/suppressions/email/${encodeURIComponent(msg.recipient)}`, undefined, "DELETE")).status,
    ).toBe(204);
    expect(
      (await asOwner(u, `/api/v1/messaging/suppressions/email/${encodeURIComponent(msg.recipient)}`, undefined, "DELETE")).status,
    ).toBe(404);
    const again = await asOwner(u, "/api/v1/messages", {
      to: { email: msg.recipient },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "today" },
    });
    const id2 = again.body.data[0].id as string;
    for (let i = 0; i < 300 && !["suppressed", "delivered", "sent", "failed"].includes((await statusOf(id2)).status); i++)
      await new Promise((res) => setTimeout(res, 50));
    expect((await statusOf(id2)).status).toBe("delivered");
  });

  it("another workspace's account cannot report on this workspace's messages", async () => {
    const a = await signUp();
    const b = await signUp();
    const bAcct = await addProvider(b, {
      provider: "resend",
      from: "b@b.test",
      credentials: { api_key: CREDS.resend, webhook_secret: RESEND_SECRET },
      enabled: false,
    });
    const msg = await sentRow(a, "resend", "re-email-a-only");
    const ev = await svix(RESEND_SECRET, { type: "email.complained", data: { email_id: "re-email-a-only" } });
    expect(await post(pathOf(bAcct.webhook_url), ev.body, ev.headers)).toMatchObject({ status: 200, body: { unmatched: 1, applied: 0 } });
    expect((await statusOf(msg.id)).status).toBe("sent");
  });

  it("unknown accounts are 404 and accounts without a secret cannot be verified", async () => {
    const u = await signUp();
    const noSecret = await addProvider(u, {
      provider: "resend",
      from: "a@acme.test",
      credentials: { api_key: CREDS.resend },
      enabled: false,
    });
    const ev = await svix(RESEND_SECRET, { type: "email.delivered", data: { email_id: "x" } });
    expect((await post("/webhooks/messaging/resend/mpr_does_not_exist", ev.body, ev.headers)).status).toBe(404);
    expect((await post(pathOf(noSecret.webhook_url), ev.body, ev.headers)).status).toBe(401);
    // The platform's accounts: nothing configured in the test environment, so nothing is accepted.
    for (const provider of ["resend", "sendgrid", "postmark"]) {
      const r = await post(`/webhooks/messaging/${provider}/platform`, ev.body, {
        ...ev.headers,
        Authorization: `Basic ${toBase64(new TextEncoder().encode("weft:guess"))}`,
      });
      expect(r.status, provider).toBe(401);
      expect(r.body.type, provider).toContain("callback-not-configured");
    }
  });
});

describe("SendGrid Event Webhook (ECDSA)", () => {
  it("verifies the signature, applies a batch of events and ignores tampered, wrong-key and replayed posts", async () => {
    const u = await signUp();
    const keys = await sendgridKeys();
    const other = await sendgridKeys();
    const acct = await addProvider(u, {
      provider: "sendgrid",
      from: "a@acme.test",
      credentials: { api_key: CREDS.sendgrid, webhook_public_key: keys.publicKey },
      enabled: false,
    });
    const path = pathOf(acct.webhook_url);
    const m1 = await sentRow(u, "sendgrid", "sgid-1");
    const m2 = await sentRow(u, "sendgrid", "sgid-2");
    const ts = String(Math.floor(Date.now() / 1000));
    const events = [
      { email: m1.recipient, event: "processed", sg_event_id: "sge-1", sg_message_id: "sgid-1.filter0001.1.2", timestamp: Number(ts) },
      { email: m1.recipient, event: "delivered", sg_event_id: "sge-2", sg_message_id: "sgid-1.filter0001.1.2", timestamp: Number(ts) },
      { email: m2.recipient, event: "spamreport", sg_event_id: "sge-3", sg_message_id: "sgid-2.filter0001.1.2", timestamp: Number(ts) },
    ];
    const body = JSON.stringify(events);
    const headers = (sig: string, t = ts) => ({
      "Content-Type": "application/json",
      "X-Twilio-Email-Event-Webhook-Signature": sig,
      "X-Twilio-Email-Event-Webhook-Timestamp": t,
    });
    const sig = await keys.sign(ts, body);

    expect((await post(path, body.replace("spamreport", "delivered"), headers(sig))).status).toBe(401); // tampered body
    expect((await post(path, body, headers(await other.sign(ts, body)))).status).toBe(401); // signed with another key
    expect((await post(path, body, headers(sig, String(Number(ts) + 1)))).status).toBe(401); // timestamp is part of the signed data
    expect((await statusOf(m1.id)).status).toBe("sent");

    expect(await post(path, body, headers(sig))).toMatchObject({ status: 200, body: { received: 3, applied: 2, duplicates: 0 } });
    expect((await statusOf(m1.id)).status).toBe("delivered");
    expect((await statusOf(m2.id)).status).toBe("complained");
    const sup = await db()
      .select()
      .from(messageSuppressions)
      .where(and(eq(messageSuppressions.tenantId, u.tenantId), eq(messageSuppressions.recipient, m2.recipient)))
      .get();
    expect(sup?.reason).toBe("complaint");

    expect(await post(path, body, headers(sig))).toMatchObject({ status: 200, body: { received: 3, applied: 0, duplicates: 3 } });
  });
});

describe("Postmark (basic auth in the webhook URL)", () => {
  it("accepts the credentials from webhook_url only, and applies Delivery then a hard Bounce", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "postmark",
      from: "a@acme.test",
      credentials: { api_key: CREDS.postmark },
      enabled: false,
    });
    const url = new URL(acct.webhook_url);
    expect(url.username).toBe("weft");
    expect(url.password.length).toBeGreaterThanOrEqual(16);
    const auth = (user: string, pw: string) => `Basic ${toBase64(new TextEncoder().encode(`${user}:${pw}`))}`;
    const msg = await sentRow(u, "postmark", "pm-msg-1");
    const delivery = JSON.stringify({
      RecordType: "Delivery",
      MessageID: "pm-msg-1",
      Recipient: msg.recipient,
      DeliveredAt: new Date().toISOString(),
      Details: "Test delivery",
      Metadata: {},
    });
    expect((await post(url.pathname, delivery, { "Content-Type": "application/json" })).status).toBe(401);
    expect(
      (await post(url.pathname, delivery, { "Content-Type": "application/json", Authorization: auth("weft", `${url.password}x`) })).status,
    ).toBe(401);
    expect(
      await post(url.pathname, delivery, { "Content-Type": "application/json", Authorization: auth("weft", url.password) }),
    ).toMatchObject({ status: 200, body: { applied: 1 } });
    expect((await statusOf(msg.id)).status).toBe("delivered");
    const bounce = JSON.stringify({
      RecordType: "Bounce",
      ID: 4323372036854775807,
      Type: "HardBounce",
      TypeCode: 1,
      MessageID: "pm-msg-1",
      Email: msg.recipient,
      Description: "The server was unable to deliver your message",
      BouncedAt: new Date().toISOString(),
      Inactive: true,
    });
    expect(
      await post(url.pathname, bounce, { "Content-Type": "application/json", Authorization: auth("weft", url.password) }),
    ).toMatchObject({ status: 200, body: { applied: 1 } });
    expect((await statusOf(msg.id)).status).toBe("bounced");
    expect(
      await post(url.pathname, bounce, { "Content-Type": "application/json", Authorization: auth("weft", url.password) }),
    ).toMatchObject({ status: 200, body: { duplicates: 1 } });
  });
});

describe("Twilio SMS status callbacks (X-Twilio-Signature)", () => {
  it("checks the HMAC-SHA1 over URL + sorted params with the account's auth token", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "twilio",
      from: "+15550001111",
      credentials: { account_sid: CREDS.twilioSid, auth_token: CREDS.twilioToken },
      enabled: false,
    });
    const msg = await sentRow(u, "twilio", "SM0123456789abcdef0123456789abcdef", "sms", "+14155550123");
    const url = BASE + pathOf(acct.webhook_url);
    const params = new URLSearchParams({
      MessageSid: "SM0123456789abcdef0123456789abcdef",
      MessageStatus: "delivered",
      To: "+14155550123",
      AccountSid: CREDS.twilioSid,
      ApiVersion: "2010-04-01",
    });
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const good = await twilioSignature(CREDS.twilioToken, url, params);
    expect(
      (
        await post(pathOf(url), params.toString(), {
          ...form,
          "X-Twilio-Signature": await twilioSignature("wrong-token-000000", url, params),
        })
      ).status,
    ).toBe(401);
    const tampered = new URLSearchParams(params);
    tampered.set("MessageStatus", "failed");
    expect((await post(pathOf(url), tampered.toString(), { ...form, "X-Twilio-Signature": good })).status).toBe(401);
    expect(await post(pathOf(url), params.toString(), { ...form, "X-Twilio-Signature": good })).toMatchObject({
      status: 200,
      body: { applied: 1 },
    });
    expect((await statusOf(msg.id)).status).toBe("delivered");

    // Out of order: "sent" arrives after "delivered".
    const sent = new URLSearchParams({ ...Object.fromEntries(params), MessageStatus: "sent" });
    expect(
      await post(pathOf(url), sent.toString(), { ...form, "X-Twilio-Signature": await twilioSignature(CREDS.twilioToken, url, sent) }),
    ).toMatchObject({ status: 200, body: { applied: 0 } });
    expect((await statusOf(msg.id)).status).toBe("delivered");
    // Replay.
    expect(await post(pathOf(url), params.toString(), { ...form, "X-Twilio-Signature": good })).toMatchObject({
      status: 200,
      body: { duplicates: 1 },
    });
  });

  it("an unreachable number (error 30006, landline) is suppressed for SMS", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "twilio",
      from: "+15550001111",
      credentials: { account_sid: CREDS.twilioSid, auth_token: CREDS.twilioToken },
      enabled: false,
    });
    const msg = await sentRow(u, "twilio", "SMffff56789abcdef0123456789abcdef", "sms", "+14155550999");
    const url = BASE + pathOf(acct.webhook_url);
    const params = new URLSearchParams({
      MessageSid: "SMffff56789abcdef0123456789abcdef",
      MessageStatus: "undelivered",
      ErrorCode: "30006",
      To: "+14155550999",
    });
    expect(
      await post(pathOf(url), params.toString(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": await twilioSignature(CREDS.twilioToken, url, params),
      }),
    ).toMatchObject({ status: 200, body: { applied: 1 } });
    expect((await statusOf(msg.id)).status).toBe("bounced");
    const sup = await db()
      .select()
      .from(messageSuppressions)
      .where(and(eq(messageSuppressions.tenantId, u.tenantId), eq(messageSuppressions.recipient, "+14155550999")))
      .get();
    expect(sup).toMatchObject({ channel: "sms", reason: "unreachable" });
  });
});
