import { and, eq, isNotNull, lte } from "drizzle-orm";
import { crmConnections } from "../../../schema/crm-sync";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { runSync } from "./engine";
import { startRun } from "./runs.service";

/**
 * Scheduled syncs (every cron tick, from workers/index.ts): connections whose `next_sync_at` is due
 * (per-connection interval) are claimed with a compare-and-set on that time, so overlapping ticks
 * start a connection once, and run one after another (at most 10 per tick). Broken connections
 * (status `error`) wait for a person to reconnect.
 */
export async function runCrmSyncCron(env: Env, now: number): Promise<{ ran: number }> {
  const db = getDb(env.DB);
  const due = await db
    .select()
    .from(crmConnections)
    .where(and(isNotNull(crmConnections.nextSyncAt), lte(crmConnections.nextSyncAt, now), eq(crmConnections.status, "active")))
    .limit(10);
  let ran = 0;
  for (const c of due) {
    if (c.nextSyncAt === null || !c.intervalMinutes) continue;
    const claimed = await db
      .update(crmConnections)
      .set({ nextSyncAt: now + c.intervalMinutes * 60_000 })
      .where(and(eq(crmConnections.id, c.id), eq(crmConnections.nextSyncAt, c.nextSyncAt)))
      .returning({ id: crmConnections.id });
    if (!claimed.length) continue;
    const { run, fresh } = await startRun(db, c, "schedule");
    if (!fresh) continue;
    await runSync(env, c.tenantId, run.id);
    ran++;
  }
  return { ran };
}
