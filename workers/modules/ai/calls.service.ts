import { eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { aiCalls } from "../../../schema/ai";
import { getDb, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { keyset } from "../../platform/pagination";
import { currentPlan, effectiveLogRetentionDays, getGuardrails } from "./guardrails.service";

/**
 * The call log for the safety console: filters shared by the list, the CSV export and the
 * summary; the summary per UTC day (calls, tokens, cost, p50/p95 latency, surfaces, rules fired,
 * actions, redactions by kind) in one D1 batch; and retention (the daily cron prunes each
 * workspace's rows older than its retention, guardrails.service.ts AI_LOG_RETENTION_DAYS).
 */
const log = createLogger({ component: "ai-calls" });
const DAY_MS = 86_400_000;

export interface CallFilters {
  surface?: string;
  provider?: string;
  model?: string;
  status?: "ok" | "error";
  action?: "allowed" | "modified" | "held" | "blocked";
  rule?: string; // a rule name ("claim_price:Prices") or its kind ("claim_price")
  from?: number; // ms, inclusive
  to?: number; // ms, exclusive
}

/** A rule filter matches the exact rule or any rule of that kind ("blocked_topic" → "blocked_topic:crypto"). */
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`;

export function callConditions(f: CallFilters): (SQL | undefined)[] {
  return [
    f.surface ? eq(aiCalls.surface, f.surface) : undefined,
    f.provider ? eq(aiCalls.provider, f.provider as never) : undefined,
    f.model ? eq(aiCalls.model, f.model) : undefined,
    f.status ? eq(aiCalls.status, f.status) : undefined,
    f.action ? eq(aiCalls.action, f.action) : undefined,
    f.rule
      ? sql`EXISTS (SELECT 1 FROM json_each(${aiCalls.rulesFired}) WHERE json_each.value = ${f.rule} OR json_each.value LIKE ${likePrefix(f.rule)} ESCAPE '\\')`
      : undefined,
    f.from !== undefined ? gte(aiCalls.createdAt, f.from) : undefined,
    f.to !== undefined ? lt(aiCalls.createdAt, f.to) : undefined,
  ];
}

export async function findCalls(db: Db, tenantId: string, f: CallFilters, limit: number, cursor?: string) {
  const page = keyset(aiCalls.createdAt, aiCalls.id, cursor);
  return db
    .select()
    .from(aiCalls)
    .where(tenantScope(db, tenantId).where(aiCalls, ...callConditions(f), page.where))
    .orderBy(...page.orderBy)
    .limit(limit);
}

const CSV_COLUMNS = [
  "id",
  "created_at",
  "surface",
  "operation",
  "provider",
  "model",
  "status",
  "latency_ms",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "fallback",
  "redactions",
  "rules_fired",
  "action",
  "error",
] as const;
/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const EXPORT_PAGE = 1_000;
export const EXPORT_MAX_ROWS = 100_000;

/** The filtered log as CSV, streamed a page at a time (newest first; at most EXPORT_MAX_ROWS rows). */
export function exportCallsCsv(db: Db, tenantId: string, f: CallFilters): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let cursor: { createdAt: number; id: string } | null = null;
  let sent = 0;
  let header = false;
  return new ReadableStream({
    async pull(ctl) {
      if (!header) {
        header = true;
        ctl.enqueue(enc.encode(`${CSV_COLUMNS.join(",")}\r\n`));
        return;
      }
      const after = cursor
        ? sql`(${aiCalls.createdAt} < ${cursor.createdAt} OR (${aiCalls.createdAt} = ${cursor.createdAt} AND ${aiCalls.id} < ${cursor.id}))`
        : undefined;
      const rows = await db
        .select()
        .from(aiCalls)
        .where(tenantScope(db, tenantId).where(aiCalls, ...callConditions(f), after))
        .orderBy(sql`${aiCalls.createdAt} DESC`, sql`${aiCalls.id} DESC`)
        .limit(Math.min(EXPORT_PAGE, EXPORT_MAX_ROWS - sent));
      const lines = rows.map((r) =>
        [
          r.id,
          new Date(r.createdAt).toISOString(),
          r.surface,
          r.operation,
          r.provider,
          r.model,
          r.status,
          r.latencyMs,
          r.inputTokens,
          r.outputTokens,
          (r.costMicros / 1e6).toFixed(6),
          r.fallback,
          r.redactions,
          r.rulesFired.join(" "),
          r.action,
          r.error,
        ]
          .map(csvCell)
          .join(","),
      );
      if (lines.length) ctl.enqueue(enc.encode(`${lines.join("\r\n")}\r\n`));
      sent += rows.length;
      const last = rows[rows.length - 1];
      if (!last || rows.length < EXPORT_PAGE || sent >= EXPORT_MAX_ROWS) return ctl.close();
      cursor = { createdAt: last.createdAt, id: last.id };
    },
  });
}

type Count = Record<string, number>;
export interface DaySummary {
  day: string;
  calls: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  p50_latency_ms: number;
  p95_latency_ms: number;
  redactions: number;
  by_surface: Count;
  actions: Count;
  rules_fired: Count;
  redactions_by_kind: Count;
}

const add = (m: Count, k: string, n: number) => {
  m[k] = (m[k] ?? 0) + n;
};

/**
 * Per UTC day over the last `days` days (today included). Percentiles are nearest-rank over the
 * day's calls (ROW_NUMBER over latency), computed in SQL so no call rows leave D1.
 */
export async function callSummary(d1: D1Database, tenantId: string, days: number, now = Date.now()) {
  const since = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  const DAY = `strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')`;
  const W = `tenant_id = ?1 AND created_at >= ?2`;
  const q = (s: string) => d1.prepare(s).bind(tenantId, since);
  const [base, pct, surfaces, actions, rules, kinds] = await d1.batch([
    q(`SELECT ${DAY} AS day, count(*) AS calls, sum(status = 'error') AS errors, sum(input_tokens) AS input_tokens,
              sum(output_tokens) AS output_tokens, sum(cost_micros) AS cost_micros, sum(redactions) AS redactions
       FROM ai_calls WHERE ${W} GROUP BY day ORDER BY day`),
    q(`SELECT day, max(CASE WHEN rn = (n + 1) / 2 THEN latency_ms END) AS p50,
              max(CASE WHEN rn = (95 * n + 99) / 100 THEN latency_ms END) AS p95
       FROM (SELECT ${DAY} AS day, latency_ms, ROW_NUMBER() OVER (PARTITION BY ${DAY} ORDER BY latency_ms) AS rn,
                    count(*) OVER (PARTITION BY ${DAY}) AS n
             FROM ai_calls WHERE ${W}) GROUP BY day`),
    q(`SELECT ${DAY} AS day, surface AS k, count(*) AS n FROM ai_calls WHERE ${W} GROUP BY day, surface`),
    q(`SELECT ${DAY} AS day, action AS k, count(*) AS n FROM ai_calls WHERE ${W} GROUP BY day, action`),
    q(`SELECT ${DAY} AS day, j.value AS k, count(*) AS n FROM ai_calls, json_each(ai_calls.rules_fired) AS j
       WHERE ${W} GROUP BY day, j.value`),
    q(`SELECT ${DAY} AS day, j.key AS k, sum(j.value) AS n FROM ai_calls, json_each(ai_calls.redaction_kinds) AS j
       WHERE ${W} AND redactions > 0 GROUP BY day, j.key`),
  ]);
  type Base = Omit<DaySummary, "p50_latency_ms" | "p95_latency_ms" | "by_surface" | "actions" | "rules_fired" | "redactions_by_kind">;
  const byDay = new Map<string, DaySummary>();
  for (const r of (base?.results ?? []) as Base[])
    byDay.set(r.day, { ...r, p50_latency_ms: 0, p95_latency_ms: 0, by_surface: {}, actions: {}, rules_fired: {}, redactions_by_kind: {} });
  for (const r of (pct?.results ?? []) as { day: string; p50: number; p95: number }[]) {
    const d = byDay.get(r.day);
    if (d) Object.assign(d, { p50_latency_ms: r.p50 ?? 0, p95_latency_ms: r.p95 ?? 0 });
  }
  const spread = (res: D1Result | undefined, key: "by_surface" | "actions" | "rules_fired" | "redactions_by_kind") => {
    for (const r of (res?.results ?? []) as { day: string; k: string; n: number }[]) {
      const d = byDay.get(r.day);
      if (d) add(d[key], r.k, r.n);
    }
  };
  spread(surfaces, "by_surface");
  spread(actions, "actions");
  spread(rules, "rules_fired");
  spread(kinds, "redactions_by_kind");
  const daily = [...byDay.values()];
  const totals = {
    calls: 0,
    errors: 0,
    input_tokens: 0,
    output_tokens: 0,
    cost_micros: 0,
    redactions: 0,
    by_surface: {} as Count,
    actions: {} as Count,
    rules_fired: {} as Count,
    redactions_by_kind: {} as Count,
  };
  for (const d of daily) {
    totals.calls += d.calls;
    totals.errors += d.errors;
    totals.input_tokens += d.input_tokens;
    totals.output_tokens += d.output_tokens;
    totals.cost_micros += d.cost_micros;
    totals.redactions += d.redactions;
    for (const key of ["by_surface", "actions", "rules_fired", "redactions_by_kind"] as const)
      for (const [k, n] of Object.entries(d[key])) add(totals[key], k, n);
  }
  return { days, since: new Date(since).toISOString(), totals, daily };
}

const PRUNE_CHUNK = 5_000;
const MAX_CHUNKS_PER_TENANT = 20;

/** Daily: deletes each workspace's calls older than its retention (its setting, capped by its plan's). */
export async function pruneAiCalls(env: Env, now = Date.now()): Promise<{ tenants: number; deleted: number }> {
  const db = getDb(env.DB);
  const tenants = await db.all<{ tenant_id: string }>(sql`SELECT DISTINCT tenant_id FROM ai_calls`);
  let deleted = 0;
  for (const { tenant_id: tenantId } of tenants) {
    const [plan, g] = await Promise.all([currentPlan(db, env.DB, tenantId), getGuardrails(db, tenantId)]);
    const cutoff = now - effectiveLogRetentionDays(plan, g.logRetentionDays) * DAY_MS;
    for (let i = 0; i < MAX_CHUNKS_PER_TENANT; i++) {
      const r = await env.DB.prepare(
        "DELETE FROM ai_calls WHERE rowid IN (SELECT rowid FROM ai_calls WHERE tenant_id = ?1 AND created_at < ?2 LIMIT ?3)",
      )
        .bind(tenantId, cutoff, PRUNE_CHUNK)
        .run();
      deleted += r.meta.changes;
      if (r.meta.changes < PRUNE_CHUNK) break;
    }
  }
  if (deleted) log.info("ai_calls_pruned", { tenants: tenants.length, deleted });
  return { tenants: tenants.length, deleted };
}
