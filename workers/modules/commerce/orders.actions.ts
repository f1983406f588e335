import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { addTimeline, publishOrderEvent } from "./order-events";
import { createCheckout, type CheckoutRow } from "./checkouts.service";
import { closeUnpaidOrder, getOrderRow, moveOrder, orderLines, type OrderRow } from "./orders.service";
import { sendReceipt } from "./receipts";
import { refundsOf, startRefund } from "./refunds.service";

/** Staff actions on an order besides refunds and shipments: cancel, notes, resend the receipt. */

/**
 * Cancel. Unpaid (pending / payment_failed): its stock holds and coupon use are given back.
 * Paid and not shipped: what is left is refunded through the provider (restocking the units by
 * default), then the order is cancelled; a refund confirmed later keeps it cancelled.
 */
export async function cancelOrder(
  env: Env,
  db: Db,
  tenantId: string,
  orderId: string,
  input: { reason?: string; restock?: boolean },
  actor: string,
  origin?: string,
): Promise<void> {
  const order = await getOrderRow(db, tenantId, orderId);
  const reason = (input.reason ?? "").slice(0, 500);
  if (order.status === "pending" || order.status === "payment_failed") {
    if (!(await closeUnpaidOrder(db, tenantId, order, "cancelled", actor, reason)))
      throw new Problem(409, "order-changed", "Conflict", "The order changed meanwhile; read it again.");
  } else if (
    (order.status === "paid" || order.status === "partially_refunded") &&
    (order.fulfilmentStatus === "unfulfilled" || order.fulfilmentStatus === "not_required")
  ) {
    const pending = (await refundsOf(db, tenantId, orderId)).filter((r) => r.status === "pending");
    const remainder = order.total - order.refunded - pending.reduce((s, r) => s + r.amount, 0);
    if (remainder > 0) {
      const pendingQty = new Map<string, number>();
      for (const r of pending) for (const l of r.lines) pendingQty.set(l.line_id, (pendingQty.get(l.line_id) ?? 0) + l.quantity);
      const lines = (await orderLines(db, tenantId, orderId))
        .map((l) => ({ line_id: l.id, quantity: l.quantity - l.refundedQuantity - (pendingQty.get(l.id) ?? 0) }))
        .filter((l) => l.quantity > 0);
      await startRefund(
        env,
        db,
        tenantId,
        orderId,
        { amount: remainder, lines, restock: input.restock ?? true, reason: reason || "order cancelled" },
        actor,
        origin,
      );
    }
    if (
      !(await moveOrder(db, tenantId, orderId, ["paid", "partially_refunded", "refunded"], {
        status: "cancelled",
        cancelledAt: Date.now(),
      }))
    )
      throw new Problem(409, "order-changed", "Conflict", "The order changed meanwhile; read it again.");
    await addTimeline(db, tenantId, orderId, "cancelled", actor, { reason, refunded: remainder });
  } else
    throw new Problem(409, "not-cancellable", "Conflict", `A ${order.status} order (${order.fulfilmentStatus}) cannot be cancelled.`, {
      status: order.status,
    });
  await publishOrderEvent(
    env,
    db,
    tenantId,
    "order.cancelled",
    { order_id: orderId, number: order.number, reason },
    `order.cancelled:${orderId}`,
  );
}

export async function addNote(db: Db, tenantId: string, orderId: string, body: string, actor: string) {
  await getOrderRow(db, tenantId, orderId);
  await addTimeline(db, tenantId, orderId, "note", actor, { body: body.slice(0, 4000) });
}

/** Sends the receipt again (staff, or the buyer from the portal). Only for orders that were paid. */
export async function resendReceipt(env: Env, tenantId: string, orderId: string, actor = "system"): Promise<void> {
  const db = getDb(env.DB);
  const order = await getOrderRow(db, tenantId, orderId);
  if (!order.paidAt) throw new Problem(409, "not-paid", "Conflict", "This order has not been paid; there is no receipt yet.");
  await sendReceipt(env, db, order, `commerce.receipt:${order.id}:resend:${Date.now()}`, actor);
}

/**
 * "Buy again": a new checkout with the order's lines at today's prices (never the old ones), in its
 * currency, for the same buyer and address; stock is held as for any checkout (409 when a line is
 * sold out, 400 when a product is no longer for sale). Lines refunded in full are left out.
 */
export async function reorder(env: Env, db: Db, order: OrderRow): Promise<CheckoutRow> {
  const lines = (await orderLines(db, order.tenantId, order.id))
    .map((l) => ({ variant_id: l.variantId, quantity: l.quantity - l.refundedQuantity }))
    .filter((l) => l.quantity > 0);
  if (!lines.length) throw new Problem(409, "nothing-to-reorder", "Conflict", "Every line of this order was refunded.");
  const { checkout } = await createCheckout(env, db, order.tenantId, {
    lines,
    currency: order.currency,
    email: order.email,
    end_user_id: order.endUserId,
    shipping_address: order.shippingAddress,
  });
  return checkout;
}
