/**
 * Events other modules record into a workspace's OWN analytics (e.g. commerce's purchase funnel:
 * product_viewed → cart_item_added → checkout_started → order_completed), through the same Queue
 * and consumer as the tracker and the server API: idempotent by event id, so a retried caller
 * counts once. Metered like every stored event (the consumer meters `analytics_events`). Recording
 * never fails the caller: errors are logged.
 */
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { enqueueEvents } from "./ingest.service";

const log = createLogger({ component: "workspace-events" });

export interface WorkspaceEvent {
  /** Stable id (≤ 100 chars, [\w.:-]): the same id is stored once. */
  id: string;
  /** snake_case event name. */
  name: string;
  /** The person in the workspace's analytics: an end-user id, a visitor's anonymous id or an email. */
  distinctId: string;
  props?: Record<string, unknown>;
  ts?: number;
}

export async function recordWorkspaceEvents(env: Env, tenantId: string, events: WorkspaceEvent[]): Promise<void> {
  if (events.length === 0) return;
  const now = Date.now();
  try {
    await enqueueEvents(env, {
      tenantId,
      source: "server",
      events: events.map((e) => ({
        id: e.id.slice(0, 100).replace(/[^\w.:-]/g, "_"),
        name: e.name,
        distinct_id: e.distinctId,
        ts: e.ts ?? now,
        props: e.props ?? {},
      })),
      userAgent: null,
      country: null,
      sampleRate: 1,
      receivedAt: now,
    });
  } catch (err) {
    log.error("workspace_events_failed", { tenantId, count: events.length, error: String(err) });
  }
}
