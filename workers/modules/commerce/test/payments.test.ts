import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { commerceOrderEvents } from "../../../../schema/commerce-orders";
import { getDb } from "../../../platform/db";
import { installFakes, PAYPAL, STRIPE_KEY } from "../../billing/test/billing-fakes";
import { signPaypalPayload } from "../../billing/paypal/signature";
import { signStripePayload } from "../../billing";
import { as } from "./commerce-helpers";
import { ShopPaypal, ShopStripe } from "./commerce-fakes";
import { postRaw, readyCheckout, sellingShop, simulatorSigned, stockOf } from "./checkout-helpers";

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

const WHSEC = "whsec_shop_test_secret_123";

/** How many timeline events of a type an order has (paid, receipt_sent…): effects must run once. */
async function eventCount(tenantId: string, orderId: string, type: string) {
  const rows = await getDb(env.DB)
    .select()
    .from(commerceOrderEvents)
    .where(and(eq(commerceOrderEvents.tenantId, tenantId), eq(commerceOrderEvents.orderId, orderId), eq(commerceOrderEvents.type, type)));
  return rows.length;
}

const stripeEvent = (type: string, object: Record<string, unknown>, id = `evt_${crypto.randomUUID().slice(0, 12)}`) => ({
  id,
  object: "event",
  type,
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  data: { object },
});
async function postStripe(tenantId: string, event: unknown, secret = WHSEC, tamper?: (s: string) => string) {
  const body = JSON.stringify(event);
  const sig = await signStripePayload(body, secret);
  return postRaw(`/webhooks/commerce/${tenantId}/stripe`, tamper ? tamper(body) : body, { "Stripe-Signature": sig });
}

