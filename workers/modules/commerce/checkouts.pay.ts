import { and, eq } from "drizzle-orm";
import { commerceCheckouts, commerceOrders, type PaymentProvider } from "../../../schema/commerce-orders";
import type { Db } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { notFound, Problem, validationFailed } from "../../platform/errors";
import type { CheckoutLine } from "./checkout-pricing";
import { assertOpen, getCheckoutRow, repriceCheckout, storedTotals, type CheckoutRow, type StoredTotals } from "./checkouts.service";
import { addTimeline } from "./order-events";
import { createOrderForCheckout, getOrderRow, markFailed, moveOrder, orderOfCheckout, type OrderRow } from "./orders.service";
import { markPaid } from "./payment-outcomes";
import { capturePaypalOrder, parseCustomId, startPaypalPayment } from "./payments/paypal";
import { startSimulatorPayment } from "./payments/simulator";
import { startStripePayment } from "./payments/stripe";
import { startStripeSubscription } from "./payments/stripe-subscriptions";
import type { PaymentStart, ProviderOrder } from "./payments/types";
import { availableProviders, paypalCreds, stripeCreds } from "./providers.service";
import { CouponRefused, redeemCoupon } from "./redemptions.service";
import { assertSubscriptionMix, type PlanRow } from "./subscriptions.plans";
import { subscriptionForCheckout } from "./subscriptions.service";

/**
 * Paying a checkout: the final re-pricing, the coupon use (atomic limits), the checkout's one
 * order (pending) and the provider payment — a Stripe Checkout Session, a PayPal order or the
 * simulator's approval page — whose URL the buyer is sent to. Nothing here marks an order paid
 * except `capturePaypalReturn`, and only on PayPal's verified COMPLETED capture answer.
 */

export interface PayResult {
  order_id: string;
  order_number: number;
  provider: PaymentProvider;
  redirect_url: string;
  access_token: string;
}

function missingDetails(co: CheckoutRow): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (!co.email) errors.push({ path: "email", message: "required to pay" });
  const physical = (co.lines as CheckoutLine[]).some((l) => l.type === "physical");
  if (physical) {
    if (!co.shippingAddress) errors.push({ path: "shipping_address", message: "required: something in the order ships" });
    else if (!co.shippingRateId) errors.push({ path: "shipping_rate_id", message: "no shipping rate covers this address" });
  }
  return errors;
}

export async function payCheckout(
  env: Env,
  db: Db,
  tenantId: string,
  checkoutId: string,
  o: { provider: PaymentProvider; idempotencyKey?: string | null; origin: string },
): Promise<PayResult> {
  let co = await getCheckoutRow(db, tenantId, checkoutId);
  if (!(await availableProviders(db, env, tenantId)).includes(o.provider))
    throw validationFailed([{ path: "provider", message: `${o.provider} is not set up for this shop` }]);
  // A subscription checkout (one recurring line) pays through Stripe or the simulator only.
  const plan = await assertSubscriptionMix(db, tenantId, co.lines as CheckoutLine[]);
  if (plan && o.provider === "paypal")
    throw new Problem(
      422,
      "provider-unsupported",
      "PayPal cannot take subscriptions here",
      "Subscriptions are paid by card (Stripe) in this shop.",
      {
        errors: [{ path: "provider", message: "PayPal does not take subscription checkouts; pay with stripe" }],
      },
    );
  if (co.status === "paying" && co.orderId) {
    // Paying again (back from the provider, another provider): the same order, a fresh redirect.
    const order = await getOrderRow(db, tenantId, co.orderId);
    if (order.status !== "pending" && order.status !== "payment_failed")
      throw new Problem(409, "checkout-closed", "Conflict", `This checkout's order is ${order.status}.`, {
        status: co.status,
        order_id: order.id,
      });
    if (co.expiresAt <= Date.now())
      throw new Problem(409, "checkout-expired", "Conflict", "This checkout's hold ran out; start again from the cart.");
    return startPayment(env, db, co, order, o.provider, o.origin, plan);
  }
  assertOpen(co);
  const missing = missingDetails(co);
  if (missing.length) throw validationFailed(missing);
  co = await repriceCheckout(db, co);
  const t = storedTotals(co);
  if (co.couponCode && t.coupon_problem)
    throw new CouponRefused(t.coupon_problem === "not_found" ? "inactive" : (t.coupon_problem as never));
  if (t.coupon_id && co.customerKey) {
    try {
      await redeemCoupon(db, tenantId, { couponId: t.coupon_id, customerKey: co.customerKey, checkoutId: co.id, expiresAt: co.expiresAt });
    } catch (e) {
      if (e instanceof CouponRefused)
        await db
          .update(commerceCheckouts)
          .set({ totals: { ...t, coupon_problem: e.reason, coupon_message: e.detail ?? null } as StoredTotals })
          .where(and(eq(commerceCheckouts.tenantId, tenantId), eq(commerceCheckouts.id, co.id)));
      throw e;
    }
  }
  const order = await createOrderForCheckout(db, co, {
    provider: o.provider,
    idempotencyKey: o.idempotencyKey,
    shippingName: t.shipping_name ?? null,
  });
  await db
    .update(commerceCheckouts)
    .set({ status: "paying", orderId: order.id, updatedAt: Date.now() })
    .where(and(eq(commerceCheckouts.tenantId, tenantId), eq(commerceCheckouts.id, co.id), eq(commerceCheckouts.status, "open")));
  return startPayment(env, db, co, order, o.provider, o.origin, plan);
}

