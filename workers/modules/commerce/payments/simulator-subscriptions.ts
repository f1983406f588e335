import type { SubscriptionRow } from "../subscriptions.service";
import { addInterval } from "../subscriptions.service";
import { stripeShapedEvent } from "./simulator";

/**
 * The payment simulator standing in for Stripe Billing (never in production): the Stripe-shaped
 * events a subscription's life produces, built from our row, which the caller signs with the
 * workspace's simulator secret and delivers to its own webhook endpoint (postSimulatorEvent) — so a
 * simulated subscription moves only through verified webhooks, like a Stripe one.
 */

const sec = (t: number) => Math.floor(t / 1000);
const simId = (prefix: string, sub: SubscriptionRow) => `${prefix}_sim_${sub.id.replace(/^sub_/, "")}`;
export const simSubscriptionId = (sub: Pick<SubscriptionRow, "id">) => `sub_sim_${sub.id.replace(/^sub_/, "")}`;

function subscriptionObject(sub: SubscriptionRow, o: { status: string; start: number; end: number; cancelAtPeriodEnd: boolean }) {
  return {
    id: sub.providerSubscriptionId ?? simSubscriptionId(sub),
    object: "subscription",
    customer: sub.providerCustomerId ?? simId("cus", sub),
    status: o.status,
    cancel_at_period_end: o.cancelAtPeriodEnd,
    items: { data: [{ current_period_start: sec(o.start), current_period_end: sec(o.end), quantity: 1 }] },
    trial_end: sub.trialDays > 0 ? sec(sub.createdAt + sub.trialDays * 86_400_000) : null,
    metadata: { tenant_id: sub.tenantId, order_id: sub.orderId, subscription_id: sub.id },
  };
}

/** Approve on the simulator page: the session completes and the subscription starts (its first invoice paid, unless on trial). */
export function simulatorSubscriptionStart(sub: SubscriptionRow, sessionId: string, total: number, now = Date.now()) {
  const trial = sub.trialDays > 0;
  const end = trial ? now + sub.trialDays * 86_400_000 : addInterval(now, sub.interval, sub.intervalCount);
  const meta = { tenant_id: sub.tenantId, order_id: sub.orderId, subscription_id: sub.id };
  const started = { ...sub, providerSubscriptionId: simSubscriptionId(sub) };
  return [
    stripeShapedEvent("checkout.session.completed", {
      id: sessionId,
      object: "checkout.session",
      mode: "subscription",
      status: "complete",
      payment_status: trial ? "no_payment_required" : "paid",
      amount_total: trial ? 0 : total,
      currency: sub.currency.toLowerCase(),
      client_reference_id: sub.orderId,
      subscription: started.providerSubscriptionId,
      customer: simId("cus", sub),
      metadata: meta,
    }),
    stripeShapedEvent(
      "customer.subscription.created",
      subscriptionObject(started, { status: trial ? "trialing" : "active", start: now, end, cancelAtPeriodEnd: false }),
    ),
    simulatorInvoice(
      started,
      "invoice.paid",
      "subscription_create",
      trial ? 0 : total,
      now,
      end,
      `in_sim_${sub.id.replace(/^sub_/, "")}_0`,
    ),
  ];
}

export function simulatorInvoice(
  sub: SubscriptionRow,
  type: "invoice.paid" | "invoice.payment_failed",
  reason: "subscription_create" | "subscription_cycle",
  amount: number,
  start: number,
  end: number,
  invoiceId: string,
) {
  return stripeShapedEvent(type, {
    id: invoiceId,
    object: "invoice",
    billing_reason: reason,
    status: type === "invoice.paid" ? "paid" : "open",
    amount_paid: type === "invoice.paid" ? amount : 0,
    amount_due: amount,
    currency: sub.currency.toLowerCase(),
    customer: sub.providerCustomerId ?? simId("cus", sub),
    payment_intent: `pi_${invoiceId}`,
    parent: {
      type: "subscription_details",
      subscription_details: {
        subscription: sub.providerSubscriptionId ?? simSubscriptionId(sub),
        metadata: { tenant_id: sub.tenantId, order_id: sub.orderId, subscription_id: sub.id },
      },
    },
    lines: { data: [{ period: { start: sec(start), end: sec(end) }, amount }] },
    ...(type === "invoice.payment_failed" ? { last_finalization_error: { message: "Your card was declined (simulated)." } } : {}),
  });
}

/**
 * "Advance to the next renewal" (a dev control): the period ends — a subscription set to cancel at
 * period end is deleted; otherwise the renewal invoice is paid (or fails, when asked) and the
 * subscription moves to its next period.
 */
export function simulatorAdvance(sub: SubscriptionRow, outcome: "paid" | "failed", now = Date.now()) {
  const start = sub.currentPeriodEnd ?? now;
  const end = addInterval(start, sub.interval, sub.intervalCount);
  if (sub.cancelAtPeriodEnd)
    return [
      stripeShapedEvent(
        "customer.subscription.deleted",
        subscriptionObject(sub, { status: "canceled", start: sub.currentPeriodStart ?? now, end: start, cancelAtPeriodEnd: true }),
      ),
    ];
  const n = Math.round((start - sub.createdAt) / 86_400_000);
  const invoiceId = `in_sim_${sub.id.replace(/^sub_/, "")}_${n}`;
  if (outcome === "failed")
    return [simulatorInvoice(sub, "invoice.payment_failed", "subscription_cycle", sub.amount, start, end, invoiceId)];
  return [
    simulatorInvoice(sub, "invoice.paid", "subscription_cycle", sub.amount, start, end, invoiceId),
    stripeShapedEvent("customer.subscription.updated", subscriptionObject(sub, { status: "active", start, end, cancelAtPeriodEnd: false })),
  ];
}

/** The simulator's answer to a cancel / resume: the subscription as Stripe would send it. */
export function simulatorCancelEvent(sub: SubscriptionRow, mode: "period_end" | "now" | "resume", now = Date.now()) {
  const o = subscriptionObject(sub, {
    status: mode === "now" ? "canceled" : sub.status,
    start: sub.currentPeriodStart ?? now,
    end: sub.currentPeriodEnd ?? now,
    cancelAtPeriodEnd: mode === "period_end",
  });
  return stripeShapedEvent(mode === "now" ? "customer.subscription.deleted" : "customer.subscription.updated", {
    ...o,
    ...(mode === "now" ? { canceled_at: sec(now), ended_at: sec(now) } : mode === "period_end" ? { canceled_at: sec(now) } : {}),
  });
}
