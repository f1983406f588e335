import { asc, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import {
  commerceFulfilments,
  commerceOrderEvents,
  commerceOrders,
  type FulfilmentStatus,
  type OrderStatus,
} from "../../../schema/commerce-orders";
import { containsPattern, getDb, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { timingSafeEqual } from "../../platform/crypto";
import { keyset, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { getOrderRow, orderLines, type OrderRow } from "./orders.service";
import { downloadLinks } from "./receipts";
import { refundsOf } from "./refunds.service";

/** Reads of orders: the staff list and detail (with its timeline), and the buyer's view by access token. */

export function serializeOrder(o: OrderRow & { lineCount?: number; itemCount?: number }) {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    fulfilment_status: o.fulfilmentStatus,
    email: o.email,
    end_user_id: o.endUserId,
    currency: o.currency,
    subtotal: o.subtotal,
    discount: o.discount,
    shipping: o.shipping,
    tax: o.tax,
    total: o.total,
    refunded: o.refunded,
    coupon_code: o.couponCode,
    shipping_address: o.shippingAddress ?? null,
    shipping_name: o.shippingName,
    provider: o.provider,
    provider_payment_id: o.providerPaymentId,
    failure_reason: o.failureReason,
    created_at: iso(o.createdAt) ?? "",
    paid_at: iso(o.paidAt),
    fulfilled_at: iso(o.fulfilledAt),
    cancelled_at: iso(o.cancelledAt),
    refunded_at: iso(o.refundedAt),
    line_count: o.lineCount ?? 0,
    item_count: o.itemCount ?? 0,
  };
}

export interface OrderFilters {
  status?: OrderStatus;
  fulfilment_status?: FulfilmentStatus;
  q?: string;
  from?: string;
  to?: string;
  customer?: string;
  cursor?: string;
  limit: number;
}

// Qualified by hand: inside a subquery drizzle would print the outer columns unqualified.
const lineCount = sql<number>`(SELECT count(*) FROM commerce_order_lines l WHERE l.tenant_id = commerce_orders.tenant_id AND l.order_id = commerce_orders.id)`;
const itemCount = sql<number>`(SELECT coalesce(sum(l.quantity), 0) FROM commerce_order_lines l WHERE l.tenant_id = commerce_orders.tenant_id AND l.order_id = commerce_orders.id)`;

/** Newest first; `q` is an order number (with or without #) or part of an email. */
export async function listOrders(db: Db, tenantId: string, f: OrderFilters, extra?: SQL) {
  const page = keyset(commerceOrders.createdAt, commerceOrders.id, f.cursor);
  const conds: (SQL | undefined)[] = [page.where, extra];
  if (f.status) conds.push(eq(commerceOrders.status, f.status));
  if (f.fulfilment_status) conds.push(eq(commerceOrders.fulfilmentStatus, f.fulfilment_status));
  if (f.customer) conds.push(eq(commerceOrders.email, f.customer.trim().toLowerCase()));
  if (f.from) conds.push(gte(commerceOrders.createdAt, Date.parse(f.from)));
  if (f.to) conds.push(lt(commerceOrders.createdAt, Date.parse(f.to)));
  if (f.q?.trim()) {
    const q = f.q.trim().replace(/^#/, "");
    conds.push(
      /^\d{1,12}$/.test(q)
        ? or(eq(commerceOrders.number, Number(q)), sql`${commerceOrders.email} LIKE ${containsPattern(q.toLowerCase())} ESCAPE '\\'`)
        : sql`${commerceOrders.email} LIKE ${containsPattern(q.toLowerCase())} ESCAPE '\\'`,
    );
  }
  const rows = await db
    .select({ o: commerceOrders, lineCount, itemCount })
    .from(commerceOrders)
    .where(tenantScope(db, tenantId).where(commerceOrders, ...conds.filter((c): c is SQL => !!c)))
    .orderBy(...page.orderBy)
    .limit(f.limit + 1);
  return toPage(
    rows,
    f.limit,
    (r) => ({ createdAt: r.o.createdAt, id: r.o.id }),
    (r) => serializeOrder({ ...r.o, lineCount: r.lineCount, itemCount: r.itemCount }),
  );
}

export async function orderDetail(db: Db, tenantId: string, orderId: string) {
  const o = await getOrderRow(db, tenantId, orderId);
  const [lines, events, refunds, fulfilments] = await Promise.all([
    orderLines(db, tenantId, orderId),
    db
      .select()
      .from(commerceOrderEvents)
      .where(tenantScope(db, tenantId).where(commerceOrderEvents, eq(commerceOrderEvents.orderId, orderId)))
      .orderBy(asc(commerceOrderEvents.createdAt), asc(commerceOrderEvents.id)),
    refundsOf(db, tenantId, orderId),
    fulfilmentsOf(db, tenantId, orderId),
  ]);
  return {
    ...serializeOrder({ ...o, lineCount: lines.length, itemCount: lines.reduce((n, l) => n + l.quantity, 0) }),
    lines: lines.map((l) => ({
      id: l.id,
      product_id: l.productId,
      variant_id: l.variantId,
      title: l.title,
      variant_title: l.variantTitle,
      sku: l.sku,
      type: l.type,
      quantity: l.quantity,
      unit_amount: l.unitAmount,
      discount: l.discount,
      tax: l.tax,
      total: l.total,
      fulfilled_quantity: l.fulfilledQuantity,
      refunded_quantity: l.refundedQuantity,
    })),
    events: events.map((e) => ({ id: e.id, type: e.type, actor: e.actor, detail: e.detail, created_at: iso(e.createdAt) ?? "" })),
    refunds: refunds.map((r) => ({
      id: r.id,
      amount: r.amount,
      lines: r.lines,
      reason: r.reason,
      status: r.status,
      failure_reason: r.failureReason,
      created_at: iso(r.createdAt) ?? "",
    })),
    fulfilments: fulfilments.map((f) => ({
      id: f.id,
      lines: f.lines,
      carrier: f.carrier,
      tracking_number: f.trackingNumber,
      tracking_url: f.trackingUrl,
      created_at: iso(f.createdAt) ?? "",
    })),
  };
}
export type OrderDetail = Awaited<ReturnType<typeof orderDetail>>;

export async function fulfilmentsOf(db: Db, tenantId: string, orderId: string) {
  return db
    .select()
    .from(commerceFulfilments)
    .where(tenantScope(db, tenantId).where(commerceFulfilments, eq(commerceFulfilments.orderId, orderId)))
    .orderBy(asc(commerceFulfilments.createdAt));
}

/** An order as its buyer sees it, given its access token (a wrong token is "not found"). */
export async function buyerOrder(env: Env, db: Db, tenantId: string, orderId: string, token: string) {
  const o = await db
    .select()
    .from(commerceOrders)
    .where(tenantScope(db, tenantId).where(commerceOrders, eq(commerceOrders.id, orderId)))
    .get();
  if (!o || !token || !timingSafeEqual(token, o.accessToken)) throw notFound("Order");
  return buyerView(env, db, o);
}

export async function buyerView(env: Env, db: Db, o: OrderRow) {
  const [lines, fulfilments] = await Promise.all([orderLines(db, o.tenantId, o.id), fulfilmentsOf(db, o.tenantId, o.id)]);
  const links = await downloadLinks(env, o, lines);
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    fulfilment_status: o.fulfilmentStatus,
    email: o.email,
    currency: o.currency,
    totals: { subtotal: o.subtotal, discount: o.discount, shipping: o.shipping, tax: o.tax, total: o.total },
    refunded: o.refunded,
    lines: lines.map((l) => ({
      title: l.title,
      variant_title: l.variantTitle,
      quantity: l.quantity,
      unit_amount: l.unitAmount,
      total: l.total,
      type: l.type,
      download_url: links.get(l.id) ?? null,
    })),
    shipping_address: o.shippingAddress ?? null,
    tracking: fulfilments
      .filter((f) => f.trackingNumber || f.carrier)
      .map((f) => ({ carrier: f.carrier, tracking_number: f.trackingNumber, tracking_url: f.trackingUrl })),
    failure_reason: o.failureReason,
    created_at: iso(o.createdAt) ?? "",
    paid_at: iso(o.paidAt),
  };
}
export type BuyerOrder = Awaited<ReturnType<typeof buyerView>>;

/** The portal's "my orders": an end user's orders (signed-in ones, and those placed with their id), newest first. */
/**
 * The end user's latest orders as an unexecuted query and its mapper, so a page that reads several
 * modules (the portal home) can run them in one `db.batch()` round trip.
 */
export function latestOrdersOfEndUserRead(db: Db, tenantId: string, endUserId: string, limit: number) {
  const query = db
    .select({ o: commerceOrders, lineCount, itemCount })
    .from(commerceOrders)
    .where(tenantScope(db, tenantId).where(commerceOrders, eq(commerceOrders.endUserId, endUserId)))
    .orderBy(desc(commerceOrders.createdAt), desc(commerceOrders.id))
    .limit(limit);
  type Row = Awaited<typeof query>[number];
  return { query, map: (rows: Row[]) => rows.map((r) => serializeOrder({ ...r.o, lineCount: r.lineCount, itemCount: r.itemCount })) };
}

export async function ordersOfEndUser(env: Env, tenantId: string, endUserId: string, page: { cursor?: string; limit?: number } = {}) {
  const db = getDb(env.DB);
  return listOrders(db, tenantId, { cursor: page.cursor, limit: page.limit ?? 20 }, eq(commerceOrders.endUserId, endUserId));
}
