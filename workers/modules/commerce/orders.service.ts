import { and, eq, inArray } from "drizzle-orm";
import {
  commerceCheckouts,
  commerceOrderLines,
  commerceOrders,
  type OrderStatus,
  type PaymentProvider,
} from "../../../schema/commerce-orders";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import type { CheckoutLine } from "./checkout-pricing";
import type { CheckoutRow } from "./checkouts.service";
import { releaseReservations } from "./inventory.service";
import { addTimeline, timelineInsert } from "./order-events";
import { releaseRedemptions } from "./redemptions.service";

/**
 * Orders: created once per checkout (the unique (tenant, checkout_id) index and an INSERT … WHERE
 * NOT EXISTS), numbered per workspace from 1001 in the same statement, and moved along the state
 * machine of docs/commerce.md by conditional UPDATEs only — `… SET status = 'paid' WHERE status IN
 * (…)` — so of two racing deliveries (the PayPal capture answer and its webhook, a replay) exactly
 * one wins, and only the winner runs the effects (stock, coupon, receipt, events).
 */

export type OrderRow = typeof commerceOrders.$inferSelect;
export type OrderLineRow = typeof commerceOrderLines.$inferSelect;

export async function getOrderRow(db: Db, tenantId: string, orderId: string): Promise<OrderRow> {
  const row = await db
    .select()
    .from(commerceOrders)
    .where(tenantScope(db, tenantId).where(commerceOrders, eq(commerceOrders.id, orderId)))
    .get();
  if (!row) throw notFound("Order");
  return row;
}

export async function orderOfCheckout(db: Db, tenantId: string, checkoutId: string): Promise<OrderRow | null> {
  return (
    (await db
      .select()
      .from(commerceOrders)
      .where(tenantScope(db, tenantId).where(commerceOrders, eq(commerceOrders.checkoutId, checkoutId)))
      .get()) ?? null
  );
}

/** The order of a provider payment (Stripe Checkout Session / PayPal order id). */
export async function orderOfPayment(db: Db, tenantId: string, paymentId: string): Promise<OrderRow | null> {
  return (
    (await db
      .select()
      .from(commerceOrders)
      .where(tenantScope(db, tenantId).where(commerceOrders, eq(commerceOrders.providerPaymentId, paymentId)))
      .get()) ?? null
  );
}

export async function orderLines(db: Db, tenantId: string, orderId: string): Promise<OrderLineRow[]> {
  return db
    .select()
    .from(commerceOrderLines)
    .where(tenantScope(db, tenantId).where(commerceOrderLines, eq(commerceOrderLines.orderId, orderId)))
    .orderBy(commerceOrderLines.position);
}

/**
 * The checkout's one order (pending), with its lines snapshotted from the checkout. Idempotent:
 * a second call (or a racing one) finds the order the first created.
 */
