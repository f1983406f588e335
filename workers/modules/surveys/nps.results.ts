import { and, eq, gte, isNotNull, isNull, lt, lte, sql, type SQL } from "drizzle-orm";
import { npsResponses } from "../../../schema/surveys";
import { containsPattern, tenantScope, type Db } from "../../platform/db";
import { keyset, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { isoAt } from "./time";
import { BAND_RANGES, bandOf, npsScore, type Band, type BandCounts } from "./nps.rules";
import type { NpsResponseRow } from "./nps.service";

export interface ResultsFilter {
  from: number; // inclusive, epoch ms
  to: number; // exclusive
  band?: Band;
  follow_up?: "open" | "done";
  q?: string;
  plan?: string;
}

function conditions(db: Db, tenantId: string, f: ResultsFilter): SQL {
  const conds: (SQL | undefined)[] = [gte(npsResponses.createdAt, f.from), lt(npsResponses.createdAt, f.to)];
  if (f.band) {
    const [lo, hi] = BAND_RANGES[f.band];
    conds.push(gte(npsResponses.score, lo), lte(npsResponses.score, hi));
  }
  if (f.follow_up === "open") conds.push(eq(npsResponses.followUp, true), isNull(npsResponses.followUpDoneAt));
  if (f.follow_up === "done") conds.push(eq(npsResponses.followUp, true), isNotNull(npsResponses.followUpDoneAt));
  if (f.q?.trim()) conds.push(sql`${npsResponses.comment} like ${containsPattern(f.q.trim())} escape '\\'`);
  if (f.plan) conds.push(eq(npsResponses.plan, f.plan));
  return tenantScope(db, tenantId).where(npsResponses, ...conds);
}

const bandColumns = {
  total: sql<number>`count(*)`,
  promoters: sql<number>`coalesce(sum(case when ${npsResponses.score} >= 9 then 1 else 0 end), 0)`,
  detractors: sql<number>`coalesce(sum(case when ${npsResponses.score} <= 6 then 1 else 0 end), 0)`,
};
const withScore = (c: { total: number; promoters: number; detractors: number }) => {
  const counts: BandCounts = {
    total: Number(c.total),
    promoters: Number(c.promoters),
    detractors: Number(c.detractors),
    passives: Number(c.total) - Number(c.promoters) - Number(c.detractors),
  };
  return { score: npsScore(counts), ...counts };
};

/** Bucket expressions in UTC: weeks start on Monday (`weekday 0` → the coming Sunday, minus 6 days). */
const bucketOf = (interval: "week" | "month") =>
  interval === "month"
    ? sql<string>`strftime('%Y-%m', ${npsResponses.createdAt} / 1000, 'unixepoch')`
    : sql<string>`date(${npsResponses.createdAt} / 1000, 'unixepoch', 'weekday 0', '-6 days')`;

export async function npsSummary(db: Db, tenantId: string, f: ResultsFilter, interval: "week" | "month") {
  const where = conditions(db, tenantId, { from: f.from, to: f.to });
  const bucket = bucketOf(interval);
  const [overall, trend, byPlan, byCohort, followUps] = await db.batch([
    db.select(bandColumns).from(npsResponses).where(where),
    db
      .select({ period: bucket, ...bandColumns })
      .from(npsResponses)
      .where(where)
      .groupBy(bucket)
      .orderBy(bucket),
    db
      .select({ key: npsResponses.plan, ...bandColumns })
      .from(npsResponses)
      .where(where)
      .groupBy(npsResponses.plan)
      .orderBy(sql`count(*) desc`),
    db
      .select({ key: npsResponses.cohort, ...bandColumns })
      .from(npsResponses)
      .where(where)
      .groupBy(npsResponses.cohort)
      .orderBy(npsResponses.cohort),
    db
      .select({ open: sql<number>`count(*)` })
      .from(npsResponses)
      .where(and(where, eq(npsResponses.followUp, true), isNull(npsResponses.followUpDoneAt))),
  ]);
  return {
    from: isoAt(f.from),
    to: isoAt(f.to),
    interval,
    ...withScore(overall[0] ?? { total: 0, promoters: 0, detractors: 0 }),
    open_follow_ups: Number(followUps[0]?.open ?? 0),
    trend: trend.map((r) => ({ period: r.period, ...withScore(r) })),
    by_plan: byPlan.map((r) => ({ key: r.key, ...withScore(r) })),
    by_cohort: byCohort.map((r) => ({ key: r.key, ...withScore(r) })),
  };
}

export const serializeResponse = (r: NpsResponseRow) => ({
  id: r.id,
  distinct_id: r.distinctId,
  score: r.score,
  band: bandOf(r.score),
  comment: r.comment,
  plan: r.plan,
  cohort: r.cohort,
  signed_up_at: iso(r.signedUpAt),
  traits: r.traits ?? {},
  page_url: r.pageUrl,
  follow_up: r.followUp,
  follow_up_done_at: iso(r.followUpDoneAt),
  created_at: isoAt(r.createdAt),
});

export async function listResponses(db: Db, tenantId: string, f: ResultsFilter & { limit: number; cursor?: string }) {
  const page = keyset(npsResponses.createdAt, npsResponses.id, f.cursor);
  const rows = await db
    .select()
    .from(npsResponses)
    .where(and(conditions(db, tenantId, f), page.where))
    .orderBy(...page.orderBy)
    .limit(f.limit + 1);
  return toPage(rows, f.limit, (r) => r, serializeResponse);
}

/**
 * RFC 4180 field: quoted when it holds a comma, quote or line break, quotes doubled. Text that a
 * spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading apostrophe (OWASP
 * "CSV injection"): comments are written by the tenant's end users, not by the tenant.
 */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v == null) return "";
  if (typeof v !== "string") return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_HEADER = [
  "id",
  "created_at",
  "distinct_id",
  "score",
  "band",
  "comment",
  "plan",
  "cohort",
  "signed_up_at",
  "page_url",
  "follow_up",
  "follow_up_done_at",
];

/** The filtered responses as CSV, streamed page by page so an export never holds every row at once. */
export function exportCsv(db: Db, tenantId: string, f: ResultsFilter): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(`${CSV_HEADER.join(",")}\r\n`));
        return;
      }
      const page = await listResponses(db, tenantId, { ...f, limit: 100, cursor });
      const lines = page.data.map((r) =>
        [
          r.id,
          r.created_at,
          r.distinct_id,
          r.score,
          r.band,
          r.comment,
          r.plan,
          r.cohort,
          r.signed_up_at,
          r.page_url,
          r.follow_up,
          r.follow_up_done_at,
        ]
          .map(csvField)
          .join(","),
      );
      if (lines.length) controller.enqueue(enc.encode(`${lines.join("\r\n")}\r\n`));
      cursor = page.next_cursor ?? undefined;
      if (!cursor) controller.close();
    },
  });
}