async function startPayment(
  env: Env,
  db: Db,
  co: CheckoutRow,
  order: OrderRow,
  provider: PaymentProvider,
  origin: string,
  plan: PlanRow | null = null,
): Promise<PayResult> {
  // A retry after a failed payment needs a new provider payment: a new idempotency key for it.
  if (order.status === "payment_failed") {
    await moveOrder(db, order.tenantId, order.id, ["payment_failed"], { status: "pending" });
    order = await getOrderRow(db, order.tenantId, order.id);
  }
  const attempt = order.failureReason ? `:retry-${order.updatedAt}` : "";
  const slug = (await getTenant(db, co.tenantId)).slug;
  const po: ProviderOrder = {
    tenantId: co.tenantId,
    orderId: order.id,
    number: order.number,
    email: order.email,
    currency: order.currency,
    total: order.total,
    description: (co.lines as CheckoutLine[]).map((l) => `${l.quantity} × ${l.title}`).join(", "),
    idempotencyKey: `${order.idempotencyKey}:${provider}${provider === order.provider ? attempt : ""}`,
    returnUrl: `${origin}/checkout/${slug}/${co.id}/return?provider=${provider}`,
    cancelUrl: `${origin}/checkout/${slug}/${co.id}`,
    expiresAt: co.expiresAt,
  };
  let start: PaymentStart;
  // The subscription row the provider's events will move (subscriptions.lifecycle.ts).
  const sub = plan ? await subscriptionForCheckout(db, co, order, plan, provider) : null;
  if (provider === "stripe") {
    const c = await stripeCreds(db, env, co.tenantId);
    if (!c) throw validationFailed([{ path: "provider", message: "Stripe is not set up for this shop" }]);
    start =
      sub && plan
        ? await startStripeSubscription(c, po, {
            subscriptionId: sub.id,
            interval: plan.interval,
            intervalCount: plan.intervalCount,
            trialDays: plan.trialDays,
            title: `${sub.quantity > 1 ? `${sub.quantity} × ` : ""}${sub.title}${sub.variantTitle ? ` (${sub.variantTitle})` : ""}`,
          })
        : await startStripePayment(c, po);
  } else if (provider === "paypal") {
    const c = await paypalCreds(db, env, co.tenantId);
    if (!c) throw validationFailed([{ path: "provider", message: "PayPal is not set up for this shop" }]);
    start = await startPaypalPayment(c, po);
  } else start = startSimulatorPayment(po, origin, order.accessToken);
  await db
    .update(commerceOrders)
    .set({ provider, providerPaymentId: start.paymentId, updatedAt: Date.now() })
    .where(and(eq(commerceOrders.tenantId, co.tenantId), eq(commerceOrders.id, order.id), eq(commerceOrders.status, "pending")));
  await addTimeline(db, co.tenantId, order.id, "payment_started", "customer", { provider, payment_id: start.paymentId });
  return { order_id: order.id, order_number: order.number, provider, redirect_url: start.redirectUrl, access_token: order.accessToken };
}

/**
 * The buyer is back from PayPal: capture the approved order (PayPal-Request-Id = the order's
 * key). A COMPLETED capture in PayPal's answer makes the order paid; DECLINED → payment_failed.
 * The PAYMENT.CAPTURE.COMPLETED webhook that follows changes nothing (the transition is taken).
 */
export async function capturePaypalReturn(
  env: Env,
  db: Db,
  tenantId: string,
  checkoutId: string,
  paypalOrderId: string,
): Promise<{ order_id: string; status: string; access_token: string }> {
  const co = await getCheckoutRow(db, tenantId, checkoutId);
  const order = await orderOfCheckout(db, tenantId, co.id);
  if (order?.provider !== "paypal" || order.providerPaymentId !== paypalOrderId) throw notFound("PayPal order");
  const done = { order_id: order.id, access_token: order.accessToken };
  if (order.status !== "pending" && order.status !== "payment_failed" && order.status !== "expired")
    return { ...done, status: order.status };
  const creds = await paypalCreds(db, env, tenantId, false);
  if (!creds) throw validationFailed([{ path: "provider", message: "PayPal is not set up for this shop" }]);
  const r = await capturePaypalOrder(creds, paypalOrderId, `${order.idempotencyKey}:capture:${paypalOrderId}`);
  const owner = parseCustomId(r.customId);
  if (r.status === "completed") {
    if (owner && (owner.tenantId !== tenantId || owner.orderId !== order.id))
      throw new Problem(409, "payment-mismatch", "Conflict", "PayPal's capture belongs to another order.");
    await markPaid(env, db, tenantId, order.id, {
      provider: "paypal",
      captureId: r.captureId,
      actor: "provider:paypal",
      source: "capture",
    });
  } else if (r.status === "declined") await markFailed(db, tenantId, order.id, `PayPal: ${r.detail}`, "provider:paypal");
  return { ...done, status: (await getOrderRow(db, tenantId, order.id)).status };
}
