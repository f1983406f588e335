import { METERS, type MeterName } from "./plans";
import { dayOf, periodOf } from "./meter";

/**
 * The SQL behind metering. Events are inserted with `ON CONFLICT DO NOTHING` (dedupe by tenant +
 * event id) and tagged with the writer's batch id; the counter upserts then add exactly the rows
 * that batch inserted. Run together in one `D1Database.batch()` (one transaction), so a counter
 * never includes an event twice and never misses one that was stored.
 */
export const TOTAL_PERIOD = "total";
const TOTAL_METERS = (Object.keys(METERS) as MeterName[]).filter((m) => METERS[m].aggregation === "total");
const totalList = TOTAL_METERS.map((m) => `'${m}'`).join(",");

/** Counter period for a meter at a time: the month, or "total" for running-total meters. */
export const counterPeriod = (meter: MeterName, at: number) => (METERS[meter].aggregation === "total" ? TOTAL_PERIOD : periodOf(at));

export interface EventRow {
  t: string; // tenant
  e: string; // event id
  m: MeterName;
  q: number;
  u: string | null;
  at: number;
}

/** One statement for any number of events: the rows travel as one JSON parameter. */
export function insertEvents(d1: D1Database, rows: EventRow[], batchId: string, now: number): D1PreparedStatement {
  const payload = rows.map((r) => ({ ...r, p: periodOf(r.at), d: dayOf(r.at) }));
  return d1
    .prepare(
      // Materialised first: json_each renders an element's text afresh each time `value` is read (docs/engineering.md, "Data").
      `WITH e AS MATERIALIZED (SELECT value FROM json_each(?1))
       INSERT INTO usage_events (tenant_id, event_id, meter, quantity, period, day, user_id, batch_id, occurred_at, created_at)
       SELECT json_extract(value,'$.t'), json_extract(value,'$.e'), json_extract(value,'$.m'), json_extract(value,'$.q'),
              json_extract(value,'$.p'), json_extract(value,'$.d'), json_extract(value,'$.u'), ?2, json_extract(value,'$.at'), ?3
       FROM e WHERE true
       ON CONFLICT (tenant_id, event_id) DO NOTHING`,
    )
    .bind(JSON.stringify(payload), batchId, now);
}

/**
 * One event, inserted only while the counter stays within `limit` (null = no limit): the quota
 * check and the write are one statement, so concurrent requests cannot both pass at the limit.
 */
export function insertEventWithinLimit(
  d1: D1Database,
  r: EventRow,
  limit: number | null,
  batchId: string,
  now: number,
): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO usage_events (tenant_id, event_id, meter, quantity, period, day, user_id, batch_id, occurred_at, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
       WHERE ?11 IS NULL OR ?4 <= 0
          OR COALESCE((SELECT quantity FROM usage_counters WHERE tenant_id = ?1 AND meter = ?3 AND period = ?12), 0) + ?4 <= ?11
       ON CONFLICT (tenant_id, event_id) DO NOTHING`,
    )
    .bind(r.t, r.e, r.m, r.q, periodOf(r.at), dayOf(r.at), r.u, batchId, r.at, now, limit, counterPeriod(r.m, r.at));
}

/** The counter/daily/per-seat upserts for the rows `batchId` inserted (tenants: those in the batch). */
export function applyBatch(d1: D1Database, batchId: string, tenantIds: string[], now: number): D1PreparedStatement[] {
  const tenants = JSON.stringify([...new Set(tenantIds)]);
  const from = `FROM usage_events WHERE tenant_id IN (SELECT value FROM json_each(?1)) AND batch_id = ?2`;
  return [
    d1
      .prepare(
        `INSERT INTO usage_counters (tenant_id, meter, period, quantity, reported, updated_at)
         SELECT tenant_id, meter, CASE WHEN meter IN (${totalList}) THEN '${TOTAL_PERIOD}' ELSE period END AS p, SUM(quantity), 0, ?3
         ${from} GROUP BY tenant_id, meter, p
         ON CONFLICT (tenant_id, meter, period) DO UPDATE SET quantity = quantity + excluded.quantity, updated_at = excluded.updated_at`,
      )
      .bind(tenants, batchId, now),
    d1
      .prepare(
        `INSERT INTO usage_daily (tenant_id, meter, day, quantity)
         SELECT tenant_id, meter, day, SUM(quantity) ${from} GROUP BY tenant_id, meter, day
         ON CONFLICT (tenant_id, meter, day) DO UPDATE SET quantity = quantity + excluded.quantity`,
      )
      .bind(tenants, batchId),
    d1
      .prepare(
        `INSERT INTO usage_seats (tenant_id, period, user_id, meter, quantity)
         SELECT tenant_id, period, user_id, meter, SUM(quantity) ${from} AND user_id IS NOT NULL GROUP BY tenant_id, period, user_id, meter
         ON CONFLICT (tenant_id, period, user_id, meter) DO UPDATE SET quantity = quantity + excluded.quantity`,
      )
      .bind(tenants, batchId),
  ];
}

/** Current counter value of a meter for a tenant (0 when nothing was used). */
export async function currentUsage(d1: D1Database, tenantId: string, meter: MeterName, at = Date.now()): Promise<number> {
  const row = await d1
    .prepare(`SELECT quantity FROM usage_counters WHERE tenant_id = ?1 AND meter = ?2 AND period = ?3`)
    .bind(tenantId, meter, counterPeriod(meter, at))
    .first<{ quantity: number }>();
  return row?.quantity ?? 0;
}

/** A workspace's counters for the period `at` falls in and for all time, keyed `${meter} ${period}`. */
export async function currentUsages(d1: D1Database, tenantId: string, at = Date.now()): Promise<Map<string, number>> {
  const { results } = await d1
    .prepare(`SELECT meter, period, quantity FROM usage_counters WHERE tenant_id = ?1 AND period IN (?2, ?3)`)
    .bind(tenantId, periodOf(at), TOTAL_PERIOD)
    .all<{ meter: string; period: string; quantity: number }>();
  return new Map(results.map((r) => [`${r.meter} ${r.period}`, r.quantity]));
}