describe("commerce payments: Stripe (a workspace's own keys)", () => {
  it("pays by Checkout Session with the order's Idempotency-Key; only the signed webhook marks it paid; forged, replayed and out-of-order events change nothing", async () => {
    const stripe = new ShopStripe();
    restore = installFakes({ stripe });
    const { u, sf, product, variantId } = await sellingShop("Stripe shop");
    const put = await as(u)("PUT", "/api/v1/commerce/payment-providers/stripe", {
      secret_key: STRIPE_KEY,
      publishable_key: "pk_test_shop",
      webhook_secret: WHSEC,
    });
    expect(put.body.stripe).toMatchObject({ configured: true, secret_hint: "sk_test_…6789", webhook_configured: true });
    expect(JSON.stringify(put.body)).not.toContain(STRIPE_KEY);
    expect((await as(u)("POST", "/api/v1/commerce/payment-providers/stripe/test")).body).toMatchObject({ ok: true });

    const co = await readyCheckout(sf, variantId, 2);
    expect(co.providers).toEqual(["stripe", "simulator"]);
    const pay = await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "stripe" });
    expect(pay.status, JSON.stringify(pay.body)).toBe(200);
    expect(pay.body.redirect_url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const sessionReq = stripe.requests.filter((r) => r.url.pathname === "/v1/checkout/sessions");
    expect(sessionReq).toHaveLength(1);
    expect(sessionReq[0]?.headers.get("Idempotency-Key")).toMatch(/^weft-order-ord_.*:stripe$/);
    // 2 × 25.00 + 8.00 shipping + NY tax 8.875 % of 50.00 (4.44) = 62.44, as one line of the order's total.
    const [session] = [...stripe.sessions.values()];
    expect(session?.amount_total).toBe(6244);
    // The buyer back from Stripe (the redirect) changes nothing: still pending.
    const order = () => sf("GET", `/public/v1/commerce/orders/${pay.body.order_id}?token=${pay.body.access_token}`);
    expect((await order()).body.status).toBe("pending");

    const paid = stripeEvent("checkout.session.completed", {
      id: session?.id,
      object: "checkout.session",
      payment_status: "paid",
      amount_total: 6244,
      payment_intent: "pi_fake_1",
      client_reference_id: pay.body.order_id,
      metadata: { tenant_id: u.tenantId, order_id: pay.body.order_id },
    });
    // Forged: another secret, or a tampered body.
    expect((await postStripe(u.tenantId, paid, "whsec_wrong")).status).toBe(400);
    expect((await postStripe(u.tenantId, paid, WHSEC, (s) => s.replace("6244", "1"))).status).toBe(400);
    // The simulator's signature cannot pay a Stripe order.
    const sim = await simulatorSigned(u.tenantId, paid);
    expect(sim.body).toMatchObject({ outcome: "wrong_signer" });
    expect((await order()).body.status).toBe("pending");

    const ok = await postStripe(u.tenantId, paid);
    expect(ok).toMatchObject({ status: 200, body: { replay: false, outcome: "paid" } });
    expect((await order()).body.status).toBe("paid");
    const replay = await postStripe(u.tenantId, paid);
    expect(replay).toMatchObject({ status: 200, body: { replay: true } });
    // Another event id for the same payment (Stripe also sends payment_intent.succeeded): unchanged.
    const twin = await postStripe(
      u.tenantId,
      stripeEvent("payment_intent.succeeded", {
        id: "pi_fake_1",
        object: "payment_intent",
        amount_received: 6244,
        metadata: { tenant_id: u.tenantId, order_id: pay.body.order_id },
      }),
    );
    expect(twin.body.outcome).toBe("unchanged");
    // A failure arriving after the payment: unchanged.
    const late = await postStripe(
      u.tenantId,
      stripeEvent("payment_intent.payment_failed", {
        id: "pi_fake_1",
        object: "payment_intent",
        metadata: { tenant_id: u.tenantId, order_id: pay.body.order_id },
      }),
    );
    expect(late.body.outcome).toBe("unchanged");
    expect((await order()).body.status).toBe("paid");
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 8, reserved: 0 });
    expect(await eventCount(u.tenantId, pay.body.order_id, "paid")).toBe(1);
    expect(await eventCount(u.tenantId, pay.body.order_id, "receipt_sent")).toBe(1);

    // A partial refund through Stripe (succeeded at once), then its webhook: counted once.
    const refund = await as(u)("POST", `/api/v1/commerce/orders/${pay.body.order_id}/refunds`, { amount: 1000, reason: "scratch" });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    expect(refund.body.status).toBe("succeeded");
    const refundReq = stripe.requests.find((r) => r.url.pathname === "/v1/refunds");
    expect(refundReq?.body).toContain("payment_intent=pi_fake_1");
    expect(refundReq?.headers.get("Idempotency-Key")).toBe(`weft-refund-${refund.body.id}`);
    const [re] = [...stripe.refunds.values()];
    const again = await postStripe(u.tenantId, stripeEvent("refund.updated", { ...re, metadata: { refund_id: refund.body.id } }));
    expect(again.body.outcome).toBe("unchanged");
    const detail = await as(u)("GET", `/api/v1/commerce/orders/${pay.body.order_id}`);
    expect(detail.body).toMatchObject({ status: "partially_refunded", refunded: 1000 });
    // More than what is left: 422.
    expect((await as(u)("POST", `/api/v1/commerce/orders/${pay.body.order_id}/refunds`, { amount: 6000 })).status).toBe(422);
  });

  it("a refund Stripe answers `pending` counts only when its webhook says succeeded; a refund event before any payment changes nothing", async () => {
    const stripe = new ShopStripe();
    stripe.refundsPending = true;
    restore = installFakes({ stripe });
    const { u, sf, variantId } = await sellingShop("Stripe refunds shop");
    await as(u)("PUT", "/api/v1/commerce/payment-providers/stripe", { secret_key: STRIPE_KEY, webhook_secret: WHSEC });
    const co = await readyCheckout(sf, variantId, 1);
    const pay = (await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "stripe" })).body;
    // Out of order: a refund event for this order before it is paid.
    const early = await postStripe(
      u.tenantId,
      stripeEvent("refund.updated", { id: "re_unknown", object: "refund", status: "succeeded", metadata: { order_id: pay.order_id } }),
    );
    expect(early.body.outcome).toBe("ignored");
    await postStripe(
      u.tenantId,
      stripeEvent("payment_intent.succeeded", {
        id: "pi_fake_9",
        object: "payment_intent",
        metadata: { tenant_id: u.tenantId, order_id: pay.order_id },
      }),
    );
    const refund = await as(u)("POST", `/api/v1/commerce/orders/${pay.order_id}/refunds`, {});
    expect(refund.body).toMatchObject({ status: "pending", amount: co.totals.total + 0 });
    expect((await as(u)("GET", `/api/v1/commerce/orders/${pay.order_id}`)).body).toMatchObject({ status: "paid", refunded: 0 });
    const [re] = [...stripe.refunds.values()];
    const done = await postStripe(u.tenantId, stripeEvent("refund.updated", { ...re, status: "succeeded" }));
    expect(done.body.outcome).toBe("refunded");
    const after = (await as(u)("GET", `/api/v1/commerce/orders/${pay.order_id}`)).body;
    expect(after).toMatchObject({ status: "refunded", refunded: after.total });
    expect(after.refunds[0].status).toBe("succeeded");
  });
});

