import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { installFakes, STRIPE_KEY } from "../../billing/test/billing-fakes";
import { signStripePayload } from "../../billing";
import { as, newProduct, sku } from "./commerce-helpers";
import { SubscriptionShopStripe } from "./commerce-fakes";
import { payWithSimulator, postRaw, readyCheckout, sellingShop, simulatorSigned } from "./checkout-helpers";
import { simulatorSecret } from "../providers.service";

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

const WHSEC = "whsec_shop_subscriptions_123";
const evt = (type: string, object: Record<string, unknown>, id = `evt_${crypto.randomUUID().slice(0, 12)}`) => ({
  id,
  object: "event",
  type,
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  data: { object },
});
async function postStripe(tenantId: string, event: unknown, secret = WHSEC) {
  const body = JSON.stringify(event);
  return postRaw(`/webhooks/commerce/${tenantId}/stripe`, body, { "Stripe-Signature": await signStripePayload(body, secret) });
}

/** A shop (with the shirt of the checkout tests) that also sells "Coffee club", $9 a month (+ NY tax 8.875 % = 9.80 for the test address). */
async function subscriptionShop(name: string, recurring: Record<string, unknown> = { interval: "month" }) {
  const s = await sellingShop(name);
  const club = await newProduct(s.u, {
    title: "Coffee club",
    type: "digital",
    options: [],
    weight_grams: null,
    variants: [{ sku: sku("CLUB"), prices: { USD: 900 }, track_inventory: false }],
  });
  const plan = await as(s.u)("PUT", `/api/v1/commerce/products/${club.id}/recurring`, recurring);
  expect(plan.status, JSON.stringify(plan.body)).toBe(200);
  return { ...s, club, clubVariant: club.variants[0]?.id ?? "" };
}

