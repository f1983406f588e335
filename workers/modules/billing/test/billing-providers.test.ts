import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { billingSubscriptions, usageCounters } from "../../../../schema/billing";
import { billingConfig } from "../config";
import { reportUsageToStripe } from "../cron";
import { consumeQuotaFor } from "../entitlements";
import { createPaypalSubscription, paypalToken } from "../paypal/client";
import { changeStripeSubscription, createStripeCheckout, createStripePortal } from "../stripe/client";
import { getDb } from "../../../platform/db";
import { FakePaypal, FakeStripe, installFakes, parseForm, PAYPAL, STRIPE_KEY } from "./billing-fakes";
import { signUp } from "../../../../test/helpers";

const db = () => getDb(env.DB);
let restore: (() => void) | undefined;
afterEach(() => restore?.());

const stripeCfg = async (base?: string) =>
  (await billingConfig({ ...env, STRIPE_SECRET_KEY: STRIPE_KEY, ...(base ? { STRIPE_API_BASE: base } : {}) } as typeof env)).stripe!;

describe("Stripe adapter (official SDK, fetch client) against a fake Stripe", () => {
  it("creates a Checkout Session with the catalog prices, seats, trial and idempotency key", async () => {
    const stripe = new FakeStripe();
    restore = installFakes({ stripe });
    const cfg = await stripeCfg();
    const out = await createStripeCheckout(cfg, {
      tenantId: "ten_x",
      customerId: null,
      email: "o@example.test",
      plan: "professional",
      interval: "year",
      seats: 14,
      trial: true,
      successUrl: "https://app/s",
      cancelUrl: "https://app/c",
      idempotencyKey: "checkout-ten_x-k1",
    });
    expect(out.url).toBe("https://checkout.stripe.com/c/pay/cs_test_fake");
    const reqs = stripe.requests.map((r) => `${r.method} ${r.url.pathname}`);
    expect(reqs).toEqual(["POST /v1/customers", "GET /v1/prices", "POST /v1/checkout/sessions"]);
    const session = stripe.requests[2]!;
    expect(session.headers.get("Idempotency-Key")).toBe("checkout-ten_x-k1");
    expect(session.headers.get("Stripe-Version")).toMatch(/^\d{4}-\d{2}-\d{2}/);
    const f = parseForm(session.body);
    expect(f.mode).toBe("subscription");
    expect(f.line_items).toEqual({
      "0": { price: "price_weft_professional_year", quantity: "1" },
      "1": { price: "price_weft_professional_seat_year", quantity: "4" },
    });
    expect(f.subscription_data).toMatchObject({
      trial_period_days: "14",
      metadata: { tenant_id: "ten_x", plan: "professional", interval: "year", seats: "14" },
    });
    expect(stripe.requests[0]!.headers.get("Idempotency-Key")).toBe("weft-customer-ten_x");
    // Retrying with the same key returns the same session (the fake honours idempotency like Stripe).
    await createStripeCheckout(cfg, {
      tenantId: "ten_x",
      customerId: out.customerId,
      email: null,
      plan: "professional",
      interval: "year",
      seats: 14,
      trial: true,
      successUrl: "https://app/s",
      cancelUrl: "https://app/c",
      idempotencyKey: "checkout-ten_x-k1",
    });
  });

  it("honours STRIPE_API_BASE (host/port/protocol) for a local Stripe", async () => {
    const stripe = new FakeStripe();
    restore = installFakes({ stripe, stripeHost: "127.0.0.1" });
    const url = await createStripePortal(await stripeCfg("http://127.0.0.1:12111"), "cus_1", "https://app/settings/billing");
    expect(url).toBe("https://billing.stripe.com/p/session/fake");
    expect(stripe.requests[0]!.url.href).toBe("http://127.0.0.1:12111/v1/billing_portal/sessions");
  });

  it("changes plan and seats with proration_behavior=create_prorations, removing the seat item when not needed", async () => {
    const stripe = new FakeStripe();
    restore = installFakes({ stripe });
    stripe.subscriptions.set("sub_1", {
      id: "sub_1",
      object: "subscription",
      items: {
        data: [
          { id: "si_base", quantity: 1, price: { id: "p1", lookup_key: "weft_starter_month" } },
          { id: "si_seat", quantity: 2, price: { id: "p2", lookup_key: "weft_starter_seat_month" } },
        ],
      },
    });
    await changeStripeSubscription(await stripeCfg(), {
      tenantId: "ten_y",
      subscriptionId: "sub_1",
      plan: "professional",
      interval: "month",
      seats: 10,
      idempotencyKey: "chg-1",
    });
    const f = stripe.subscriptions.get("sub_1").last_update;
    expect(f.proration_behavior).toBe("create_prorations");
    expect(f.items).toEqual({
      "0": { id: "si_base", price: "price_weft_professional_month", quantity: "1" },
      "1": { id: "si_seat", deleted: "true" },
    });
    expect(f.metadata).toMatchObject({ plan: "professional", seats: "10" });
  });

  it("reports usage to meter events once per delta; a retried report after a lost response never double-bills", async () => {
    const stripe = new FakeStripe();
    restore = installFakes({ stripe });
    const u = await signUp();
    const now = Date.now();
    await db()
      .insert(billingSubscriptions)
      .values({
        tenantId: u.tenantId,
        plan: "starter",
        interval: "month",
        status: "active",
        seats: 3,
        provider: "stripe",
        providerCustomerId: `cus_${u.tenantId}`,
        providerSubscriptionId: "sub_r",
        periodStart: now,
        periodEnd: now + 1e9,
        stateAt: now,
        createdAt: now,
        updatedAt: now,
        allowOverage: true,
      });
    await consumeQuotaFor(env, u.tenantId, "emails", 700);
    await consumeQuotaFor(env, u.tenantId, "ai_tokens", 12_345);
    const cfg = await billingConfig({ ...env, STRIPE_SECRET_KEY: STRIPE_KEY } as typeof env);
    const mine = () => [...stripe.meterEvents.entries()].filter(([k]) => k.includes(u.tenantId));

    // Stripe records the first event but every response is lost (the SDK retries twice, same identifier).
    stripe.loseResponses = 3;
    const first = await reportUsageToStripe(env, db(), cfg);
    expect(first.failed).toBe(1);
    expect(stripe.requests.filter((r) => r.url.pathname === "/v1/billing/meter_events").length).toBeGreaterThanOrEqual(3);
    const second = await reportUsageToStripe(env, db(), cfg);
    expect(second.failed).toBe(0);
    expect(stripe.meterTotal(`cus_${u.tenantId}`, "weft_emails")).toBe(700);
    expect(stripe.meterTotal(`cus_${u.tenantId}`, "weft_ai_tokens")).toBe(12_345);
    const before = mine().length;
    expect((await reportUsageToStripe(env, db(), cfg)).reported).toBe(0); // nothing new
    await consumeQuotaFor(env, u.tenantId, "emails", 50);
    await reportUsageToStripe(env, db(), cfg);
    expect(mine().length).toBe(before + 1);
    expect(stripe.meterTotal(`cus_${u.tenantId}`, "weft_emails")).toBe(750);
    const counter = await db().select().from(usageCounters).where(eq(usageCounters.tenantId, u.tenantId));
    expect(counter.find((c) => c.meter === "emails")).toMatchObject({ quantity: 750, reported: 750 });
    const ids = mine().map(([k]) => k);
    expect(ids.every((k) => /^weft:ten_[^:]+:(emails|ai_tokens):\d{4}-\d{2}:\d+$/.test(k))).toBe(true);
  });
});

