import type { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { validationFailed } from "../../platform/errors";
import { SALE_STATUSES } from "./customers.schemas";
import type { salesQuery, salesSchema } from "./sales.schemas";
import { getSettings } from "./settings.service";

/**
 * Sales figures from the orders table (read-only), in one currency, bucketed by the day the order
 * was paid, in UTC. An order counts once, in the bucket of its `paid_at`:
 * - revenue and orders: paid orders still standing (paid, fulfilled, partially refunded), revenue
 *   net of what was refunded on them;
 * - refunds: what was refunded on any order paid in the bucket (refunded and cancelled ones too),
 *   so a fully refunded order shows as a refund, not as revenue.
 * Buckets with no sale are present with zeros, so a chart's x axis is continuous.
 */
type SalesQuery = z.infer<typeof salesQuery>;
type Sales = z.infer<typeof salesSchema>;
type Interval = SalesQuery["interval"];

const DAY = 86_400_000;
/** Upper bound of buckets per answer (about 13 months of days). */
const MAX_BUCKETS = 400;
const SALE_IN = sql.raw(`(${SALE_STATUSES.map((s) => `'${s}'`).join(", ")})`);

const dayStart = (ms: number) => Math.floor(ms / DAY) * DAY;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The first instant of the UTC bucket that holds `ms` (weeks start on Monday). */
export function bucketStart(ms: number, interval: Interval): number {
  const d = dayStart(ms);
  if (interval === "day") return d;
  if (interval === "week") return d - ((new Date(d).getUTCDay() + 6) % 7) * DAY;
  const t = new Date(d);
  return Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1);
}

function nextBucket(ms: number, interval: Interval): number {
  if (interval === "day") return ms + DAY;
  if (interval === "week") return ms + 7 * DAY;
  const t = new Date(ms);
  return Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1);
}

/** SQLite's bucket of a paid_at (epoch ms), as the same ISO day `bucketStart` gives. */
function bucketSql(interval: Interval) {
  if (interval === "day") return sql`date(paid_at / 1000, 'unixepoch')`;
  if (interval === "week") return sql`date(paid_at / 1000, 'unixepoch', 'weekday 0', '-6 days')`;
  return sql`strftime('%Y-%m-01', paid_at / 1000, 'unixepoch')`;
}

/** A date is a whole UTC day (an inclusive `to` ends at the next midnight); an instant is itself. */
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
function range(q: SalesQuery, now: number): { from: number; to: number } {
  const to = q.to === undefined ? dayStart(now) + DAY : isDate(q.to) ? Date.parse(`${q.to}T00:00:00Z`) + DAY : Date.parse(q.to);
  const from = q.from === undefined ? to - 30 * DAY : Date.parse(isDate(q.from) ? `${q.from}T00:00:00Z` : q.from);
  if (!(from < to)) throw validationFailed([{ path: "from", message: "must be before `to`" }]);
  let n = 0;
  for (let b = bucketStart(from, q.interval); b < to && n <= MAX_BUCKETS; b = nextBucket(b, q.interval)) n++;
  if (n > MAX_BUCKETS)
    throw validationFailed([
      { path: "from", message: `at most ${MAX_BUCKETS} ${q.interval}s per request; pick a longer interval or a shorter range` },
    ]);
  return { from, to };
}

const average = (revenue: number, orders: number) => (orders === 0 ? 0 : Math.floor((2 * revenue + orders) / (2 * orders)));

export async function salesFigures(db: Db, tenantId: string, q: SalesQuery, now = Date.now()): Promise<Sales> {
  const { from, to } = range(q, now);
  const currency = q.currency ?? (await getSettings(db, tenantId)).default_currency;
  const rows = await db.all<{ period: string; revenue: number; orders: number; refunds: number }>(sql`
    SELECT ${bucketSql(q.interval)} AS period,
           sum(CASE WHEN status IN ${SALE_IN} THEN total - refunded ELSE 0 END) AS revenue,
           sum(CASE WHEN status IN ${SALE_IN} THEN 1 ELSE 0 END) AS orders,
           sum(refunded) AS refunds
    FROM commerce_orders
    WHERE tenant_id = ${tenantId} AND paid_at IS NOT NULL AND paid_at >= ${from} AND paid_at < ${to} AND currency = ${currency}
    GROUP BY period`);
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  const series: Sales["series"] = [];
  const totals = { revenue: 0, orders: 0, refunds: 0 };
  for (let b = bucketStart(from, q.interval); b < to; b = nextBucket(b, q.interval)) {
    const period = isoDay(b);
    const r = byPeriod.get(period);
    const revenue = Number(r?.revenue ?? 0);
    const orders = Number(r?.orders ?? 0);
    const refunds = Number(r?.refunds ?? 0);
    totals.revenue += revenue;
    totals.orders += orders;
    totals.refunds += refunds;
    series.push({ period, revenue, orders, average_order_value: average(revenue, orders), refunds });
  }
  return {
    currency,
    interval: q.interval,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    series,
    totals: { ...totals, average_order_value: average(totals.revenue, totals.orders) },
  };
}
