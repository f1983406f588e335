import { and, eq, lte } from "drizzle-orm";
import { listSyncConnections } from "../../../../schema/list-sync";
import { getDb } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { nextSyncAfter } from "./engine";
import { startRun } from "./service";

/**
 * Scheduled syncs (every cron tick, from workers/index.ts through messaging's entry): connections
 * whose `next_sync_at` is due get a full sync queued. The next time is claimed with a
 * compare-and-set first, so overlapping ticks queue a connection once.
 */
export async function runListSyncCron(env: Env, now: number): Promise<{ queued: number }> {
  const db = getDb(env.DB);
  const due = await db
    .select()
    .from(listSyncConnections)
    .where(and(eq(listSyncConnections.enabled, true), lte(listSyncConnections.nextSyncAt, now)))
    .limit(100);
  let queued = 0;
  for (const c of due) {
    if (c.nextSyncAt === null) continue;
    const claimed = await db
      .update(listSyncConnections)
      .set({ nextSyncAt: nextSyncAfter(c.schedule, now) })
      .where(and(eq(listSyncConnections.id, c.id), eq(listSyncConnections.nextSyncAt, c.nextSyncAt)))
      .returning({ id: listSyncConnections.id });
    if (!claimed.length) continue;
    if (await startRun(db, env, c, "schedule", { skipIfActive: true })) queued++;
  }
  return { queued };
}
