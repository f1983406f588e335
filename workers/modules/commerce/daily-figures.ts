import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";

export interface CommerceFigures {
  ordersPaid: number;
  ordersRefunded: number;
  subscriptionInvoicesFailed: number;
  /** New monthly recurring revenue minus ended, in minor units summed across currencies. */
  mrrChange: number;
}

/**
 * Read-only figures of a workspace's shop between `from` (inclusive) and `to` (exclusive), epoch ms,
 * for proactive insights (modules/insights): one statement, each part on an index that starts with
 * tenant_id. Refunds count when the provider confirmed them; a subscription's monthly value is its
 * amount × quantity spread over its billing interval.
 */
export async function commerceDailyFigures(db: Db, tenantId: string, from: number, to: number): Promise<CommerceFigures> {
  const monthly = sql.raw("(s.amount * s.quantity * 1.0 / (s.interval_count * CASE s.interval WHEN 'year' THEN 12 ELSE 1 END))");
  const row = await db.get<{ paid: number; refunded: number; failed: number; mrr_in: number; mrr_out: number }>(sql`
    SELECT
      (SELECT count(*) FROM commerce_orders WHERE tenant_id = ${tenantId} AND paid_at >= ${from} AND paid_at < ${to}) AS paid,
      (SELECT count(*) FROM commerce_refunds WHERE tenant_id = ${tenantId} AND status = 'succeeded' AND updated_at >= ${from} AND updated_at < ${to}) AS refunded,
      (SELECT count(*) FROM commerce_subscription_invoices WHERE tenant_id = ${tenantId} AND status = 'failed' AND created_at >= ${from} AND created_at < ${to}) AS failed,
      (SELECT coalesce(sum(${monthly}), 0) FROM commerce_subscriptions s WHERE s.tenant_id = ${tenantId} AND s.status IN ('trialing','active','past_due','canceled') AND s.created_at >= ${from} AND s.created_at < ${to}) AS mrr_in,
      (SELECT coalesce(sum(${monthly}), 0) FROM commerce_subscriptions s WHERE s.tenant_id = ${tenantId} AND s.ended_at >= ${from} AND s.ended_at < ${to}) AS mrr_out`);
  return {
    ordersPaid: row?.paid ?? 0,
    ordersRefunded: row?.refunded ?? 0,
    subscriptionInvoicesFailed: row?.failed ?? 0,
    mrrChange: Math.round((row?.mrr_in ?? 0) - (row?.mrr_out ?? 0)),
  };
}
