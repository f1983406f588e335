import type { aiCalls } from "../../../schema/ai";
import type { Db } from "../../platform/db";
import { toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { findCalls, type CallFilters } from "./calls.service";

type CallRow = typeof aiCalls.$inferSelect;
export const serializeCall = (r: CallRow) => ({
  id: r.id,
  operation: r.operation,
  provider: r.provider,
  model: r.model,
  status: r.status,
  latency_ms: r.latencyMs,
  input_tokens: r.inputTokens,
  output_tokens: r.outputTokens,
  fallback: r.fallback,
  redactions: r.redactions,
  redaction_kinds: r.redactionKinds ?? {},
  surface: r.surface,
  cost_micros: r.costMicros,
  rules_fired: r.rulesFired,
  action: r.action,
  attempts: r.attempts,
  error: r.error,
  created_at: iso(r.createdAt)!,
});

/** The call log, newest first, filtered (surface, provider, model, status, action, rule, date range). */
export async function listCalls(db: Db, tenantId: string, q: PageQuery, f: CallFilters = {}) {
  const rows = await findCalls(db, tenantId, f, q.limit + 1, q.cursor);
  return toPage(rows, q.limit, (r) => r, serializeCall);
}

/** Daily totals per provider for the usage charts (UTC days). */
export async function usageSummary(d1: D1Database, tenantId: string, days: number) {
  const since = Date.now() - days * 86_400_000;
  const rows = await d1
    .prepare(
      `SELECT strftime('%Y-%m-%d', created_at / 1000, 'unixepoch') AS day, provider,
              count(*) AS calls, sum(status = 'error') AS errors, sum(fallback) AS fallbacks,
              sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, avg(latency_ms) AS avg_latency_ms
       FROM ai_calls WHERE tenant_id = ?1 AND created_at >= ?2 GROUP BY day, provider ORDER BY day`,
    )
    .bind(tenantId, since)
    .all<{
      day: string;
      provider: string;
      calls: number;
      errors: number;
      fallbacks: number;
      input_tokens: number;
      output_tokens: number;
      avg_latency_ms: number;
    }>();
  const totals = { calls: 0, errors: 0, fallbacks: 0, input_tokens: 0, output_tokens: 0 };
  for (const r of rows.results) {
    totals.calls += r.calls;
    totals.errors += r.errors;
    totals.fallbacks += r.fallbacks;
    totals.input_tokens += r.input_tokens;
    totals.output_tokens += r.output_tokens;
  }
  return { days, totals, daily: rows.results.map((r) => ({ ...r, avg_latency_ms: Math.round(r.avg_latency_ms) })) };
}