describe("commerce payments: PayPal Orders v2", () => {
  async function paypalShop(name: string) {
    const paypal = await new ShopPaypal().init();
    restore = installFakes({ paypal });
    const s = await sellingShop(name);
    const put = await as(s.u)("PUT", "/api/v1/commerce/payment-providers/paypal", {
      client_id: PAYPAL.id,
      client_secret: PAYPAL.secret,
      webhook_id: PAYPAL.webhookId,
      mode: "sandbox",
    });
    expect(put.body.paypal).toMatchObject({ configured: true, client_id: PAYPAL.id, webhook_id: PAYPAL.webhookId });
    return { ...s, paypal };
  }
  const capture = (sf: Awaited<ReturnType<typeof paypalShop>>["sf"], checkoutId: string, paypalOrderId: string) =>
    sf("POST", `/public/v1/commerce/checkouts/${checkoutId}/capture`, { paypal_order_id: paypalOrderId });
  async function postPaypal(paypal: ShopPaypal, tenantId: string, event: unknown, tamper?: (s: string) => string) {
    const body = JSON.stringify(event);
    const headers = await signPaypalPayload(paypal.signer, body, PAYPAL.webhookId, paypal.certUrl);
    return postRaw(`/webhooks/commerce/${tenantId}/paypal`, tamper ? tamper(body) : body, headers);
  }
  const completed = (tenantId: string, orderId: string, captureId: string) => ({
    id: `WH-${crypto.randomUUID().slice(0, 12)}`,
    event_type: "PAYMENT.CAPTURE.COMPLETED",
    create_time: new Date().toISOString(),
    resource_type: "capture",
    resource: { id: captureId, status: "COMPLETED", custom_id: `${tenantId}|${orderId}` },
  });

  it("create → approve → capture: a COMPLETED capture answer makes it paid; the webhook after it changes nothing (and in the other order too)", async () => {
    const { u, sf, product, variantId, paypal } = await paypalShop("PayPal shop");
    const co = await readyCheckout(sf, variantId, 1);
    const pay = await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "paypal" });
    expect(pay.status, JSON.stringify(pay.body)).toBe(200);
    expect(pay.body.redirect_url).toMatch(/^https:\/\/www\.sandbox\.paypal\.com\/checkoutnow\?token=/);
    const created = paypal.requests.find((r) => r.url.pathname === "/v2/checkout/orders");
    expect(created?.headers.get("PayPal-Request-Id")).toMatch(/^weft-order-ord_.*:paypal$/);
    expect(JSON.parse(created?.body ?? "{}").purchase_units[0].amount).toEqual({ currency_code: "USD", value: "35.22" });
    const ppOrder = [...paypal.orders.keys()][0] ?? "";
    const cap = await capture(sf, co.id, ppOrder);
    expect(cap.body).toMatchObject({ order_id: pay.body.order_id, status: "paid" });
    const captureReq = paypal.requests.find((r) => r.url.pathname.endsWith("/capture"));
    expect(captureReq?.headers.get("PayPal-Request-Id")).toContain(":capture:");
    const hook = await postPaypal(paypal, u.tenantId, completed(u.tenantId, pay.body.order_id, "CAP-X"));
    expect(hook).toMatchObject({ status: 200, body: { outcome: "unchanged" } });
    expect(await eventCount(u.tenantId, pay.body.order_id, "receipt_sent")).toBe(1);
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 9, reserved: 0 });

    // The other order of arrival: the webhook first, then the buyer's return (no second capture).
    const co2 = await readyCheckout(sf, variantId, 1);
    const pay2 = (await sf("POST", `/public/v1/commerce/checkouts/${co2.id}/pay`, { provider: "paypal" })).body;
    const ppOrder2 = [...paypal.orders.keys()][1] ?? "";
    expect((await postPaypal(paypal, u.tenantId, completed(u.tenantId, pay2.order_id, "CAP-Y"))).body.outcome).toBe("paid");
    const captures = paypal.captures;
    expect((await capture(sf, co2.id, ppOrder2)).body.status).toBe("paid");
    expect(paypal.captures).toBe(captures);
    expect(await eventCount(u.tenantId, pay2.order_id, "paid")).toBe(1);
    expect(await eventCount(u.tenantId, pay2.order_id, "receipt_sent")).toBe(1);
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 8, reserved: 0 });

    // A refund goes against the capture, with the refund's PayPal-Request-Id; COMPLETED at once.
    const refund = await as(u)("POST", `/api/v1/commerce/orders/${pay.body.order_id}/refunds`, { amount: 500 });
    expect(refund.body.status).toBe("succeeded");
    const refundReq = paypal.requests.find((r) => r.url.pathname.endsWith("/refund"));
    expect(refundReq?.url.pathname).toContain("/v2/payments/captures/CAP");
    expect(JSON.parse(refundReq?.body ?? "{}").amount).toEqual({ value: "5.00", currency_code: "USD" });
  });

  it("the capture answer and the webhook racing: one paid transition, one receipt, stock once", async () => {
    const { u, sf, product, variantId, paypal } = await paypalShop("PayPal race shop");
    const co = await readyCheckout(sf, variantId, 3);
    const pay = (await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "paypal" })).body;
    const ppOrder = [...paypal.orders.keys()][0] ?? "";
    const [a, b] = await Promise.all([
      capture(sf, co.id, ppOrder),
      postPaypal(paypal, u.tenantId, completed(u.tenantId, pay.order_id, "CAP-RACE")),
    ]);
    expect(a.body.status, JSON.stringify(a.body)).toBe("paid");
    expect(b.status).toBe(200);
    expect(await eventCount(u.tenantId, pay.order_id, "paid")).toBe(1);
    expect(await eventCount(u.tenantId, pay.order_id, "receipt_sent")).toBe(1);
    expect(await stockOf(u, product.id)).toMatchObject({ on_hand: 7, reserved: 0 });
  });

  it("a DECLINED capture leaves the order payment_failed; a forged PayPal webhook is refused", async () => {
    const { u, sf, variantId, paypal } = await paypalShop("PayPal decline shop");
    const co = await readyCheckout(sf, variantId, 1);
    const pay = (await sf("POST", `/public/v1/commerce/checkouts/${co.id}/pay`, { provider: "paypal" })).body;
    paypal.declineNext = true;
    const cap = await capture(sf, co.id, [...paypal.orders.keys()][0] ?? "");
    expect(cap.body.status, JSON.stringify(cap.body)).toBe("payment_failed");
    const forged = await postPaypal(paypal, u.tenantId, completed(u.tenantId, pay.order_id, "CAP-F"), (s) =>
      s.replace("COMPLETED", "COMPLETED "),
    );
    expect(forged.status).toBe(400);
    const order = await sf("GET", `/public/v1/commerce/orders/${pay.order_id}?token=${pay.access_token}`);
    expect(order.body.status).toBe("payment_failed");
  });
});

