import { and, asc, between, eq, gte, sql } from "drizzle-orm";
import { insightSnapshots } from "../../../schema/insights";
import type { Db } from "../../platform/db";
import { BASELINE_DAYS } from "./anomaly";
import { addDays, DAY_MS, dayStart } from "./days";
import { computeMetrics, METRICS } from "./metrics";

/**
 * The day's value of every metric for a workspace, upserted (running it twice for a day rewrites the
 * same rows). A workspace with nothing in any metric that day and no snapshot in the baseline window
 * writes nothing: quiet workspaces cost one read per source module and no writes.
 */
export async function snapshotDay(db: Db, tenantId: string, day: string, now = Date.now()): Promise<Record<string, number> | null> {
  const from = dayStart(day);
  const values = await computeMetrics(db, tenantId, from, from + DAY_MS);
  if (Object.values(values).every((v) => v === 0)) {
    const recent = await db
      .select({ day: insightSnapshots.day })
      .from(insightSnapshots)
      .where(and(eq(insightSnapshots.tenantId, tenantId), gte(insightSnapshots.day, addDays(day, -BASELINE_DAYS))))
      .limit(1);
    if (!recent.length) return null;
  }
  const rows = METRICS.map((m) => ({ tenantId, metric: m.id, day, value: values[m.id] ?? 0, computedAt: now }));
  await db
    .insert(insightSnapshots)
    .values(rows)
    .onConflictDoUpdate({
      target: [insightSnapshots.tenantId, insightSnapshots.metric, insightSnapshots.day],
      set: { value: sql`excluded.value`, computedAt: sql`excluded.computed_at` },
    });
  return values;
}

/** A metric's snapshots from `first` to `last` (inclusive), oldest first; missing days are absent. */
export async function metricSeries(db: Db, tenantId: string, metric: string, first: string, last: string) {
  return db
    .select({ day: insightSnapshots.day, value: insightSnapshots.value })
    .from(insightSnapshots)
    .where(and(eq(insightSnapshots.tenantId, tenantId), eq(insightSnapshots.metric, metric), between(insightSnapshots.day, first, last)))
    .orderBy(asc(insightSnapshots.day));
}

/** Every metric's snapshots from `first` to `last`, grouped by metric (one read). */
export async function allSeries(db: Db, tenantId: string, first: string, last: string): Promise<Map<string, Map<string, number>>> {
  const rows = await db
    .select()
    .from(insightSnapshots)
    .where(and(eq(insightSnapshots.tenantId, tenantId), between(insightSnapshots.day, first, last)));
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = out.get(r.metric) ?? new Map<string, number>();
    m.set(r.day, r.value);
    out.set(r.metric, m);
  }
  return out;
}
