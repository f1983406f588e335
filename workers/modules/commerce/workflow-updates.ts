import type { Env } from "../../platform/env";
import type { Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { addNote, cancelOrder } from "./orders.actions";
import { getOrderRow } from "./orders.service";

/**
 * An order change asked for by an automation workflow's update_record step (modules/workflows): a
 * timeline note, or cancelling (the same cancelOrder as the dashboard: refund rules, events). The
 * order is read within `tenantId`, so another workspace's id is a 404.
 */
export async function updateOrderFromWorkflow(
  env: Env,
  db: Db,
  tenantId: string,
  orderId: string,
  changes: { status?: unknown; note?: unknown },
  actor: string,
) {
  await getOrderRow(db, tenantId, orderId);
  if (changes.status !== undefined && changes.status !== "cancelled")
    throw badRequest("A workflow may set an order's status to cancelled only.");
  if (changes.note !== undefined) await addNote(db, tenantId, orderId, String(changes.note), actor);
  if (changes.status === "cancelled") await cancelOrder(env, db, tenantId, orderId, { reason: "Cancelled by a workflow" }, actor);
  const order = await getOrderRow(db, tenantId, orderId);
  return { id: order.id, status: order.status };
}
