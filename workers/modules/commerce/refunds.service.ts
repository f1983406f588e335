import { and, eq, sql } from "drizzle-orm";
import { commerceVariants } from "../../../schema/commerce";
import { commerceOrderLines, commerceOrders, commerceRefunds } from "../../../schema/commerce-orders";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { addTimeline, publishOrderEvent, timelineInsert } from "./order-events";
import { getOrderRow, orderLines } from "./orders.service";
import { paypalRefund } from "./payments/paypal";
import { simulatorRefund } from "./payments/simulator";
import { stripeRefund } from "./payments/stripe";
import type { RefundResult } from "./payments/types";
import { paypalCreds, stripeCreds } from "./providers.service";
import { sendRefunded } from "./receipts";

/**
 * Refunds, full or partial, by line or by amount, through the order's provider. A refund row is
 * `pending` until the provider confirms it — its webhook (`refund.updated`, `charge.refunded`,
 * `PAYMENT.CAPTURE.REFUNDED`) or a synchronous success answer — and only the confirmation counts
 * it against the order: one batch whose statements are each conditioned on the refund still being
 * pending, the last one flipping it, so a confirmation delivered twice applies once.
 */

export type RefundRow = typeof commerceRefunds.$inferSelect;
export interface RefundInput {
  amount?: number;
  lines?: { line_id: string; quantity: number }[];
  restock?: boolean;
  reason?: string;
}

const REFUNDABLE = ["paid", "fulfilled", "partially_refunded", "cancelled"] as const;

export async function refundsOf(db: Db, tenantId: string, orderId: string): Promise<RefundRow[]> {
  return db
    .select()
    .from(commerceRefunds)
    .where(tenantScope(db, tenantId).where(commerceRefunds, eq(commerceRefunds.orderId, orderId)))
    .orderBy(commerceRefunds.createdAt);
}

/** A line's share of its total for `q` units (the last units take the remainder, so shares add up). */
function lineShare(l: { quantity: number; total: number; refundedQuantity: number }, q: number): number {
  if (l.refundedQuantity + q >= l.quantity) {
    const already = Math.floor((l.total * l.refundedQuantity) / l.quantity);
    return l.total - already;
  }
  return Math.floor((l.total * (l.refundedQuantity + q)) / l.quantity) - Math.floor((l.total * l.refundedQuantity) / l.quantity);
}

export async function startRefund(
  env: Env,
  db: Db,
  tenantId: string,
  orderId: string,
  input: RefundInput,
  actor: string,
  origin = env.APP_URL,
): Promise<RefundRow> {
  const order = await getOrderRow(db, tenantId, orderId);
  if (!(REFUNDABLE as readonly string[]).includes(order.status) || !order.paidAt)
    throw new Problem(409, "not-refundable", "Conflict", `A ${order.status} order cannot be refunded.`, { status: order.status });
  const lines = await orderLines(db, tenantId, orderId);
  const pending = (await refundsOf(db, tenantId, orderId)).filter((r) => r.status === "pending");
  const pendingQty = new Map<string, number>();
  for (const r of pending) for (const l of r.lines) pendingQty.set(l.line_id, (pendingQty.get(l.line_id) ?? 0) + l.quantity);
  let linesAmount = 0;
  const errors: { path: string; message: string }[] = [];
  for (const [i, want] of (input.lines ?? []).entries()) {
    const l = lines.find((x) => x.id === want.line_id);
    if (!l) {
      errors.push({ path: `lines.${i}.line_id`, message: "not a line of this order" });
      continue;
    }
    const left = l.quantity - l.refundedQuantity - (pendingQty.get(l.id) ?? 0);
    if (want.quantity > left) errors.push({ path: `lines.${i}.quantity`, message: `at most ${left} left to refund` });
    else linesAmount += lineShare(l, want.quantity);
  }
  if (errors.length) throw validationFailed(errors);
  const remainder = order.total - order.refunded - pending.reduce((s, r) => s + r.amount, 0);
  const amount = input.amount ?? (input.lines?.length ? linesAmount : remainder);
  if (amount <= 0) throw validationFailed([{ path: "amount", message: "nothing left to refund" }]);
  if (amount > remainder)
    throw new Problem(422, "refund-too-large", "Refund too large", `At most ${remainder} can still be refunded.`, {
      errors: [{ path: "amount", message: `at most ${remainder}` }],
      refundable: remainder,
    });
  const id = newId("ref");
  const now = Date.now();
  const row: RefundRow = {
    tenantId,
    id,
    orderId,
    amount,
    lines: input.lines ?? [],
    restock: input.restock ?? false,
    reason: (input.reason ?? "").slice(0, 500),
    status: "pending",
    providerRefundId: null,
    idempotencyKey: `weft-refund-${id}`,
    failureReason: null,
    createdBy: actor,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(commerceRefunds).values(row),
    timelineInsert(db, tenantId, orderId, "refund_requested", actor, { refund_id: id, amount, lines: row.lines, reason: row.reason }),
  ]);
  const req = {
    tenantId,
    orderId,
    refundId: id,
    amount,
    currency: order.currency,
    captureId: order.providerCaptureId,
    idempotencyKey: row.idempotencyKey,
  };
  let result: RefundResult;
  try {
    if (order.provider === "stripe") {
      const c = await stripeCreds(db, env, tenantId, false);
      if (!c) throw new Problem(409, "provider-not-configured", "Conflict", "Stripe is no longer set up for this shop.");
      result = await stripeRefund(c, req);
    } else if (order.provider === "paypal") {
      const c = await paypalCreds(db, env, tenantId, false);
      if (!c) throw new Problem(409, "provider-not-configured", "Conflict", "PayPal is no longer set up for this shop.");
      result = await paypalRefund(c, req);
    } else result = await simulatorRefund(env, origin, req);
  } catch (e) {
    await refundFailed(db, tenantId, id, e instanceof Error ? e.message : String(e));
    throw e;
  }
  await db
    .update(commerceRefunds)
    .set({ providerRefundId: result.providerRefundId, updatedAt: Date.now() })
    .where(and(eq(commerceRefunds.tenantId, tenantId), eq(commerceRefunds.id, id)));
  if (result.status === "succeeded") await applyRefundSucceeded(env, db, tenantId, id, `provider:${order.provider}`);
  else if (result.status === "failed") await refundFailed(db, tenantId, id, result.failureReason ?? "refused by the provider");
  return (await refundsOf(db, tenantId, orderId)).find((r) => r.id === id) ?? row;
}

