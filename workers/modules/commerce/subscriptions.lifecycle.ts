import { and, eq, ne } from "drizzle-orm";
import {
  commerceSubscriptionInvoices,
  commerceSubscriptions,
  type CommerceSubscriptionStatus,
} from "../../../schema/commerce-subscriptions";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { addTimeline } from "./order-events";
import { getOrderRow, type OrderRow } from "./orders.service";
import { markPaid } from "./payment-outcomes";
import { getSubscriptionRow, subscriptionOfOrder, subscriptionOfProvider, type SubscriptionRow } from "./subscriptions.service";
import { sendSubscriptionNotice } from "./subscriptions.notices";

/**
 * What a verified provider event does to a subscription (Stripe's shapes; the simulator signs the
 * same shapes). The caller (payment-webhooks.ts) has already recorded the event id, so a replayed
 * event never gets here; on top of that every write is conditional on the state it changes — an
 * invoice is one row per (invoice, paid|failed), `canceled` is final, a notice goes only from the
 * call whose UPDATE moved the row — so the same change arriving twice (our cancel call's answer and
 * then its webhook, `invoice.paid` and `invoice.payment_succeeded`) is applied once.
 */

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const ms = (sec: unknown): number | null => (num(sec) === null ? null : (num(sec) as number) * 1000);

const STATUS: Record<string, CommerceSubscriptionStatus> = {
  incomplete: "incomplete",
  incomplete_expired: "incomplete_expired",
  trialing: "trialing",
  active: "active",
  past_due: "past_due",
  unpaid: "past_due",
  canceled: "canceled",
};

export const SUBSCRIPTION_EVENT_TYPES = new Set([
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.trial_will_end",
  "invoice.paid",
  "invoice.payment_succeeded",
  "invoice.payment_failed",
]);

/** The subscription id an invoice belongs to, in the API versions before and after 2025 ("parent"). */
function invoiceSubscription(inv: Obj): { providerId: string | null; ourId: string | null } {
  const parent = obj(obj(inv.parent).subscription_details);
  const details = obj(inv.subscription_details);
  const meta = { ...obj(details.metadata), ...obj(parent.metadata) };
  return { providerId: str(inv.subscription) ?? str(parent.subscription), ourId: str(meta.subscription_id) };
}

async function findSubscription(db: Db, tenantId: string, providerId: string | null, ourId: string | null) {
  if (providerId) {
    const s = await subscriptionOfProvider(db, tenantId, providerId);
    if (s) return s;
  }
  return ourId ? getSubscriptionRow(db, tenantId, ourId).catch(() => null) : null;
}

/**
 * `checkout.session.completed` in subscription mode: the provider's subscription and customer ids
 * join our row (found by the order), which starts: `trialing` when nothing was due, else `active`.
 */
export async function linkCheckoutSession(db: Db, order: OrderRow, session: Obj): Promise<SubscriptionRow | null> {
  const sub = await subscriptionOfOrder(db, order.tenantId, order.id);
  const providerId = str(session.subscription) ?? str(obj(session.subscription).id);
  if (!sub || !providerId) return sub;
  const status: CommerceSubscriptionStatus = session.payment_status === "no_payment_required" ? "trialing" : "active";
  await db
    .update(commerceSubscriptions)
    .set({ providerSubscriptionId: providerId, providerCustomerId: str(session.customer), status, updatedAt: Date.now() })
    .where(
      and(
        eq(commerceSubscriptions.tenantId, order.tenantId),
        eq(commerceSubscriptions.id, sub.id),
        eq(commerceSubscriptions.status, "incomplete"),
      ),
    );
  return getSubscriptionRow(db, order.tenantId, sub.id);
}

/**
 * A subscription object (from a `customer.subscription.*` event, or Stripe's answer to our own
 * cancel / resume call): status, period, cancel at period end. Returns the outcome.
 */
