import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { commerceFulfilments, commerceOrderLines, commerceOrders } from "../../../schema/commerce-orders";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { publishOrderEvent, timelineInsert } from "./order-events";
import { getOrderRow, orderLines } from "./orders.service";
import { sendShipped } from "./receipts";

/**
 * Shipping an order's physical lines (digital lines are delivered at once when paid). A
 * fulfilment records which units left, with carrier and tracking; each line's fulfilled quantity
 * grows by a guarded UPDATE (the table's CHECK keeps it ≤ quantity, so two racing shipments of the
 * same units cannot both pass). When every physical unit not refunded has shipped, the order is
 * `fulfilled` (paid → fulfilled; fulfilment_status → fulfilled), else `partial`.
 */

export interface FulfilmentInput {
  lines?: { line_id: string; quantity: number }[];
  carrier?: string | null;
  tracking_number?: string | null;
  tracking_url?: string | null;
  notify?: boolean;
}

const SHIPPABLE = ["paid", "partially_refunded", "fulfilled"] as const;

export async function createFulfilment(env: Env, db: Db, tenantId: string, orderId: string, input: FulfilmentInput, actor: string) {
  const order = await getOrderRow(db, tenantId, orderId);
  if (!(SHIPPABLE as readonly string[]).includes(order.status))
    throw new Problem(409, "not-fulfillable", "Conflict", `A ${order.status} order cannot be shipped.`, { status: order.status });
  const lines = (await orderLines(db, tenantId, orderId)).filter((l) => l.type === "physical");
  const open = (l: (typeof lines)[number]) => l.quantity - l.refundedQuantity - l.fulfilledQuantity;
  const wanted = input.lines?.length ? input.lines : lines.filter((l) => open(l) > 0).map((l) => ({ line_id: l.id, quantity: open(l) }));
  const errors: { path: string; message: string }[] = [];
  wanted.forEach((w, i) => {
    const l = lines.find((x) => x.id === w.line_id);
    if (!l) errors.push({ path: `lines.${i}.line_id`, message: "not a physical line of this order" });
    else if (w.quantity < 1 || w.quantity > open(l))
      errors.push({ path: `lines.${i}.quantity`, message: `at most ${open(l)} left to ship` });
  });
  if (errors.length) throw validationFailed(errors);
  if (!wanted.length) throw new Problem(409, "nothing-to-ship", "Conflict", "Every physical item of this order has shipped.");
  const id = newId("ful");
  const now = Date.now();
  const f = {
    tenantId,
    id,
    orderId,
    lines: wanted,
    carrier: input.carrier?.trim() || null,
    trackingNumber: input.tracking_number?.trim() || null,
    trackingUrl: input.tracking_url?.trim() || null,
    createdBy: actor,
    createdAt: now,
  };
  try {
    const stmts: BatchItem<"sqlite">[] = [
      ...wanted.map((w) =>
        db
          .update(commerceOrderLines)
          .set({ fulfilledQuantity: sql`${commerceOrderLines.fulfilledQuantity} + ${w.quantity}` })
          .where(and(eq(commerceOrderLines.tenantId, tenantId), eq(commerceOrderLines.id, w.line_id))),
      ),
      db.insert(commerceFulfilments).values(f),
      timelineInsert(db, tenantId, orderId, "fulfilled", actor, {
        fulfilment_id: id,
        lines: wanted,
        carrier: f.carrier,
        tracking_number: f.trackingNumber,
      }),
    ];
    await db.batch(stmts as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (e) {
    if (/CHECK constraint failed/.test(String((e as Error)?.message)))
      throw new Problem(409, "already-shipped", "Conflict", "Those units have shipped meanwhile.");
    throw e;
  }
  const after = await orderLines(db, tenantId, orderId);
  const physical = after.filter((l) => l.type === "physical");
  const complete = physical.every((l) => l.fulfilledQuantity + l.refundedQuantity >= l.quantity);
  await db
    .update(commerceOrders)
    .set({
      fulfilmentStatus: complete ? "fulfilled" : "partial",
      ...(complete ? { fulfilledAt: now } : {}),
      status: sql`CASE WHEN ${commerceOrders.status} = 'paid' AND ${complete ? 1 : 0} = 1 THEN 'fulfilled' ELSE ${commerceOrders.status} END`,
      updatedAt: now,
    })
    .where(and(eq(commerceOrders.tenantId, tenantId), eq(commerceOrders.id, orderId), inArray(commerceOrders.status, [...SHIPPABLE])));
  await publishOrderEvent(
    env,
    db,
    tenantId,
    "order.fulfilled",
    { order_id: orderId, number: order.number, fulfilment_id: id, lines: wanted, carrier: f.carrier, tracking_number: f.trackingNumber },
    `order.fulfilled:${id}`,
  );
  if (input.notify !== false) await sendShipped(env, db, order, f);
  return f;
}
