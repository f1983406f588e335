import { and, eq } from "drizzle-orm";
import { listSyncConnections } from "../../../../schema/list-sync";
import type { Db } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { createLogger } from "../../../platform/logger";
import { enqueueListSync } from "./messages";

const log = createLogger({ component: "list_sync" });

/**
 * The "subscriber changed" hook (list-subscribers.service calls it where a subscriber's status changes):
 * queues an incremental sync of that address when the list has an enabled connection. One indexed
 * read when it has none. Never throws: the subscriber change is already committed, and the
 * scheduled full sync catches up anything missed.
 */
export async function subscriberChanged(db: Db, env: Env, tenantId: string, listId: string, email: string): Promise<void> {
  try {
    const conn = await db
      .select({ id: listSyncConnections.id })
      .from(listSyncConnections)
      .where(and(eq(listSyncConnections.tenantId, tenantId), eq(listSyncConnections.listId, listId), eq(listSyncConnections.enabled, true)))
      .limit(1)
      .get();
    if (conn) await enqueueListSync(env.OUTBOX, { v: 1, kind: "list_sync.change", tenantId, listId, email: email.toLowerCase() });
  } catch (e) {
    log.warn("list_sync_change_not_queued", { tenant_id: tenantId, list_id: listId, error: e instanceof Error ? e.message : String(e) });
  }
}
