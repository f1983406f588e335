import { and, eq } from "drizzle-orm";
import { webhookEndpoints, webhookEvents } from "../../../schema/webhooks";
import { tenantScope, type Db } from "../../platform/db";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { emitWorkspaceEvent } from "../../platform/workspace-events";
import { enqueueRows, type OutboxMessage } from "../messaging";
import type { EventType } from "./catalogue";

/**
 * Publishes a workspace event to its webhook endpoints: stores the exact JSON body once (its id is
 * the `webhook-id` of every attempt), then one outbox message per subscribed, enabled endpoint.
 * `onlyEndpointId` targets one endpoint regardless of its subscriptions (the "send test event" button).
 */
export async function publishEvent(
  db: Db,
  queue: Queue<OutboxMessage>,
  e: { tenantId: string; type: EventType; data: Record<string, unknown>; onlyEndpointId?: string; eventId?: string },
): Promise<{ eventId: string; messageIds: string[] }> {
  // A caller-chosen id makes publishing idempotent: the same event id is published once.
  const id = e.eventId ?? newId("evt");
  // Workflow event triggers (platform/workspace-events.ts) see every event but the "send test event" button's.
  if (!e.onlyEndpointId) await emitWorkspaceEvent(db, { tenantId: e.tenantId, type: e.type, data: e.data, eventId: id });
  const now = Date.now();
  const payload = JSON.stringify({ type: e.type, timestamp: new Date(now).toISOString(), data: e.data });
  const endpoints = await db
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(
      tenantScope(db, e.tenantId).where(
        webhookEndpoints,
        eq(webhookEndpoints.status, "enabled"),
        e.onlyEndpointId ? eq(webhookEndpoints.id, e.onlyEndpointId) : undefined,
      ),
    );
  const targets = e.onlyEndpointId ? endpoints : endpoints.filter((ep) => ep.eventTypes.length === 0 || ep.eventTypes.includes(e.type));
  if (!targets.length) return { eventId: id, messageIds: [] };
  const stored = await db
    .insert(webhookEvents)
    .values({ tenantId: e.tenantId, id, type: e.type, payload, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  if (!stored.length) return { eventId: id, messageIds: [] }; // published before
  const rows = targets.map((ep) => ({
    id: newId("msg"),
    tenantId: e.tenantId,
    channel: "webhook" as const,
    recipient: ep.id,
    template: e.type,
    data: { event_id: id },
    category: "transactional",
    idempotencyKey: `${e.tenantId}:${id}:${ep.id}`,
    status: "queued" as const,
    subject: e.type,
    createdAt: now,
    updatedAt: now,
  }));
  const created = await enqueueRows(db, queue, rows);
  return { eventId: id, messageIds: [...created] };
}

export async function eventPayload(db: Db, tenantId: string, eventId: string): Promise<string | null> {
  const row = await db
    .select({ payload: webhookEvents.payload })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.tenantId, tenantId), eq(webhookEvents.id, eventId)))
    .get();
  return row?.payload ?? null;
}

/**
 * For other modules, after their own change is committed: publishes and never throws (a webhook
 * fan-out problem must not fail an invitation, a payment or a chat). Failures are logged.
 */
export async function publishEventSafely(
  db: Db,
  queue: Queue<OutboxMessage>,
  e: { tenantId: string; type: EventType; data: Record<string, unknown>; eventId?: string },
): Promise<void> {
  try {
    await publishEvent(db, queue, e);
  } catch (err) {
    createLogger({ component: "webhooks", tenant_id: e.tenantId }).error("publish_failed", {
      type: e.type,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
