/**
 * Funnels, with PostHog's semantics:
 * - *sequential*: the steps in order, other events allowed between them;
 * - *strict*: the steps in order with no other event of that person between consecutive steps;
 * - *any*: all the steps in any order;
 * each step within `window_seconds` of the person's first step, the first step inside [from, to);
 * each person counted once, at the furthest step any of their attempts reached.
 *
 * How: D1 compacts each person's relevant events into one row — `mask:offset` pairs in time order
 * (mask = which steps the event matches, offset = ms after `from`), read through the
 * (tenant, person, ts) index a page of people at a time — and the Worker walks each sequence once
 * (funnel-walk.ts). An earlier version did the walk in SQL with one window-function pass per step;
 * on 1M events it took 27 s (bench/results/analytics.md), close to D1's 30 s statement limit.
 */
import { z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db";
import { filterSchema, filtersSql, propertySchema, propertySql, type PropertyFilter } from "./filters";
import { timelineFunnel } from "./funnel-timeline";
import { walkPerson } from "./funnel-walk";

export const MAX_FUNNEL_STEPS = 10;
export const FUNNEL_ORDERS = ["sequential", "strict", "any"] as const;

export const funnelStepSchema = z
  .object({
    event: z.string().min(1).max(200),
    filters: z.array(filterSchema).max(10).optional(),
    label: z.string().max(100).optional(),
  })
  .openapi("FunnelStep");

export const funnelDefinitionSchema = z
  .object({
    steps: z.array(funnelStepSchema).min(2).max(MAX_FUNNEL_STEPS),
    window_seconds: z
      .number()
      .int()
      .min(1)
      .max(366 * 86_400)
      .default(14 * 86_400),
    order: z.enum(FUNNEL_ORDERS).default("sequential"),
    breakdown: propertySchema.optional().openapi({ description: "Group people by this property of their first step-1 event" }),
  })
  .openapi("FunnelDefinition");
export type FunnelDefinition = z.infer<typeof funnelDefinitionSchema>;

export interface FunnelQuery extends FunnelDefinition {
  from: number;
  to: number;
}

export interface FunnelStepResult {
  step: number;
  event: string;
  label: string;
  count: number;
  conversion_from_start: number;
  conversion_from_previous: number;
  dropped: number;
  median_seconds_from_previous: number | null;
  median_seconds_from_start: number | null;
}
export interface FunnelResult {
  steps: FunnelStepResult[];
  breakdown: { value: string | null; steps: FunnelStepResult[] }[] | null;
}

function stepMatch(step: { event: string; filters?: PropertyFilter[] }): SQL {
  return sql`(e.name = ${step.event} AND ${filtersSql(step.filters)})`;
}

/** People per D1 query: bounds the rows (and memory) of one page. */
export const PEOPLE_PER_PAGE = 20_000;
const SEP = "\u001f";

interface PageRow {
  p: string;
  s: string;
  ft: string | null;
}

/** One page of people (person id > `after`), each with their events as "mask:offset,…" in time order. */
function pageSql(q: FunnelQuery, tenantId: string, after: string, limit: number): SQL {
  const W = q.window_seconds * 1000;
  // Inline constants: bound JS numbers may arrive as REAL, and the mask must stay an integer.
  const mask = sql.join(
    q.steps.map((st, i) => sql`(CASE WHEN ${stepMatch(st)} THEN ${sql.raw(String(2 ** i))} ELSE 0 END)`),
    sql` + `,
  );
  const names = [...new Set(q.steps.map((st) => st.event))];
  const nameFilter =
    q.order === "strict"
      ? sql``
      : sql`AND e.name IN (${sql.join(
          names.map((x) => sql`${x}`),
          sql`, `,
        )})`;
  const from = sql.raw(String(Math.trunc(q.from)));
  const [first] = q.steps;
  const firstTouch =
    q.breakdown && first
      ? sql`min(CASE WHEN ${stepMatch(first)} AND e.ts < ${q.to} THEN printf('%016d', e.ts) || ${SEP} || coalesce(${propertySql(q.breakdown)}, '') || ${SEP} || (${propertySql(q.breakdown)} IS NULL) END)`
      : sql`NULL`;
  return sql`SELECT e.person_id AS p, group_concat((${mask}) || ':' || (e.ts - ${from}), ',' ORDER BY e.ts, e.rowid) AS s, ${firstTouch} AS ft
    FROM analytics_events e INDEXED BY analytics_events_tenant_person_idx
    WHERE e.tenant_id = ${tenantId} AND e.person_id > ${after} AND e.is_bot = 0 AND e.ts >= ${q.from} AND e.ts < ${q.to + W} ${nameFilter}
    GROUP BY e.person_id ORDER BY e.person_id LIMIT ${sql.raw(String(limit))}`;
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = Float64Array.from(xs).sort(); // numeric order without a comparator call per pair
  const m = s.length >> 1;
  const hi = s[m] ?? 0;
  return s.length % 2 ? hi : ((s[m - 1] ?? hi) + hi) / 2;
}

interface Bucket {
  reached: number[]; // reached[k] = people whose furthest step is ≥ k+1
  fromPrev: number[][]; // per step: time from the previous step (ms)
  fromStart: number[][];
}
const newBucket = (n: number): Bucket => ({
  reached: Array(n).fill(0),
  fromPrev: Array.from({ length: n }, () => []),
  fromStart: Array.from({ length: n }, () => []),
});

function add(b: Bucket, level: number, times: ArrayLike<number>, withTimes: boolean) {
  for (let k = 0; k < level; k++) {
    b.reached[k] = (b.reached[k] ?? 0) + 1;
    if (withTimes && k > 0) {
      const t = times[k] ?? 0;
      b.fromStart[k]?.push(t);
      b.fromPrev[k]?.push(Math.max(0, t - (times[k - 1] ?? 0)));
    }
  }
}

function shape(q: FunnelQuery, b: Bucket, withTimes: boolean): FunnelStepResult[] {
  const first = b.reached[0] ?? 0;
  return q.steps.map((st, i) => {
    const count = b.reached[i] ?? 0;
    const prev = i === 0 ? count : (b.reached[i - 1] ?? 0);
    const mp = withTimes && i > 0 ? median(b.fromPrev[i] ?? []) : null;
    const ms = withTimes && i > 0 ? median(b.fromStart[i] ?? []) : null;
    return {
      step: i + 1,
      event: st.event,
      label: st.label ?? st.event,
      count,
      conversion_from_start: first ? count / first : 0,
      conversion_from_previous: prev ? count / prev : 0,
      dropped: i === 0 ? 0 : prev - count,
      median_seconds_from_previous: mp === null ? null : mp / 1000,
      median_seconds_from_start: ms === null ? null : ms / 1000,
    };
  });
}

/**
 * `pageSize` (tests use tiny pages): people per page of raw events, and people per slice of a day's timelines.
 * Funnels without step filters or a breakdown read per-person timelines (funnel-timeline.ts);
 * the others, raw events.
 */
export async function runFunnel(db: Db, tenantId: string, q: FunnelQuery, pageSize?: number): Promise<FunnelResult> {
  const n = q.steps.length;
  const withTimes = q.order !== "any"; // times to convert need an order
  const all = newBucket(n);
  if (await timelineFunnel(db, tenantId, q, (level, times) => add(all, level, times, withTimes), pageSize)) {
    return { steps: shape(q, all, withTimes), breakdown: null };
  }
  return runRawFunnel(db, tenantId, q, pageSize ?? PEOPLE_PER_PAGE);
}

/** The funnel over raw events: each page of people's events compacted by D1, walked here. */
export async function runRawFunnel(db: Db, tenantId: string, q: FunnelQuery, pageSize = PEOPLE_PER_PAGE): Promise<FunnelResult> {
  const n = q.steps.length;
  const window = q.window_seconds * 1000;
  const end = q.to - q.from; // offsets are relative to `from`
  const withTimes = q.order !== "any"; // times to convert need an order
  const all = newBucket(n);
  const byValue = new Map<string | null, Bucket>();
  let after = "";
  for (;;) {
    const rows = await db.all<PageRow>(pageSql(q, tenantId, after, pageSize));
    for (const row of rows) {
      const r = walkPerson(q.order, row.s, n, window, end);
      if (!r.level) continue;
      add(all, r.level, r.times, withTimes);
      if (q.breakdown) {
        const [, value, isNull] = (row.ft ?? `${SEP}${SEP}1`).split(SEP);
        const key = isNull === "1" ? null : (value ?? null);
        const b = byValue.get(key) ?? newBucket(n);
        byValue.set(key, b);
        add(b, r.level, r.times, withTimes);
      }
    }
    if (rows.length < pageSize) break;
    after = rows.at(-1)?.p ?? after;
  }
  if (!q.breakdown) return { steps: shape(q, all, withTimes), breakdown: null };
  const top = [...byValue].sort((x, y) => (y[1].reached[0] ?? 0) - (x[1].reached[0] ?? 0)).slice(0, 20);
  // Pooled medians would mix breakdown values: only per value.
  return {
    steps: shape(q, all, false),
    breakdown: top.map(([value, b]) => ({ value, steps: shape(q, b, withTimes) })),
  };
}
