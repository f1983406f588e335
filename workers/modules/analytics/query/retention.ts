/**
 * Retention cohorts: people grouped by the period (day/week, UTC, weeks from Monday) of their first
 * `start_event` in [from, to); for each later period up to `to`, how many of them did
 * `return_event`. Offset 0 is the cohort itself (its size), as the triangle shows it.
 */
import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Db } from "../../../platform/db";
import { bucketOf, bucketSql, bucketStart, filterSchema, filtersSql } from "./filters";

export const retentionQuerySchema = z
  .object({
    start_event: z.string().min(1).max(200),
    return_event: z.string().min(1).max(200),
    period: z.enum(["day", "week"]).default("week"),
    filters: z.array(filterSchema).max(10).optional().openapi({ description: "Applied to the start event" }),
  })
  .openapi("RetentionQuery");
export type RetentionQuery = z.infer<typeof retentionQuerySchema> & { from: number; to: number };

export interface RetentionCohort {
  period: string;
  size: number;
  /** returned[k] = people of the cohort who did the return event k periods later (returned[0] = size). */
  returned: number[];
}

/** At most this many cohorts (periods) per query: 90 days or 52 weeks. */
export const MAX_COHORTS = { day: 90, week: 52 } as const;

export async function runRetention(
  db: Db,
  tenantId: string,
  q: RetentionQuery,
): Promise<{ period: "day" | "week"; cohorts: RetentionCohort[] }> {
  const first = bucketOf(q.period, q.from);
  const last = bucketOf(q.period, q.to - 1);
  if (last - first + 1 > MAX_COHORTS[q.period]) throw new RangeError(`at most ${MAX_COHORTS[q.period]} ${q.period}s per query`);
  const bucket = bucketSql(q.period, sql.raw("e.ts"));
  const rows = await db.all<{ cohort: number; k: number; people: number }>(sql`
    WITH c AS (
      SELECT e.person_id AS p, min(e.ts) AS t0 FROM analytics_events e
      WHERE e.tenant_id = ${tenantId} AND e.name = ${q.start_event} AND e.is_bot = 0 AND e.ts >= ${q.from} AND e.ts < ${q.to}
        AND ${filtersSql(q.filters)}
      GROUP BY e.person_id
    ),
    cp AS (SELECT p, ${bucketSql(q.period, sql.raw("t0"))} AS cohort FROM c),
    r AS (
      SELECT DISTINCT e.person_id AS p, ${bucket} AS b FROM analytics_events e JOIN cp ON cp.p = e.person_id
      WHERE e.tenant_id = ${tenantId} AND e.name = ${q.return_event} AND e.is_bot = 0 AND e.ts >= ${q.from} AND e.ts < ${q.to}
    )
    SELECT cp.cohort AS cohort, 0 AS k, count(*) AS people FROM cp GROUP BY cp.cohort
    UNION ALL
    SELECT cp.cohort, r.b - cp.cohort, count(*) FROM cp JOIN r ON r.p = cp.p WHERE r.b > cp.cohort GROUP BY cp.cohort, r.b - cp.cohort`);

  const cohorts: RetentionCohort[] = [];
  for (let b = first; b <= last; b++) {
    const width = last - b + 1; // offsets that have started by `to`
    const returned = Array.from({ length: width }, (_, k) => rows.find((r) => r.cohort === b && r.k === k)?.people ?? 0);
    cohorts.push({ period: new Date(bucketStart(q.period, b)).toISOString().slice(0, 10), size: returned[0] ?? 0, returned });
  }
  return { period: q.period, cohorts };
}
