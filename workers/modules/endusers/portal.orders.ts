import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { buyerView, getOrderRow, ordersOfEndUser, reorder, resendReceipt } from "../commerce";
import { createTicket } from "../tickets";

/**
 * An end user's orders, from commerce's public entry (orders placed signed in, or with their id).
 * Only the buyer's fields leave here (no provider ids); another end user's order is a 404.
 */
export const ORDERS_AVAILABLE = true;

type OrderJson = Awaited<ReturnType<typeof ordersOfEndUser>>["data"][number];

export interface OrderSummary {
  id: string;
  number: number;
  status: string;
  fulfilment_status: string;
  currency: string;
  total: number;
  refunded: number;
  item_count: number;
  created_at: string;
  paid_at: string | null;
}

export async function myOrders(env: Env, tenantId: string, endUserId: string, page: { cursor?: string; limit?: number }) {
  const p = await ordersOfEndUser(env, tenantId, endUserId, page);
  return { data: p.data.map(orderSummary), next_cursor: p.next_cursor };
}

/** What the portal shows of an order in a list. */
export const orderSummary = (o: OrderJson): OrderSummary => ({
  id: o.id,
  number: o.number,
  status: o.status,
  fulfilment_status: o.fulfilment_status,
  currency: o.currency,
  total: o.total,
  refunded: o.refunded,
  item_count: o.item_count,
  created_at: o.created_at,
  paid_at: o.paid_at,
});

async function ownOrderRow(db: Db, tenantId: string, endUserId: string, orderId: string) {
  const row = await getOrderRow(db, tenantId, orderId).catch(() => null);
  if (!row || row.endUserId !== endUserId) throw notFound("Order");
  return row;
}

/** The order as its buyer sees it: lines, totals, tracking, download links (signed, short-lived) once paid. */
export async function myOrder(env: Env, db: Db, tenantId: string, endUserId: string, orderId: string) {
  return buyerView(env, db, await ownOrderRow(db, tenantId, endUserId, orderId));
}

export async function resendMyReceipt(env: Env, db: Db, tenantId: string, endUserId: string, orderId: string) {
  const row = await ownOrderRow(db, tenantId, endUserId, orderId);
  await resendReceipt(env, tenantId, row.id, `end_user:${endUserId}`);
  return row;
}

/** "Buy again": a new checkout with the order's lines at today's prices, for the hosted checkout. */
export async function reorderMine(env: Env, db: Db, tenantId: string, endUserId: string, orderId: string) {
  return reorder(env, db, await ownOrderRow(db, tenantId, endUserId, orderId));
}

/** "Request a refund" opens a support ticket of kind `refund` linked to the order; staff decide in the inbox. */
export async function requestRefund(
  db: Db,
  tenantId: string,
  user: { id: string; name: string; email: string },
  orderId: string,
  message: string,
) {
  const row = await ownOrderRow(db, tenantId, user.id, orderId);
  return createTicket(db, tenantId, {
    endUserId: user.id,
    authorName: user.name || user.email,
    subject: `Refund request for order #${row.number}`,
    body: message,
    attachments: [],
    kind: "refund",
    orderId: row.id,
  });
}
