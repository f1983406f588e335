/**
 * Funnels, with PostHog's semantics, computed inside D1 in one statement (no per-user rows leave
 * the database):
 * - *sequential*: the steps in order, other events allowed between them;
 * - *strict*: the steps in order with no other event of that person between consecutive steps;
 * - *any*: all the steps in any order;
 * each step within `window_seconds` of the person's first step, the first step inside [from, to);
 * each person counted once, at the furthest step any of their attempts reached.
 *
 * How (sequential/strict): for every event row, s_j = the start time of the latest attempt that has
 * reached step j at that row (null if none). The latest start is always the best one to continue
 * (it leaves the most of the window), so s_j follows from s_{j−1}: a row matching step j takes the
 * largest s_{j−1} of the person's earlier rows (strict: of the row just before) if it is within
 * the window. One window-function pass per step over rows sorted by (person, time, id). For *any*,
 * each candidate first row looks ahead for the earliest occurrence of every step.
 * Times to convert: per person, the earliest time each step was reached minus its attempt's start;
 * the per-step figure is the median of the differences between consecutive steps.
 */
import { z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db";
import { filterSchema, filtersSql, propertySchema, propertySql, type PropertyFilter } from "./filters";

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

/** The CTE chain up to `lv<n>`, whose rows carry s1..sn (sequential / strict). */
function orderedChain(q: FunnelQuery, n: number, W: number): SQL {
  const strict = q.order === "strict";
  const frame = sql.raw("PARTITION BY p ORDER BY ts, id");
  const parts: SQL[] = [];
  parts.push(sql`lv1 AS (SELECT *, CASE WHEN m1 = 1 AND ts < ${q.to} THEN ts END AS s1 FROM ev)`);
  for (let j = 2; j <= n; j++) {
    const prev = sql.raw(`s${j - 1}`);
    const prior = strict
      ? sql`lag(${prev}) OVER (${frame})`
      : sql`max(${prev}) OVER (${frame} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`;
    parts.push(sql`pr${sql.raw(String(j))} AS (SELECT *, CASE WHEN m${sql.raw(String(j))} = 1 THEN ${prior} END AS c${sql.raw(String(j))} FROM lv${sql.raw(String(j - 1))})`);
    parts.push(
      sql`lv${sql.raw(String(j))} AS (SELECT *, CASE WHEN c${sql.raw(String(j))} IS NOT NULL AND ts - c${sql.raw(String(j))} <= ${W} THEN c${sql.raw(String(j))} END AS s${sql.raw(String(j))} FROM pr${sql.raw(String(j))})`,
    );
  }
  return sql.join(parts, sql`, `);
}

/**
 * Per person: level reached (0 = never did step 1 in range) and t1..tn, the earliest time after its
 * attempt's start at which each step was reached (ms; null if not reached).
 */
function perPersonSql(q: FunnelQuery, tenantId: string): { sql: SQL; n: number } {
  const n = q.steps.length;
  const W = q.window_seconds * 1000;
  const matches = q.steps.map((s, i) => sql`CASE WHEN ${stepMatch(s)} THEN 1 ELSE 0 END AS m${sql.raw(String(i + 1))}`);
  const names = [...new Set(q.steps.map((s) => s.event))];
  const nameFilter = q.order === "strict" ? sql`1` : sql`e.name IN (${sql.join(names.map((x) => sql`${x}`), sql`, `)})`;
  const bv = q.breakdown ? propertySql(q.breakdown) : sql`NULL`;
  const ev = sql`ev AS (SELECT e.person_id AS p, e.ts AS ts, e.id AS id, ${bv} AS bv, ${sql.join(matches, sql`, `)}
    FROM analytics_events e
    WHERE e.tenant_id = ${tenantId} AND e.is_bot = 0 AND e.ts >= ${q.from} AND e.ts < ${q.to + W} AND ${nameFilter})`;

  if (q.order === "any") {
    const ahead = q.steps.map(
      (_, i) =>
        sql`min(CASE WHEN m${sql.raw(String(i + 1))} = 1 THEN ts END) OVER (PARTITION BY p ORDER BY ts, id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) - ts AS d${sql.raw(String(i + 1))}`,
    );
    const anyMatch = sql.join(
      q.steps.map((_, i) => sql.raw(`m${i + 1} = 1`)),
      sql` OR `,
    );
    const within = q.steps.map((_, i) => sql`(CASE WHEN d${sql.raw(String(i + 1))} <= ${W} THEN 1 ELSE 0 END)`);
    return {
      n,
      sql: sql`WITH ${ev},
        la AS (SELECT p, ts, bv, (${anyMatch}) AS starts, ${sql.join(ahead, sql`, `)} FROM ev),
        st AS (SELECT p, ts, bv, ${sql.join(within, sql` + `)} AS lvl FROM la WHERE starts AND ts < ${q.to}),
        pp AS MATERIALIZED (SELECT p, max(lvl) AS level, NULL AS t1 ${sql.raw(
          Array.from({ length: n - 1 }, (_, i) => `, NULL AS t${i + 2}`).join(""),
        )} FROM st GROUP BY p),
        ft AS (SELECT p, min(ts) AS t, bv FROM st GROUP BY p)`,
    };
  }

  const times = Array.from({ length: n }, (_, i) => sql.raw(`min(CASE WHEN s${i + 1} IS NOT NULL THEN ts - s${i + 1} END) AS t${i + 1}`));
  const level = sql.raw(`CASE ${Array.from({ length: n }, (_, i) => `WHEN max(s${n - i}) IS NOT NULL THEN ${n - i}`).join(" ")} ELSE 0 END`);
  return {
    n,
    sql: sql`WITH ${ev}, ${orderedChain(q, n, W)},
      pp AS MATERIALIZED (SELECT p, ${level} AS level, ${sql.join(times, sql`, `)} FROM lv${sql.raw(String(n))} GROUP BY p),
      ft AS (SELECT p, min(ts) AS t, bv FROM lv1 WHERE s1 IS NOT NULL GROUP BY p)`,
  };
}

interface Row {
  b: string | null;
  level: number;
  people: number;
}
interface MedianRow {
  b: string | null;
  step: number;
  from_prev: number | null;
  from_start: number | null;
}

export async function runFunnel(db: Db, tenantId: string, q: FunnelQuery): Promise<FunnelResult> {
  const { sql: base, n } = perPersonSql(q, tenantId);
  const b = q.breakdown ? sql`ft.bv` : sql`NULL`;
  const counts = await db.all<Row>(sql`${base}
    SELECT ${b} AS b, pp.level AS level, count(*) AS people FROM pp JOIN ft ON ft.p = pp.p WHERE pp.level > 0 GROUP BY 1, 2`);

  let medians: MedianRow[] = [];
  if (q.order !== "any") {
    // Median per step of (t_j − t_{j−1}) and of t_j among the people who reached step j, per breakdown value.
    const perStep = Array.from({ length: n - 1 }, (_, i) => {
      const j = i + 2;
      return sql`SELECT ${b} AS b, ${j} AS step, max(0, pp.t${sql.raw(String(j))} - pp.t${sql.raw(String(j - 1))}) AS dp, pp.t${sql.raw(String(j))} AS ds
        FROM pp JOIN ft ON ft.p = pp.p WHERE pp.level >= ${j}`;
    });
    medians = await db.all<MedianRow>(sql`${base},
      d AS (${sql.join(perStep, sql` UNION ALL `)}),
      rp AS (SELECT b, step, dp, row_number() OVER (PARTITION BY b, step ORDER BY dp) AS r, count(*) OVER (PARTITION BY b, step) AS c FROM d),
      rs AS (SELECT b, step, ds, row_number() OVER (PARTITION BY b, step ORDER BY ds) AS r, count(*) OVER (PARTITION BY b, step) AS c FROM d)
      SELECT rp.b AS b, rp.step AS step, avg(rp.dp) AS from_prev,
        (SELECT avg(rs.ds) FROM rs WHERE rs.step = rp.step AND rs.b IS rp.b AND rs.r IN ((rs.c + 1) / 2, (rs.c + 2) / 2)) AS from_start
      FROM rp WHERE rp.r IN ((rp.c + 1) / 2, (rp.c + 2) / 2) GROUP BY rp.b, rp.step`);
  }

  const shape = (value: string | null | undefined): FunnelStepResult[] => {
    const rows = counts.filter((r) => value === undefined || r.b === value);
    const reached = (j: number) => rows.filter((r) => r.level >= j).reduce((a, r) => a + r.people, 0);
    const first = reached(1);
    return q.steps.map((s, i) => {
      const count = reached(i + 1);
      const prev = i === 0 ? count : reached(i);
      const med = medians.find((m) => m.step === i + 1 && (value === undefined || m.b === value));
      const pooled = value === undefined && q.breakdown; // medians are per breakdown value only
      return {
        step: i + 1,
        event: s.event,
        label: s.label ?? s.event,
        count,
        conversion_from_start: first ? count / first : 0,
        conversion_from_previous: prev ? count / prev : 0,
        dropped: i === 0 ? 0 : prev - count,
        median_seconds_from_previous: i === 0 || pooled || !med || med.from_prev === null ? null : med.from_prev / 1000,
        median_seconds_from_start: i === 0 || pooled || !med || med.from_start === null ? null : med.from_start / 1000,
      };
    });
  };

  if (!q.breakdown) return { steps: shape(undefined), breakdown: null };
  const values = [...new Set(counts.map((r) => r.b))]
    .map((v) => ({ v, first: counts.filter((r) => r.b === v).reduce((a, r) => a + r.people, 0) }))
    .sort((x, y) => y.first - x.first)
    .slice(0, 20);
  return { steps: shape(undefined), breakdown: values.map(({ v }) => ({ value: v, steps: shape(v) })) };
}
