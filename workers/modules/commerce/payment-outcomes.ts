import { and, eq, sql } from "drizzle-orm";
import { commerceVariants } from "../../../schema/commerce";
import { commerceCheckouts, commerceOrderEvents, commerceOrderLines, type PaymentProvider } from "../../../schema/commerce-orders";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { commitReservations } from "./inventory.service";
import { addTimeline, publishOrderEvent, recordFunnel } from "./order-events";
import { getOrderRow, moveOrder, orderLines, type OrderRow } from "./orders.service";
import { sendReceiptOnce } from "./receipts";
import { commitRedemptions } from "./redemptions.service";
import { startRefund } from "./refunds.service";

/**
 * The one transition that matters most: an order becomes paid. Called by the provider webhooks
 * (Stripe, PayPal, the simulator's signed events) and by a verified PayPal capture answer — never
 * by a browser redirect. Only the call whose conditional UPDATE moved the order runs the effects.
 */

export interface PaidInput {
  provider: PaymentProvider;
  /** The capture / PaymentIntent id (refunds go against it). */
  captureId?: string | null;
  actor: string;
  source: "webhook" | "capture";
  eventId?: string | null;
}

/**
 * pending | payment_failed | expired → paid, from a signed webhook or a verified capture answer
 * only. `expired` is a source too: the buyer's money arrived after the hold ran out — the stock is
 * then taken if it is still there (else the line is refunded, see takeUnheldStock). Returns
 * whether this call made the transition (and so ran the effects).
 */
export async function markPaid(env: Env, db: Db, tenantId: string, orderId: string, p: PaidInput): Promise<boolean> {
  const now = Date.now();
  const won = await moveOrder(db, tenantId, orderId, ["pending", "payment_failed", "expired"], {
    status: "paid",
    paidAt: now,
    failureReason: null,
    provider: p.provider,
    ...(p.captureId ? { providerCaptureId: p.captureId } : {}),
  });
  const order = await getOrderRow(db, tenantId, orderId);
  if (won)
    await addTimeline(db, tenantId, orderId, "paid", p.actor, { source: p.source, provider: p.provider, event_id: p.eventId ?? null });
  // A loser whose order is paid but whose effects never finished (the winner's Worker died half
  // way, or failed and its provider event was forgotten for the retry) runs them again: every
  // effect below is idempotent and safe to run concurrently, and the receipt, last, marks the end.
  else if (!(PAID_STATES.includes(order.status) && order.receiptSentAt === null)) return false;
  await runPaidEffects(env, db, order, now);
  return won;
}

const PAID_STATES: OrderRow["status"][] = ["paid", "fulfilled", "partially_refunded", "refunded"];

async function runPaidEffects(env: Env, db: Db, order: OrderRow, now: number): Promise<void> {
  const { tenantId, id: orderId } = order;
  const { not_held } = await commitReservations(db, tenantId, order.checkoutId, now);
  if (not_held.length) await takeUnheldStock(env, db, order, not_held);
  await commitRedemptions(db, tenantId, order.checkoutId, now);
  // Digital lines are delivered at once (signed links on the receipt and the order page).
  await db
    .update(commerceOrderLines)
    .set({ fulfilledQuantity: sql`${commerceOrderLines.quantity}` })
    .where(and(eq(commerceOrderLines.tenantId, tenantId), eq(commerceOrderLines.orderId, orderId), eq(commerceOrderLines.type, "digital")));
  await db
    .update(commerceCheckouts)
    .set({ status: "completed", updatedAt: now })
    .where(and(eq(commerceCheckouts.tenantId, tenantId), eq(commerceCheckouts.id, order.checkoutId)));
  await publishOrderEvent(
    env,
    db,
    tenantId,
    "order.paid",
    { order_id: order.id, number: order.number, total_cents: order.total, currency: order.currency.toLowerCase(), email: order.email },
    `order.paid:${order.id}`,
  );
  await recordFunnel(env, tenantId, "order_completed", order.id, order.endUserId ?? order.email, {
    order_number: order.number,
    currency: order.currency,
    total: order.total,
  });
  await sendReceiptOnce(env, db, order);
}

/**
 * A paid order whose hold had already run out: each such line takes its units if they are still
 * on sale (one guarded UPDATE per line); lines that cannot be served are refunded.
 */
async function takeUnheldStock(env: Env, db: Db, order: OrderRow, notHeld: { variant_id: string; quantity: number }[]) {
  // Exactly once, however many runs of the paid effects get here: the timeline row has a fixed id
  // and goes first in the batch, so a second run's batch fails on it and takes nothing.
  const marker = db.insert(commerceOrderEvents).values({
    tenantId: order.tenantId,
    id: `oev_retake_${order.id}`,
    orderId: order.id,
    type: "stock_retaken",
    actor: "system",
    detail: { lines: notHeld },
    createdAt: Date.now(),
  });
  const takes = notHeld.map((r) =>
    db
      .update(commerceVariants)
      .set({ onHand: sql`${commerceVariants.onHand} - ${r.quantity}`, updatedAt: Date.now() })
      .where(
        and(
          eq(commerceVariants.tenantId, order.tenantId),
          eq(commerceVariants.id, r.variant_id),
          sql`${commerceVariants.onHand} - ${commerceVariants.reserved} >= ${r.quantity}`,
        ),
      )
      .returning({ id: commerceVariants.id }),
  );
  let results: unknown[];
  try {
    results = await db.batch([marker, ...takes]);
  } catch (err) {
    if (/UNIQUE|PRIMARY KEY/i.test(String((err as Error)?.message))) return; // another run took them
    throw err;
  }
  const short = notHeld.filter((_, i) => !(results[i + 1] as unknown[]).length);
  if (!short.length) return;
  await addTimeline(db, order.tenantId, order.id, "stock_short", "system", { lines: short });
  const lines = await orderLines(db, order.tenantId, order.id);
  const refundLines = short.flatMap((s) => {
    const l = lines.find((x) => x.variantId === s.variant_id);
    return l ? [{ line_id: l.id, quantity: Math.min(s.quantity, l.quantity) }] : [];
  });
  if (!refundLines.length) return;
  await startRefund(env, db, order.tenantId, order.id, { lines: refundLines, restock: false, reason: "out of stock" }, "system");
}