export async function applySubscriptionObject(env: Env, db: Db, sub: SubscriptionRow, o: Obj, actor: string): Promise<string> {
  const item = obj((obj(o.items).data as unknown[] | undefined)?.[0]);
  const status = STATUS[String(o.status)] ?? sub.status;
  if (sub.status === "canceled") return "unchanged"; // final: a late update cannot revive it
  const start = ms(o.current_period_start) ?? ms(item.current_period_start) ?? sub.currentPeriodStart;
  const end = ms(o.current_period_end) ?? ms(item.current_period_end) ?? sub.currentPeriodEnd;
  const cancelAtEnd = typeof o.cancel_at_period_end === "boolean" ? o.cancel_at_period_end : sub.cancelAtPeriodEnd;
  const now = Date.now();
  const set = {
    status,
    providerSubscriptionId: sub.providerSubscriptionId ?? str(o.id),
    providerCustomerId: sub.providerCustomerId ?? str(o.customer),
    currentPeriodStart: start,
    currentPeriodEnd: end,
    trialEnd: ms(o.trial_end) ?? sub.trialEnd,
    cancelAtPeriodEnd: status === "canceled" ? sub.cancelAtPeriodEnd : cancelAtEnd,
    canceledAt: status === "canceled" || cancelAtEnd ? (ms(o.canceled_at) ?? sub.canceledAt ?? now) : null,
    endedAt: status === "canceled" ? (ms(o.ended_at) ?? now) : null,
    canceledBy: status === "canceled" || cancelAtEnd ? (sub.canceledBy ?? "provider") : null,
    cancelReason: status === "canceled" || cancelAtEnd ? sub.cancelReason : null,
    updatedAt: now,
  };
  const same =
    set.status === sub.status &&
    set.cancelAtPeriodEnd === sub.cancelAtPeriodEnd &&
    set.currentPeriodEnd === sub.currentPeriodEnd &&
    set.currentPeriodStart === sub.currentPeriodStart &&
    set.providerSubscriptionId === sub.providerSubscriptionId;
  if (same) return "unchanged";
  // Conditional on what we read: of two racing applications of the same change one moves the row.
  const moved = await db
    .update(commerceSubscriptions)
    .set(set)
    .where(
      and(
        eq(commerceSubscriptions.tenantId, sub.tenantId),
        eq(commerceSubscriptions.id, sub.id),
        eq(commerceSubscriptions.status, sub.status),
        eq(commerceSubscriptions.cancelAtPeriodEnd, sub.cancelAtPeriodEnd),
        ne(commerceSubscriptions.status, "canceled"),
      ),
    )
    .returning();
  const after = moved[0];
  if (!after) return "unchanged";
  const outcome =
    set.status === "canceled"
      ? "subscription_canceled"
      : set.cancelAtPeriodEnd && !sub.cancelAtPeriodEnd
        ? "cancel_scheduled"
        : !set.cancelAtPeriodEnd && sub.cancelAtPeriodEnd
          ? "cancel_undone"
          : `subscription_${set.status}`;
  if (outcome === "subscription_canceled" || outcome === "cancel_scheduled" || outcome === "cancel_undone") {
    await addTimeline(db, sub.tenantId, sub.orderId, outcome, actor, { subscription_id: sub.id });
    await sendSubscriptionNotice(
      env,
      db,
      after,
      outcome === "cancel_undone" ? "resumed" : outcome === "cancel_scheduled" ? "ending" : "canceled",
    );
  }
  return outcome;
}

