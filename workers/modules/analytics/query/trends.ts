/**
 * Trends (counts and unique people of an event per day/week/month, filtered, broken down by one
 * property), the site overview (headline numbers against the previous period, from raw events;
 * the daily series from the rollups), top pages/referrers/UTM sources/countries/devices, event
 * names (from the rollups) and the raw event stream.
 */
import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Db } from "../../../platform/db";
import { bucketOf, bucketSql, bucketStart, DAY_MS, filterSchema, filtersSql, type Interval, propertySchema, propertySql } from "./filters";

export const trendsQuerySchema = z
  .object({
    event: z.string().min(1).max(200),
    interval: z.enum(["day", "week", "month"]).default("day"),
    filters: z.array(filterSchema).max(10).optional(),
    breakdown: propertySchema.optional(),
  })
  .openapi("TrendsQuery");
export type TrendsQuery = z.infer<typeof trendsQuerySchema> & { from: number; to: number };

export interface TrendPoint {
  period: string;
  count: number;
  uniques: number;
}
export interface TrendSeries {
  breakdown_value: string | null;
  total_count: number;
  total_uniques: number;
  points: TrendPoint[];
}

export const MAX_BUCKETS = 400;
const BREAKDOWN_LIMIT = 10;

function buckets(interval: Interval, from: number, to: number): number[] {
  const out: number[] = [];
  for (let b = bucketOf(interval, from); b <= bucketOf(interval, to - 1); b++) out.push(b);
  return out;
}

export async function runTrends(db: Db, tenantId: string, q: TrendsQuery): Promise<{ interval: Interval; series: TrendSeries[] }> {
  const all = buckets(q.interval, q.from, q.to);
  if (all.length > MAX_BUCKETS) throw new RangeError(`at most ${MAX_BUCKETS} ${q.interval}s per query; use a longer interval`);
  const where = sql`e.tenant_id = ${tenantId} AND e.name = ${q.event} AND e.is_bot = 0 AND e.ts >= ${q.from} AND e.ts < ${q.to} AND ${filtersSql(q.filters)}`;
  const bv = q.breakdown ? propertySql(q.breakdown) : sql`NULL`;
  let values: (string | null)[] = [null];
  if (q.breakdown) {
    const top = await db.all<{ v: string | null }>(
      sql`SELECT ${bv} AS v FROM analytics_events e WHERE ${where} GROUP BY 1 ORDER BY count(*) DESC LIMIT ${BREAKDOWN_LIMIT}`,
    );
    values = top.map((r) => r.v);
  }
  const rows = await db.all<{ v: string | null; b: number; c: number; u: number }>(sql`
    SELECT ${bv} AS v, ${bucketSql(q.interval)} AS b, count(*) AS c, count(DISTINCT e.person_id) AS u
    FROM analytics_events e WHERE ${where}
    GROUP BY 1, 2`);
  const totals = await db.all<{ v: string | null; c: number; u: number }>(sql`
    SELECT ${bv} AS v, count(*) AS c, count(DISTINCT e.person_id) AS u FROM analytics_events e WHERE ${where} GROUP BY 1`);

  const series = values.map((v) => {
    const t = totals.find((r) => r.v === v);
    return {
      breakdown_value: v === null ? null : String(v),
      total_count: t?.c ?? 0,
      total_uniques: t?.u ?? 0,
      points: all.map((b) => {
        const r = rows.find((x) => x.b === b && x.v === v);
        return { period: new Date(bucketStart(q.interval, b)).toISOString(), count: r?.c ?? 0, uniques: r?.u ?? 0 };
      }),
    };
  });
  return { interval: q.interval, series };
}

export const TOP_DIMENSIONS = {
  page: "path",
  referrer: "referrer_host",
  utm_source: "utm_source",
  utm_campaign: "utm_campaign",
  country: "country",
  device: "device",
  browser: "browser",
  os: "os",
} as const;
export type TopDimension = keyof typeof TOP_DIMENSIONS;

/** Page views and unique visitors per value of one dimension over a range. */
export async function topValues(db: Db, tenantId: string, dim: TopDimension, from: number, to: number, limit = 10) {
  const col = sql.raw(`e.${TOP_DIMENSIONS[dim]}`);
  return db.all<{ value: string; pageviews: number; visitors: number }>(sql`
    SELECT ${col} AS value, count(*) AS pageviews, count(DISTINCT e.person_id) AS visitors
    FROM analytics_events e
    WHERE e.tenant_id = ${tenantId} AND e.name = '$pageview' AND e.is_bot = 0 AND e.ts >= ${from} AND e.ts < ${to} AND ${col} IS NOT NULL
    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`);
}

interface Headline {
  pageviews: number;
  visitors: number;
  events: number;
  sessions: number;
}

async function headline(db: Db, tenantId: string, from: number, to: number): Promise<Headline> {
  const r = await db.get<Headline>(sql`
    SELECT coalesce(sum(e.name = '$pageview'), 0) AS pageviews,
      count(DISTINCT CASE WHEN e.name = '$pageview' THEN e.person_id END) AS visitors,
      count(*) AS events, count(DISTINCT e.session_id) AS sessions
    FROM analytics_events e WHERE e.tenant_id = ${tenantId} AND e.is_bot = 0 AND e.ts >= ${from} AND e.ts < ${to}`);
  return r ?? { pageviews: 0, visitors: 0, events: 0, sessions: 0 };
}

/** Headline numbers for [from, to) and the period of the same length before it, plus the daily series. */
export async function overview(db: Db, tenantId: string, from: number, to: number) {
  const [current, previous, daily, dropped] = await Promise.all([
    headline(db, tenantId, from, to),
    headline(db, tenantId, from - (to - from), from),
    db.all<{ day: number; pageviews: number; events: number }>(sql`
      SELECT day, sum(CASE WHEN key = '$pageview' THEN count ELSE 0 END) AS pageviews, sum(count) AS events
      FROM analytics_daily WHERE tenant_id = ${tenantId} AND kind = 'event' AND day >= ${Math.floor(from / DAY_MS)} AND day < ${Math.ceil(to / DAY_MS)}
      GROUP BY day`),
    db.get<{ n: number | null }>(sql`
      SELECT sum(count) AS n FROM analytics_daily WHERE tenant_id = ${tenantId} AND kind = 'dropped' AND day >= ${Math.floor(from / DAY_MS)} AND day < ${Math.ceil(to / DAY_MS)}`),
  ]);
  const days: { date: string; pageviews: number; events: number }[] = [];
  for (let d = Math.floor(from / DAY_MS); d < Math.ceil(to / DAY_MS); d++) {
    const r = daily.find((x) => x.day === d);
    days.push({ date: new Date(d * DAY_MS).toISOString().slice(0, 10), pageviews: r?.pageviews ?? 0, events: r?.events ?? 0 });
  }
  return { current, previous, daily: days, dropped_over_quota: dropped?.n ?? 0 };
}

/** Event names seen in the last `days` days, most frequent first (from the rollups). */
export async function eventNames(db: Db, tenantId: string, days = 90, now = Date.now()) {
  return db.all<{ name: string; count: number }>(sql`
    SELECT key AS name, sum(count) AS count FROM analytics_daily
    WHERE tenant_id = ${tenantId} AND kind = 'event' AND day >= ${Math.floor(now / DAY_MS) - days}
    GROUP BY key ORDER BY 2 DESC, 1 LIMIT 500`);
}