export async function createOrderForCheckout(
  db: Db,
  co: CheckoutRow,
  o: { provider: PaymentProvider; idempotencyKey?: string | null; shippingName: string | null },
): Promise<OrderRow> {
  const existing = await orderOfCheckout(db, co.tenantId, co.id);
  if (existing) return existing;
  const id = newId("ord");
  const now = Date.now();
  const lines = co.lines as CheckoutLine[];
  const physical = lines.some((l) => l.type === "physical");
  const key = (o.idempotencyKey?.trim() || `weft-order-${id}`).slice(0, 200);
  const d1 = (db as Db & { $client: D1Database }).$client;
  const t = co.totals;
  const insertOrder = d1
    .prepare(
      `INSERT INTO commerce_orders (tenant_id, id, number, checkout_id, cart_id, end_user_id, email, customer_key, currency,
         subtotal, discount, shipping, tax, total, refunded, coupon_code, shipping_address, shipping_rate_id, shipping_name,
         status, fulfilment_status, provider, idempotency_key, access_token, created_at, updated_at)
       SELECT ?1, ?2, coalesce((SELECT max(number) FROM commerce_orders WHERE tenant_id = ?1), 1000) + 1, ?3, ?4, ?5, ?6, ?7, ?8,
         ?9, ?10, ?11, ?12, ?13, 0, ?14, ?15, ?16, ?17, 'pending', ?18, ?19, ?20, ?21, ?22, ?22
       WHERE NOT EXISTS (SELECT 1 FROM commerce_orders WHERE tenant_id = ?1 AND checkout_id = ?3)`,
    )
    .bind(
      co.tenantId,
      id,
      co.id,
      co.cartId,
      co.endUserId,
      co.email ?? "",
      co.customerKey ?? `email:${(co.email ?? "").toLowerCase()}`,
      co.currency,
      t.subtotal,
      t.discount,
      t.shipping,
      t.tax,
      t.total,
      co.couponCode && t.discount > 0 ? co.couponCode : null,
      co.shippingAddress ? JSON.stringify(co.shippingAddress) : null,
      physical ? co.shippingRateId : null,
      physical ? o.shippingName : null,
      physical ? "unfulfilled" : "not_required",
      o.provider,
      key,
      randomToken(24),
      now,
    );
  // Lines only if this statement's order row exists (a racing twin inserted nothing).
  const lineStmts = lines.map((l, i) =>
    d1
      .prepare(
        `INSERT INTO commerce_order_lines (tenant_id, id, order_id, product_id, variant_id, title, variant_title, sku, type,
           digital_file_id, quantity, unit_amount, discount, tax, total, fulfilled_quantity, refunded_quantity, position)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 0, 0, ?16
         WHERE EXISTS (SELECT 1 FROM commerce_orders WHERE tenant_id = ?1 AND id = ?3)`,
      )
      .bind(
        co.tenantId,
        newId("oln"),
        id,
        l.product_id,
        l.variant_id,
        l.title,
        l.variant_title,
        l.sku,
        l.type,
        l.digital_file_id,
        l.quantity,
        l.unit_amount,
        l.discount,
        l.tax,
        l.total,
        i,
      ),
  );
  const event = d1
    .prepare(
      `INSERT INTO commerce_order_events (tenant_id, id, order_id, type, actor, detail, created_at)
       SELECT ?1, ?2, ?3, 'created', 'customer', ?4, ?5 WHERE EXISTS (SELECT 1 FROM commerce_orders WHERE tenant_id = ?1 AND id = ?3)`,
    )
    .bind(co.tenantId, newId("oev"), id, JSON.stringify({ provider: o.provider, total: t.total, currency: co.currency }), now);
  try {
    await d1.batch([insertOrder, ...lineStmts, event]);
  } catch (err) {
    // The unique (tenant, checkout) index lost a race with a twin request: theirs is the order.
    if (!/UNIQUE/.test(String((err as Error)?.message))) throw err;
  }
  const row = await orderOfCheckout(db, co.tenantId, co.id);
  if (!row) throw new Error("order not created");
  return row;
}

/** A conditional move of the order's status; true when this call made it. */
export async function moveOrder(
  db: Db,
  tenantId: string,
  orderId: string,
  from: OrderStatus[],
  set: Partial<typeof commerceOrders.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(commerceOrders)
    .set({ ...set, updatedAt: Date.now() })
    .where(and(eq(commerceOrders.tenantId, tenantId), eq(commerceOrders.id, orderId), inArray(commerceOrders.status, from)))
    .returning({ id: commerceOrders.id });
  return rows.length === 1;
}

/** pending → payment_failed (a declined capture, a failed PaymentIntent). Nothing after paid. */
export async function markFailed(
  db: Db,
  tenantId: string,
  orderId: string,
  reason: string,
  actor: string,
  eventId?: string | null,
): Promise<boolean> {
  const moved = await moveOrder(db, tenantId, orderId, ["pending"], { status: "payment_failed", failureReason: reason.slice(0, 300) });
  if (moved) await addTimeline(db, tenantId, orderId, "payment_failed", actor, { reason, event_id: eventId ?? null });
  return moved;
}

/**
 * The checkout's hold ran out (commerce cron) or staff cancelled an unpaid order: the pending /
 * failed order becomes expired|cancelled and its stock and coupon use are given back.
 */
export async function closeUnpaidOrder(
  db: Db,
  tenantId: string,
  order: Pick<OrderRow, "id" | "checkoutId">,
  to: "expired" | "cancelled",
  actor: string,
  reason?: string,
): Promise<boolean> {
  const now = Date.now();
  const moved = await moveOrder(db, tenantId, order.id, ["pending", "payment_failed"], {
    status: to,
    ...(to === "cancelled" ? { cancelledAt: now } : {}),
  });
  if (!moved) return false;
  await releaseReservations(db, tenantId, order.checkoutId, now);
  await releaseRedemptions(db, tenantId, order.checkoutId, now);
  await db.batch([
    timelineInsert(db, tenantId, order.id, to, actor, reason ? { reason } : {}),
    db
      .update(commerceCheckouts)
      .set({ status: to === "expired" ? "expired" : "cancelled", updatedAt: now })
      .where(and(eq(commerceCheckouts.tenantId, tenantId), eq(commerceCheckouts.id, order.checkoutId))),
  ]);
  return true;
}
