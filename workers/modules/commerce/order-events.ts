import { commerceOrderEvents } from "../../../schema/commerce-orders";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { recordWorkspaceEvents } from "../analytics";
import { publishEventSafely } from "../webhooks";

/**
 * An order's timeline and what it tells the outside: timeline rows (`commerce_order_events`,
 * actor "system" | "provider:<name>" | "customer" | a member id), outbound webhook events and the
 * workspace's own analytics (the purchase funnel). Outbound events carry a stable id, so an effect
 * run twice publishes once.
 */

export function timelineInsert(
  db: Db,
  tenantId: string,
  orderId: string,
  type: string,
  actor: string,
  detail: Record<string, unknown> = {},
) {
  return db.insert(commerceOrderEvents).values({ tenantId, id: newId("oev"), orderId, type, actor, detail, createdAt: Date.now() });
}

export async function addTimeline(
  db: Db,
  tenantId: string,
  orderId: string,
  type: string,
  actor: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await timelineInsert(db, tenantId, orderId, type, actor, detail);
}

export type OrderWebhookType = "order.paid" | "order.refunded" | "order.fulfilled" | "order.cancelled";

export async function publishOrderEvent(
  env: Env,
  db: Db,
  tenantId: string,
  type: OrderWebhookType,
  data: Record<string, unknown>,
  eventId: string,
): Promise<void> {
  await publishEventSafely(db, env.OUTBOX, { tenantId, type, data, eventId });
}

/** Purchase-funnel events in the workspace's own analytics (never fails the caller). */
export async function recordFunnel(
  env: Env,
  tenantId: string,
  name: "checkout_started" | "order_completed",
  id: string,
  distinctId: string,
  props: Record<string, unknown>,
): Promise<void> {
  await recordWorkspaceEvents(env, tenantId, [{ id: `${name}:${id}`, name, distinctId, props }]);
}
