import type { Db } from "../../platform/db";
import { BASELINE_DAYS, judge } from "./anomaly";
import { addDays, dayKey, daysBetween, DAY_MS } from "./days";
import type { MetricDef } from "./metrics";
import { metricSeries } from "./snapshots.service";

export const serializeMetric = (m: MetricDef) => ({
  id: m.id,
  label: m.label,
  unit: m.unit,
  bad_direction: m.bad,
  min_change: m.minChange,
  link: m.link,
});

/**
 * A metric's last `days` days with, for each, the usual range the alert rule would have used that
 * day (from the BASELINE_DAYS snapshots before it): what the chart draws as the band.
 */
export async function seriesWithBand(db: Db, tenantId: string, m: MetricDef, days: number, now = Date.now()) {
  const last = dayKey(now - DAY_MS);
  const first = addDays(last, -(days - 1));
  const rows = await metricSeries(db, tenantId, m.id, addDays(first, -BASELINE_DAYS), last);
  const byDay = new Map(rows.map((r) => [r.day, r.value]));
  const points = daysBetween(first, last).map((day) => {
    const value = byDay.get(day) ?? null;
    const history = daysBetween(addDays(day, -BASELINE_DAYS), addDays(day, -1))
      .map((d) => byDay.get(d))
      .filter((v): v is number => v !== undefined);
    if (!history.length) return { day, value, median: null, usual_low: null, usual_high: null, anomalous: false };
    const v = judge(history, value ?? 0, m.bad, m.minChange);
    return { day, value, median: v.median, usual_low: v.low, usual_high: v.high, anomalous: value !== null && v.anomalous };
  });
  return { metric: serializeMetric(m), points };
}