export async function findRefund(db: Db, tenantId: string, by: { id?: string | null; providerRefundId?: string | null }) {
  if (by.id) {
    const r = await db
      .select()
      .from(commerceRefunds)
      .where(tenantScope(db, tenantId).where(commerceRefunds, eq(commerceRefunds.id, by.id)))
      .get();
    if (r) return r;
  }
  if (by.providerRefundId)
    return (
      (await db
        .select()
        .from(commerceRefunds)
        .where(tenantScope(db, tenantId).where(commerceRefunds, eq(commerceRefunds.providerRefundId, by.providerRefundId)))
        .get()) ?? null
    );
  return null;
}

export async function refundFailed(db: Db, tenantId: string, refundId: string, reason: string): Promise<boolean> {
  const rows = await db
    .update(commerceRefunds)
    .set({ status: "failed", failureReason: reason.slice(0, 300), updatedAt: Date.now() })
    .where(and(eq(commerceRefunds.tenantId, tenantId), eq(commerceRefunds.id, refundId), eq(commerceRefunds.status, "pending")))
    .returning({ orderId: commerceRefunds.orderId });
  const r = rows[0];
  if (r) await addTimeline(db, tenantId, r.orderId, "refund_failed", "system", { refund_id: refundId, reason });
  return !!r;
}

/**
 * The provider confirmed the refund: order.refunded += amount and its status (partially_refunded →
 * refunded; a cancelled order stays cancelled), lines' refunded quantities, restock — each
 * statement guarded by "this refund is still pending", the flip last, in one batch.
 */
export async function applyRefundSucceeded(env: Env, db: Db, tenantId: string, refundId: string, actor: string): Promise<boolean> {
  const r = await findRefund(db, tenantId, { id: refundId });
  if (r?.status !== "pending") return false;
  const now = Date.now();
  const stillPending = sql`EXISTS (SELECT 1 FROM commerce_refunds WHERE tenant_id = ${tenantId} AND id = ${refundId} AND status = 'pending')`;
  const lines = r.lines.length ? await orderLines(db, tenantId, r.orderId) : [];
  const stmts = [
    db
      .update(commerceOrders)
      .set({
        refunded: sql`${commerceOrders.refunded} + ${r.amount}`,
        status: sql`CASE WHEN ${commerceOrders.status} = 'cancelled' THEN 'cancelled' WHEN ${commerceOrders.refunded} + ${r.amount} >= ${commerceOrders.total} THEN 'refunded' ELSE 'partially_refunded' END`,
        refundedAt: now,
        updatedAt: now,
      })
      .where(and(eq(commerceOrders.tenantId, tenantId), eq(commerceOrders.id, r.orderId), stillPending)),
    ...r.lines.map((l) =>
      db
        .update(commerceOrderLines)
        .set({ refundedQuantity: sql`${commerceOrderLines.refundedQuantity} + ${l.quantity}` })
        .where(and(eq(commerceOrderLines.tenantId, tenantId), eq(commerceOrderLines.id, l.line_id), stillPending)),
    ),
    ...(r.restock
      ? r.lines.flatMap((l) => {
          const line = lines.find((x) => x.id === l.line_id);
          return line
            ? [
                db
                  .update(commerceVariants)
                  .set({ onHand: sql`${commerceVariants.onHand} + ${l.quantity}`, updatedAt: now })
                  .where(
                    and(
                      eq(commerceVariants.tenantId, tenantId),
                      eq(commerceVariants.id, line.variantId),
                      eq(commerceVariants.trackInventory, true),
                      stillPending,
                    ),
                  ),
              ]
            : [];
        })
      : []),
    db
      .update(commerceRefunds)
      .set({ status: "succeeded", updatedAt: now })
      .where(and(eq(commerceRefunds.tenantId, tenantId), eq(commerceRefunds.id, refundId), eq(commerceRefunds.status, "pending")))
      .returning({ id: commerceRefunds.id }),
  ];
  const results = await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
  const flipped = results.at(-1) as { id: string }[];
  if (!flipped.length) return false;
  const order = await getOrderRow(db, tenantId, r.orderId);
  await addTimeline(db, tenantId, r.orderId, "refunded", actor, { refund_id: r.id, amount: r.amount, status: order.status });
  await publishOrderEvent(
    env,
    db,
    tenantId,
    "order.refunded",
    {
      order_id: order.id,
      number: order.number,
      refund_id: r.id,
      amount_cents: r.amount,
      currency: order.currency.toLowerCase(),
      status: order.status,
    },
    `order.refunded:${r.id}`,
  );
  await sendRefunded(env, db, order, r);
  return true;
}
