/**
 * Daily: deletes raw events older than the workspace's retention (its setting, capped by its plan's
 * period — PLAN_RETENTION_DAYS) and the person timelines of the days they leave. Rollups, persons
 * and saved funnels are kept. Deletes run in chunks so one run never holds D1 for long; what a run
 * leaves is taken by the next.
 */
import { sql } from "drizzle-orm";
import { checkQuota } from "../billing";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { runAllRecoveries } from "./recovery";
import { pruneTimelines } from "./timelines";
import { getAnalyticsSettings, PLAN_RETENTION_DAYS } from "./settings.service";

const log = createLogger({ component: "analytics-cron" });
export const DAILY_ANALYTICS_CRON = "15 0 * * *";
const DAY_MS = 86_400_000;
const CHUNK = 5_000;
const MAX_CHUNKS_PER_TENANT = 40;

/** The retention that applies: the workspace's own period if shorter than its plan's. */
export function effectiveRetentionDays(plan: string, setting: number | null): number {
  const planDays = PLAN_RETENTION_DAYS[plan] ?? 90;
  return setting === null ? planDays : Math.min(setting, planDays);
}

export async function pruneRawEvents(env: Env, now = Date.now()): Promise<{ tenants: number; deleted: number }> {
  const db = getDb(env.DB);
  const tenants = await db.all<{ tenant_id: string }>(sql`SELECT DISTINCT tenant_id FROM analytics_events`);
  let deleted = 0;
  for (const { tenant_id: tenantId } of tenants) {
    const [quota, settings] = await Promise.all([
      checkQuota(db, env.DB, tenantId, "analytics_events", 0),
      getAnalyticsSettings(db, tenantId),
    ]);
    const cutoff = now - effectiveRetentionDays(quota.plan, settings.retentionDays) * DAY_MS;
    let tenantDeleted = 0;
    for (let i = 0; i < MAX_CHUNKS_PER_TENANT; i++) {
      const r = await env.DB.prepare(
        "DELETE FROM analytics_events WHERE rowid IN (SELECT rowid FROM analytics_events WHERE tenant_id = ?1 AND ts < ?2 LIMIT ?3)",
      )
        .bind(tenantId, cutoff, CHUNK)
        .run();
      deleted += r.meta.changes;
      tenantDeleted += r.meta.changes;
      if (r.meta.changes < CHUNK) break;
    }
    if (tenantDeleted) await pruneTimelines(env.DB, tenantId);
  }
  if (deleted) log.info("raw_events_pruned", { tenants: tenants.length, deleted });
  return { tenants: tenants.length, deleted };
}

export async function runAnalyticsCron(cron: string, env: Env, at: number): Promise<void> {
  if (cron !== DAILY_ANALYTICS_CRON) return;
  await pruneRawEvents(env, at);
  const r = await runAllRecoveries(env, at);
  if (r.sent) log.info("churn_recovery_sent", r);
}
