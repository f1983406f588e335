import { and, asc, desc, eq, type SQL } from "drizzle-orm";
import {
  commerceSubscriptionInvoices,
  commerceSubscriptions,
  type CommerceSubscriptionInterval,
  type CommerceSubscriptionStatus,
} from "../../../schema/commerce-subscriptions";
import type { PaymentProvider } from "../../../schema/commerce-orders";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import type { CheckoutLine } from "./checkout-pricing";
import type { CheckoutRow } from "./checkouts.service";
import type { OrderRow } from "./orders.service";
import { periodLabel, type PlanRow } from "./subscriptions.plans";

/**
 * Subscription rows: created (status `incomplete`) when a subscription checkout is paid, alongside
 * the checkout's order; moved afterwards only by the provider's signed events and by the answers of
 * our own cancel / resume calls (subscriptions.lifecycle.ts, subscriptions.actions.ts).
 */

export type SubscriptionRow = typeof commerceSubscriptions.$inferSelect;
export type SubscriptionInvoiceRow = typeof commerceSubscriptionInvoices.$inferSelect;

/** The subscription a paid checkout starts: one per checkout (a second pay finds the first). */
export async function subscriptionForCheckout(
  db: Db,
  co: CheckoutRow,
  order: OrderRow,
  plan: PlanRow,
  provider: PaymentProvider,
): Promise<SubscriptionRow> {
  const line = (co.lines as CheckoutLine[])[0];
  const now = Date.now();
  await db
    .insert(commerceSubscriptions)
    .values({
      tenantId: co.tenantId,
      id: newId("sub"),
      checkoutId: co.id,
      orderId: order.id,
      productId: line?.product_id ?? plan.productId,
      variantId: line?.variant_id ?? "",
      title: line?.title ?? "",
      variantTitle: line?.variant_title ?? "",
      quantity: line?.quantity ?? 1,
      endUserId: order.endUserId,
      email: order.email,
      customerKey: order.customerKey,
      currency: order.currency,
      amount: order.total,
      interval: plan.interval,
      intervalCount: plan.intervalCount,
      trialDays: plan.trialDays,
      status: "incomplete",
      provider,
      idempotencyKey: `weft-subscription-${order.id}`,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const row = await subscriptionOfCheckout(db, co.tenantId, co.id);
  if (!row) throw notFound("Subscription");
  if (row.provider !== provider && row.status === "incomplete")
    await db
      .update(commerceSubscriptions)
      .set({ provider, updatedAt: now })
      .where(and(eq(commerceSubscriptions.tenantId, co.tenantId), eq(commerceSubscriptions.id, row.id)));
  return { ...row, provider: row.status === "incomplete" ? provider : row.provider };
}

export async function subscriptionOfCheckout(db: Db, tenantId: string, checkoutId: string): Promise<SubscriptionRow | null> {
  return (
    (await db
      .select()
      .from(commerceSubscriptions)
      .where(tenantScope(db, tenantId).where(commerceSubscriptions, eq(commerceSubscriptions.checkoutId, checkoutId)))
      .get()) ?? null
  );
}

export async function subscriptionOfOrder(db: Db, tenantId: string, orderId: string): Promise<SubscriptionRow | null> {
  return (
    (await db
      .select()
      .from(commerceSubscriptions)
      .where(tenantScope(db, tenantId).where(commerceSubscriptions, eq(commerceSubscriptions.orderId, orderId)))
      .get()) ?? null
  );
}

export async function getSubscriptionRow(db: Db, tenantId: string, id: string, extra?: SQL): Promise<SubscriptionRow> {
  const row = await db
    .select()
    .from(commerceSubscriptions)
    .where(tenantScope(db, tenantId).where(commerceSubscriptions, eq(commerceSubscriptions.id, id), ...(extra ? [extra] : [])))
    .get();
  if (!row) throw notFound("Subscription");
  return row;
}

export async function subscriptionOfProvider(db: Db, tenantId: string, providerSubscriptionId: string): Promise<SubscriptionRow | null> {
  return (
    (await db
      .select()
      .from(commerceSubscriptions)
      .where(
        tenantScope(db, tenantId).where(commerceSubscriptions, eq(commerceSubscriptions.providerSubscriptionId, providerSubscriptionId)),
      )
      .get()) ?? null
  );
}

export async function invoicesOf(db: Db, tenantId: string, subscriptionId: string): Promise<SubscriptionInvoiceRow[]> {
  return db
    .select()
    .from(commerceSubscriptionInvoices)
    .where(tenantScope(db, tenantId).where(commerceSubscriptionInvoices, eq(commerceSubscriptionInvoices.subscriptionId, subscriptionId)))
    .orderBy(asc(commerceSubscriptionInvoices.createdAt), asc(commerceSubscriptionInvoices.id));
}

/** Whether the customer still has what they pay for (the period runs, even when it will not renew). */
export const isLive = (s: Pick<SubscriptionRow, "status">) => s.status === "active" || s.status === "trialing" || s.status === "past_due";

/** The JSON a subscription has for staff and for its end user. */
export function serializeSubscription(s: SubscriptionRow) {
  return {
    id: s.id,
    status: s.status,
    title: s.title,
    variant_title: s.variantTitle,
    product_id: s.productId,
    variant_id: s.variantId,
    quantity: s.quantity,
    email: s.email,
    end_user_id: s.endUserId,
    currency: s.currency,
    amount: s.amount,
    interval: s.interval,
    interval_count: s.intervalCount,
    period_label: periodLabel(s),
    trial_days: s.trialDays,
    provider: s.provider,
    provider_subscription_id: s.providerSubscriptionId,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    current_period_start: iso(s.currentPeriodStart),
    current_period_end: iso(s.currentPeriodEnd),
    trial_end: iso(s.trialEnd),
    canceled_at: iso(s.canceledAt),
    ended_at: iso(s.endedAt),
    cancel_reason: s.cancelReason,
    canceled_by: s.canceledBy,
    order_id: s.orderId,
    created_at: iso(s.createdAt) ?? "",
  };
}

export const serializeInvoice = (i: SubscriptionInvoiceRow) => ({
  id: i.id,
  kind: i.kind,
  status: i.status,
  amount: i.amount,
  currency: i.currency,
  provider_invoice_id: i.providerInvoiceId,
  period_start: iso(i.periodStart),
  period_end: iso(i.periodEnd),
  failure_reason: i.failureReason,
  created_at: iso(i.createdAt) ?? "",
});

export async function subscriptionDetail(db: Db, s: SubscriptionRow) {
  return { ...serializeSubscription(s), invoices: (await invoicesOf(db, s.tenantId, s.id)).map(serializeInvoice) };
}

export interface SubscriptionFilters {
  status?: CommerceSubscriptionStatus;
  end_user_id?: string;
  cursor?: string;
  limit: number;
}

/** Newest first; staff filter by status, the portal by its end user. */
export async function listSubscriptions(db: Db, tenantId: string, f: SubscriptionFilters) {
  const page = keyset(commerceSubscriptions.createdAt, commerceSubscriptions.id, f.cursor);
  const conds: (SQL | undefined)[] = [page.where];
  if (f.status) conds.push(eq(commerceSubscriptions.status, f.status));
  if (f.end_user_id) conds.push(eq(commerceSubscriptions.endUserId, f.end_user_id));
  const rows = await db
    .select()
    .from(commerceSubscriptions)
    .where(tenantScope(db, tenantId).where(commerceSubscriptions, ...conds.filter((c): c is SQL => !!c)))
    .orderBy(...page.orderBy)
    .limit(f.limit + 1);
  return toPage(rows, f.limit, (r) => ({ createdAt: r.createdAt, id: r.id }), serializeSubscription);
}

/** An end user's subscriptions that have started (incomplete ones are an unpaid checkout), newest first. */
export async function subscriptionsOfEndUser(db: Db, tenantId: string, endUserId: string, limit = 50): Promise<SubscriptionRow[]> {
  const rows = await db
    .select()
    .from(commerceSubscriptions)
    .where(tenantScope(db, tenantId).where(commerceSubscriptions, eq(commerceSubscriptions.endUserId, endUserId)))
    .orderBy(desc(commerceSubscriptions.createdAt), desc(commerceSubscriptions.id))
    .limit(limit);
  return rows.filter((r) => r.status !== "incomplete" && r.status !== "incomplete_expired");
}

/** `start` + n intervals, in UTC calendar months (31 Jan + 1 month = 28/29 Feb). */
export function addInterval(start: number, interval: CommerceSubscriptionInterval, count: number): number {
  const d = new Date(start);
  const months = interval === "year" ? 12 * count : count;
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}