describe("commerce checkout under load", () => {
  it("a coupon limited to 10, used by 50 concurrent pays: exactly 10 discounted orders, 40 refused", async () => {
    const { u, sf, variantId } = await sellingShop("Coupon rush shop", {
      variants: [{ sku: `RUSH-${Date.now()}`, options: { Size: "S" }, prices: { USD: 2500 }, on_hand: 100 }],
    });
    const code = `RUSH${Date.now().toString(36)}`.toUpperCase();
    expect(
      (await as(u)("POST", "/api/v1/commerce/coupons", { code, kind: "percent", percent_off_bps: 1000, max_redemptions: 10 })).status,
    ).toBe(201);
    const checkouts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => readyCheckout(sf, variantId, 1, { coupon_code: code, email: `rush${i}@example.test` })),
    );
    expect(checkouts.every((c) => c.totals.discount === 250)).toBe(true);
    const pays = await Promise.all(
      checkouts.map((c) => sf("POST", `/public/v1/commerce/checkouts/${c.id}/pay`, { provider: "simulator" })),
    );
    const ok = pays.filter((p) => p.status === 200);
    const refused = pays.filter((p) => p.status === 409);
    expect([ok.length, refused.length]).toEqual([10, 40]);
    expect(refused.every((p) => p.body.reason === "usage_limit")).toBe(true);
    const coupon = (await as(u)("GET", "/api/v1/commerce/coupons")).body.data.find((c: { code: string }) => c.code === code);
    expect(coupon.redeemed_count).toBe(10);
  });
});
