/**
 * Workspace events (the webhook catalogue: member joined, subscription changed, order paid…) for
 * listeners above the webhooks module — the automation workflows' event triggers. The webhooks
 * module's publishEvent emits every event here with its event id; the composition root
 * (workers/compose.ts) sets the listener. Like product events, an unset listener throws: a missing
 * wiring must not go unnoticed. A listener's failure is logged, never the publisher's problem.
 */
import type { Db } from "./db";
import { createLogger } from "./logger";

export interface WorkspaceEvent {
  tenantId: string;
  type: string;
  data: Record<string, unknown>;
  /** The published event's id: listeners are idempotent by it. */
  eventId: string;
}
export type WorkspaceEventListener = (db: Db, e: WorkspaceEvent) => Promise<void>;

let listener: WorkspaceEventListener | null = null;
const log = createLogger({ component: "workspace-events" });

export function setWorkspaceEventListener(fn: WorkspaceEventListener): void {
  listener = fn;
}

export async function emitWorkspaceEvent(db: Db, e: WorkspaceEvent): Promise<void> {
  if (!listener) throw new Error("workspace events are not configured: composeModules() must run first");
  try {
    await listener(db, e);
  } catch (err) {
    log.error("workspace_event_listener_failed", { tenant_id: e.tenantId, type: e.type, event_id: e.eventId, error: String(err) });
  }
}