/** `invoice.paid` / `invoice.payment_succeeded` / `invoice.payment_failed`. */
async function applyInvoice(env: Env, db: Db, sub: SubscriptionRow, type: string, inv: Obj, actor: string, eventId: string) {
  const invoiceId = str(inv.id);
  if (!invoiceId) return "ignored";
  const paid = type !== "invoice.payment_failed";
  const line = obj((obj(inv.lines).data as unknown[] | undefined)?.[0]);
  const period = obj(line.period);
  const periodStart = ms(period.start) ?? ms(inv.period_start);
  const periodEnd = ms(period.end) ?? ms(inv.period_end);
  const amount = num(paid ? inv.amount_paid : inv.amount_due) ?? 0;
  const kind = inv.billing_reason === "subscription_create" ? "first" : "renewal";
  const inserted = await db
    .insert(commerceSubscriptionInvoices)
    .values({
      tenantId: sub.tenantId,
      id: newId("sinv"),
      subscriptionId: sub.id,
      providerInvoiceId: invoiceId,
      kind,
      status: paid ? "paid" : "failed",
      amount,
      currency: (str(inv.currency) ?? sub.currency).toUpperCase(),
      periodStart,
      periodEnd,
      failureReason: paid ? null : (str(obj(inv.last_finalization_error).message) ?? "The renewal payment failed."),
      createdAt: Date.now(),
    })
    .onConflictDoNothing()
    .returning();
  const row = inserted[0];
  if (!row) return "unchanged"; // this invoice's outcome is already recorded
  const now = Date.now();
  if (!paid) {
    await db
      .update(commerceSubscriptions)
      .set({ status: "past_due", updatedAt: now })
      .where(
        and(
          eq(commerceSubscriptions.tenantId, sub.tenantId),
          eq(commerceSubscriptions.id, sub.id),
          ne(commerceSubscriptions.status, "canceled"),
        ),
      );
    await sendSubscriptionNotice(env, db, { ...sub, status: "past_due" }, "payment_failed", row);
    return "past_due";
  }
  const later = periodEnd !== null && (sub.currentPeriodEnd === null || periodEnd >= sub.currentPeriodEnd);
  await db
    .update(commerceSubscriptions)
    .set({
      status: amount > 0 || sub.status !== "trialing" ? "active" : "trialing",
      ...(later ? { currentPeriodStart: periodStart, currentPeriodEnd: periodEnd } : {}),
      updatedAt: now,
    })
    .where(
      and(
        eq(commerceSubscriptions.tenantId, sub.tenantId),
        eq(commerceSubscriptions.id, sub.id),
        ne(commerceSubscriptions.status, "canceled"),
      ),
    );
  // The checkout's order is paid by the first charge: at once, or after a trial.
  const order = await getOrderRow(db, sub.tenantId, sub.orderId).catch(() => null);
  if (order && amount === order.total && amount > 0 && ["pending", "payment_failed", "expired"].includes(order.status)) {
    await markPaid(env, db, sub.tenantId, order.id, {
      provider: sub.provider,
      captureId: str(inv.payment_intent),
      actor,
      source: "webhook",
      eventId,
    });
    return "paid";
  }
  if (kind === "renewal" && amount > 0) {
    await addTimeline(db, sub.tenantId, sub.orderId, "subscription_renewed", actor, {
      subscription_id: sub.id,
      invoice: invoiceId,
      amount,
    });
    await sendSubscriptionNotice(env, db, sub, "renewed", row);
    return "renewed";
  }
  return "invoice_recorded";
}

/** A verified subscription or invoice event. `viaSimulator`: it may move only simulator subscriptions. */
export async function applySubscriptionEvent(
  env: Env,
  db: Db,
  tenantId: string,
  ev: { id: string; type: string; data: { object: Obj } },
  viaSimulator: boolean,
): Promise<{ outcome: string; orderId: string | null }> {
  const o = ev.data.object;
  const actor = `provider:${viaSimulator ? "simulator" : "stripe"}`;
  const ids = ev.type.startsWith("invoice.")
    ? invoiceSubscription(o)
    : { providerId: str(o.id), ourId: str(obj(o.metadata).subscription_id) };
  const sub = await findSubscription(db, tenantId, ids.providerId, ids.ourId);
  if (!sub) return { outcome: "no_subscription", orderId: null };
  if ((sub.provider === "simulator") !== viaSimulator) return { outcome: "wrong_signer", orderId: sub.orderId };
  if (ev.type.startsWith("invoice.")) return { outcome: await applyInvoice(env, db, sub, ev.type, o, actor, ev.id), orderId: sub.orderId };
  if (ev.type === "customer.subscription.trial_will_end") return { outcome: "ignored", orderId: sub.orderId };
  const object = ev.type === "customer.subscription.deleted" ? { ...o, status: "canceled" } : o;
  return { outcome: await applySubscriptionObject(env, db, sub, object, actor), orderId: sub.orderId };
}
