import { eq } from "drizzle-orm";
import { insightCronState, insightSettings } from "../../../schema/insights";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { workspaceIdsAfter } from "../tenancy";
import { detectAlerts } from "./alerts.service";
import { DAY_MS, dayKey } from "./days";
import { ensureSettings, runDigests } from "./digest.service";
import { snapshotDay } from "./snapshots.service";

/** Workspaces snapshotted per tick: 144 ticks a day × 25 = 3,600 workspaces a day before the walk lags. */
export const TENANTS_PER_TICK = 25;

/**
 * One workspace's day: snapshots of every metric (an upsert), then the anomaly check of that day.
 * Idempotent: a second run rewrites the same snapshots, finds the alerts already stored and sends nothing.
 */
export async function runTenantDay(db: Db, env: Env, tenantId: string, day: string, now = Date.now()) {
  const settings = await ensureSettings(db, tenantId, now);
  const values = await snapshotDay(db, tenantId, day, now);
  const alerts = values && settings.alertsEnabled ? await detectAlerts(db, env, tenantId, day, now) : [];
  await db.update(insightSettings).set({ snapshotDay: day }).where(eq(insightSettings.tenantId, tenantId));
  return { snapshotted: values !== null, alerts: alerts.length };
}

/**
 * The insights cron (workers/index.ts scheduled(), every tick). Snapshots of yesterday (UTC) walk the
 * workspaces in id order, TENANTS_PER_TICK per tick, from a cursor that restarts each new day; then
 * the digests that are due go out.
 */
export async function runInsightsCron(env: Env, now = Date.now()): Promise<{ tenants: number; alerts: number; digests: number }> {
  const db = getDb(env.DB);
  const day = dayKey(now - DAY_MS);
  const [state] = await db.select().from(insightCronState).where(eq(insightCronState.key, "snapshots"));
  const after = state && state.day === day ? state.afterTenantId : "";
  const ids = state && state.day === day && state.afterTenantId === "~" ? [] : await workspaceIdsAfter(db, after, TENANTS_PER_TICK);
  let alerts = 0;
  for (const tenantId of ids) {
    try {
      const s = await ensureSettings(db, tenantId, now);
      if (s.snapshotDay && s.snapshotDay >= day) continue;
      alerts += (await runTenantDay(db, env, tenantId, day, now)).alerts;
    } catch (err) {
      createLogger({ component: "insights", tenant_id: tenantId }).error("insights_snapshot_failed", { day, error: String(err) });
    }
  }
  // "~" sorts after every id: the walk of this day is over.
  const cursor = ids.length < TENANTS_PER_TICK ? "~" : (ids[ids.length - 1] as string);
  if (!state || state.day !== day || ids.length)
    await db
      .insert(insightCronState)
      .values({ key: "snapshots", day, afterTenantId: cursor, updatedAt: now })
      .onConflictDoUpdate({ target: insightCronState.key, set: { day, afterTenantId: cursor, updatedAt: now } });
  const digests = await runDigests(db, env, now);
  return { tenants: ids.length, alerts, digests };
}