describe("commerce subscriptions", () => {
  it("sells a recurring product through the simulator: shown as such, never mixed with one-off lines; renewals recorded once, failures past_due, cancel at period end, resume, end", async () => {
    const { u, sf, club, clubVariant, variantId } = await subscriptionShop("Sub sim shop");
    // The catalogue says it recurs (staff and storefront).
    expect((await as(u)("GET", `/api/v1/commerce/products/${club.id}`)).body.recurring).toEqual({
      interval: "month",
      interval_count: 1,
      trial_days: 0,
    });
    const pub = await sf("GET", `/public/v1/commerce/products/${club.slug}`);
    expect(pub.body.recurring).toMatchObject({ interval: "month" });
    // One-off and subscription lines cannot share a checkout.
    const mix = await sf("POST", "/public/v1/commerce/checkouts", {
      lines: [
        { variant_id: variantId, quantity: 1 },
        { variant_id: clubVariant, quantity: 1 },
      ],
      email: "mix@example.test",
    });
    expect(mix.status).toBe(422);
    expect(mix.body).toMatchObject({ type: expect.stringContaining("subscription-checkout-mix") });
    expect(mix.body.errors[0].path).toBe(`lines.${clubVariant}`);

    const co = await readyCheckout(sf, clubVariant, 1);
    const { pay } = await payWithSimulator(sf, co.id);
    const order = await sf("GET", `/public/v1/commerce/orders/${pay.order_id}?token=${pay.access_token}`);
    expect(order.body.status).toBe("paid");
    const list = await as(u)("GET", "/api/v1/commerce/subscriptions?status=active");
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    const sub = list.body.data[0];
    expect(sub).toMatchObject({ amount: 980, currency: "USD", interval: "month", provider: "simulator", cancel_at_period_end: false });
    expect(sub.provider_subscription_id).toMatch(/^sub_sim_/);
    const periodEnd = Date.parse(sub.current_period_end);
    expect(periodEnd).toBeGreaterThan(Date.now() + 27 * 86_400_000);
    const detail = async () => (await as(u)("GET", `/api/v1/commerce/subscriptions/${sub.id}`)).body;
    expect((await detail()).invoices).toMatchObject([{ kind: "first", status: "paid", amount: 980 }]);

    // The dev control: the period ends, the renewal is paid → one renewal, the next period.
    const renewed = await as(u)("POST", `/api/v1/commerce/subscriptions/${sub.id}/simulate-renewal`, { outcome: "paid" });
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    expect(renewed.body.invoices.filter((i: { kind: string }) => i.kind === "renewal")).toHaveLength(1);
    expect(Date.parse(renewed.body.current_period_end)).toBeGreaterThan(periodEnd + 27 * 86_400_000);
    // The same invoice again (a replay under a new event id, and the exact event): nothing new.
    const inv = renewed.body.invoices[1];
    const again = {
      id: inv.provider_invoice_id,
      object: "invoice",
      billing_reason: "subscription_cycle",
      amount_paid: 980,
      currency: "usd",
      parent: { subscription_details: { subscription: sub.provider_subscription_id, metadata: { subscription_id: sub.id } } },
      lines: { data: [{ period: { start: 1, end: 2 } }] },
    };
    const first = await simulatorSigned(u.tenantId, evt("invoice.payment_succeeded", again, "evt_sim_replay_1"));
    expect(first.body.outcome).toBe("unchanged");
    expect((await simulatorSigned(u.tenantId, evt("invoice.payment_succeeded", again, "evt_sim_replay_1"))).body.replay).toBe(true);
    expect((await detail()).invoices).toHaveLength(2);
    // A Stripe-signed event cannot move a simulator subscription (no Stripe set up: refused outright).
    expect((await postStripe(u.tenantId, evt("invoice.paid", again))).status).toBe(400);

    // A failed renewal → past_due.
    const failed = await as(u)("POST", `/api/v1/commerce/subscriptions/${sub.id}/simulate-renewal`, { outcome: "failed" });
    expect(failed.body).toMatchObject({ status: "past_due" });
    expect(failed.body.invoices.at(-1)).toMatchObject({ status: "failed", kind: "renewal" });

    // Staff cancel at period end, undo, cancel again; the period's end then ends it.
    const cancel = await as(u)("POST", `/api/v1/commerce/subscriptions/${sub.id}/cancel`, { mode: "period_end", reason: "moving abroad" });
    expect(cancel.body).toMatchObject({
      cancel_at_period_end: true,
      status: "past_due",
      cancel_reason: "moving abroad",
      canceled_by: u.userId,
    });
    const resume = await as(u)("POST", `/api/v1/commerce/subscriptions/${sub.id}/resume`, {});
    expect(resume.body).toMatchObject({ cancel_at_period_end: false, canceled_by: null });
    await as(u)("POST", `/api/v1/commerce/subscriptions/${sub.id}/cancel`, {});
    const ended = await as(u)("POST", `/api/v1/commerce/subscriptions/${sub.id}/simulate-renewal`, { outcome: "paid" });
    expect(ended.body).toMatchObject({ status: "canceled", cancel_at_period_end: true });
    expect(ended.body.ended_at).not.toBeNull();
    // Ended is final: no resume, no cancel.
    expect((await as(u)("POST", `/api/v1/commerce/subscriptions/${sub.id}/resume`, {})).status).toBe(409);
    expect((await as(u)("GET", "/api/v1/commerce/subscriptions?status=canceled")).body.data).toHaveLength(1);
    // Bad input: a plan needs month or year.
    const bad = await as(u)("PUT", `/api/v1/commerce/products/${club.id}/recurring`, { interval: "week" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain("interval");
  });

  it("Stripe: a Checkout Session in subscription mode with an Idempotency-Key; the signed session and invoices drive it (replays change nothing); cancel at period end through subscriptions.update; deleted ends it", async () => {
    const stripe = new SubscriptionShopStripe();
    restore = installFakes({ stripe });
    const { u, sf, clubVariant } = await subscriptionShop("Sub Stripe shop", { interval: "year", interval_count: 1, trial_days: 0 });
    await as(u)("PUT", "/api/v1/commerce/payment-providers/stripe", {
      secret_key: STRIPE_KEY,
      publishable_key: "pk_test_s",
      webhook_secret: WHSEC,
    });
    const co = await readyCheckout(sf, clubVariant, 2);
    const pay = await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "stripe" });
    expect(pay.status, JSON.stringify(pay.body)).toBe(200);
    const req = stripe.requests.find((r) => r.url.pathname === "/v1/checkout/sessions");
    expect(req?.headers.get("Idempotency-Key")).toMatch(/^weft-order-ord_.*:stripe$/);
    const session = [...stripe.sessions.values()][0];
    expect(session).toMatchObject({ mode: "subscription", amount_total: 1960, recurring: { interval: "year", interval_count: "1" } });
    const subId = ((session?.subscription_metadata ?? {}) as Record<string, string>).subscription_id;
    const now = Math.floor(Date.now() / 1000);
    const stripeSub = stripe.completeSession(session?.id ?? "", now, now + 365 * 86_400);
    const completed = evt("checkout.session.completed", {
      id: session?.id,
      object: "checkout.session",
      mode: "subscription",
      payment_status: "paid",
      amount_total: 1960,
      subscription: stripeSub.id,
      customer: stripeSub.customer,
      client_reference_id: pay.body.order_id,
      metadata: { tenant_id: u.tenantId, order_id: pay.body.order_id },
    });
    expect((await postStripe(u.tenantId, completed)).body).toMatchObject({ outcome: "paid" });
    expect((await postStripe(u.tenantId, completed)).body).toMatchObject({ replay: true });
    expect((await postStripe(u.tenantId, evt("customer.subscription.created", stripeSub))).body.outcome).toMatch(
      /subscription_active|unchanged/,
    );
    const detail = async () => (await as(u)("GET", `/api/v1/commerce/subscriptions/${subId}`)).body;
    expect(await detail()).toMatchObject({ status: "active", provider_subscription_id: stripeSub.id, amount: 1960, quantity: 2 });

    const renewal = (id: string, type = "invoice.paid") =>
      evt(type, {
        id,
        object: "invoice",
        billing_reason: "subscription_cycle",
        amount_paid: type === "invoice.paid" ? 1960 : 0,
        amount_due: 1960,
        currency: "usd",
        subscription: stripeSub.id,
        lines: { data: [{ period: { start: now + 365 * 86_400, end: now + 730 * 86_400 } }] },
      });
    const r1 = renewal("in_fake_2");
    expect((await postStripe(u.tenantId, r1)).body.outcome).toBe("renewed");
    expect((await postStripe(u.tenantId, r1)).body.replay).toBe(true);
    expect((await postStripe(u.tenantId, renewal("in_fake_2", "invoice.payment_succeeded"))).body.outcome).toBe("unchanged");
    const d = await detail();
    expect(d.invoices.filter((i: { kind: string }) => i.kind === "renewal")).toHaveLength(1);
    expect(Date.parse(d.current_period_end)).toBe((now + 730 * 86_400) * 1000);
    // A simulator signature cannot touch a Stripe subscription.
    expect((await simulatorSigned(u.tenantId, renewal("in_fake_9"))).body.outcome).toBe("wrong_signer");
    expect((await postStripe(u.tenantId, renewal("in_fake_3", "invoice.payment_failed"))).body.outcome).toBe("past_due");
    expect((await detail()).status).toBe("past_due");
    stripeSub.status = "past_due"; // what Stripe's own record of it now says

    const cancel = await as(u)("POST", `/api/v1/commerce/subscriptions/${subId}/cancel`, { mode: "period_end" });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const upd = stripe.requests.filter((r) => r.url.pathname === `/v1/subscriptions/${stripeSub.id}`);
    expect(upd).toHaveLength(1);
    expect(upd[0]?.method).toBe("POST");
    expect(upd[0]?.body).toContain("cancel_at_period_end=true");
    expect(upd[0]?.headers.get("Idempotency-Key")).toMatch(/^weft-subscription-ord_.*:period_end:/);
    expect(cancel.body).toMatchObject({ cancel_at_period_end: true, status: "past_due" });
    // Stripe's webhook for the same change: nothing new.
    expect(
      (await postStripe(u.tenantId, evt("customer.subscription.updated", { ...stripeSub, status: "past_due", cancel_at_period_end: true })))
        .body.outcome,
    ).toBe("unchanged");
    // The period ends: Stripe deletes it.
    const del = await postStripe(u.tenantId, evt("customer.subscription.deleted", { ...stripeSub, status: "canceled", ended_at: now + 1 }));
    expect(del.body.outcome).toBe("subscription_canceled");
    expect((await detail()).status).toBe("canceled");
    // A late update cannot revive it.
    expect((await postStripe(u.tenantId, evt("customer.subscription.updated", { ...stripeSub, status: "active" }))).body.outcome).toBe(
      "unchanged",
    );
    expect(await simulatorSecret(env, u.tenantId)).toBeTruthy();
  });
});