describe("PayPal adapter (REST over fetch) against a fake PayPal", () => {
  it("authenticates with client credentials, creates a subscription with the seat price and returns the approval link", async () => {
    const paypal = await new FakePaypal().init();
    restore = installFakes({ paypal });
    const cfg = (
      await billingConfig({
        ...env,
        PAYPAL_CLIENT_ID: PAYPAL.id,
        PAYPAL_CLIENT_SECRET: PAYPAL.secret,
        PAYPAL_WEBHOOK_ID: PAYPAL.webhookId,
      } as typeof env)
    ).paypal!;
    const out = await createPaypalSubscription(cfg, {
      tenantId: "ten_p",
      plan: "starter",
      interval: "month",
      seats: 5,
      returnUrl: "https://app/r",
      cancelUrl: "https://app/c",
      requestId: "req-1",
    });
    expect(out.approveUrl).toMatch(/^https:\/\/www\.sandbox\.paypal\.com\/webapps\/billing\/subscriptions\?ba_token=BA-I-FAKE/);
    const create = paypal.requests.find((r) => r.url.pathname === "/v1/billing/subscriptions")!;
    expect(create.headers.get("PayPal-Request-Id")).toBe("req-1");
    const body = JSON.parse(create.body);
    expect(body).toMatchObject({
      plan_id: "P-STARTER-MONTH",
      custom_id: "ten_p|starter|month|5",
      application_context: { return_url: "https://app/r", user_action: "SUBSCRIBE_NOW" },
    });
    expect(body.plan.billing_cycles[0].pricing_scheme.fixed_price).toEqual({ value: "69.00", currency_code: "USD" }); // $49 + 2 extra seats × $10
    // The token is cached: one OAuth call for several requests.
    await paypalToken(cfg);
    expect(paypal.requests.filter((r) => r.url.pathname === "/v1/oauth2/token")).toHaveLength(1);
  });
});
