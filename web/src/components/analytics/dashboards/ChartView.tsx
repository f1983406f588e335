import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { api, errorMessage } from "../../../lib/api";
import type { DashboardChartInput } from "../../../lib/api-types";
import { tkey, useWorkspace } from "../../../lib/workspace";
import { Skeleton } from "../../ui/Skeleton";
import { change, fmtNumber, fmtPercent, normalizeDefinition, rangeOf } from "../client";
import { FunnelBars } from "../FunnelResults";

const TrendsChart = lazy(() => import("../TrendsChart"));

/** What a chart asked and what came back, normalised for drawing. */
type ChartData =
  | { kind: "trends"; result: Awaited<ReturnType<typeof runTrends>>; total: number }
  | { kind: "top"; rows: { value: string; pageviews: number; visitors: number }[] }
  | { kind: "overview"; value: number; previous: number }
  | { kind: "funnel"; steps: Awaited<ReturnType<typeof runFunnel>>["steps"] };

const runTrends = (q: Extract<DashboardChartInput["query"], { kind: "trends" }>, r: { from: string; to: string }) =>
  api("POST /api/v1/analytics/trends/query", {
    body: { event: q.event, interval: q.interval ?? "day", ...(q.breakdown ? { breakdown: q.breakdown } : {}), ...r },
  });
async function runFunnel(q: Extract<DashboardChartInput["query"], { kind: "funnel" }>, r: { from: string; to: string }) {
  const definition = q.funnel_id
    ? (await api("GET /api/v1/analytics/funnels/{id}", { params: { id: q.funnel_id } })).definition
    : q.definition;
  if (!definition) throw new Error("This funnel chart has no steps.");
  return api("POST /api/v1/analytics/funnels/query", { body: { ...normalizeDefinition(definition), ...r } });
}

async function runChart(chart: DashboardChartInput, r: { from: string; to: string }): Promise<ChartData> {
  const q = chart.query;
  switch (q.kind) {
    case "trends": {
      const result = await runTrends(q, r);
      const total = result.series.reduce((n, s) => n + ((q.measure ?? "count") === "count" ? s.total_count : s.total_uniques), 0);
      return { kind: "trends", result, total };
    }
    case "top":
      return {
        kind: "top",
        rows: (await api("GET /api/v1/analytics/top", { query: { ...r, dimension: q.dimension, limit: q.limit ?? 5 } })).data,
      };
    case "overview": {
      const o = await api("GET /api/v1/analytics/overview", { query: r });
      return { kind: "overview", value: o.current[q.metric], previous: o.previous[q.metric] };
    }
    case "funnel":
      return { kind: "funnel", steps: (await runFunnel(q, r)).steps };
  }
}

/** Nothing to draw: every number is zero. */
function isEmpty(d: ChartData): boolean {
  if (d.kind === "trends") return d.total === 0;
  if (d.kind === "top") return d.rows.length === 0;
  if (d.kind === "overview") return d.value === 0 && d.previous === 0;
  return (d.steps[0]?.count ?? 0) === 0;
}

/** One dashboard chart: runs its saved question through the analytics query APIs and draws it. */
export function ChartView({ chart, compact = false }: { chart: DashboardChartInput; compact?: boolean }) {
  const ws = useWorkspace();
  const days = chart.range_days ?? 30;
  const range = rangeOf(days);
  const q = useQuery({
    queryKey: tkey(ws.id, "analytics", "dashboard-chart", chart.query, chart.chart, range),
    queryFn: () => runChart(chart, range),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  if (q.isPending) return <Skeleton className={compact ? "h-24" : "h-48"} />;
  if (q.isError) return <p className="text-sm text-danger">Could not load this chart: {errorMessage(q.error)}</p>;
  const d = q.data;
  if (isEmpty(d)) {
    return (
      <p className="flex h-24 items-center justify-center rounded-lg border border-dashed border-line px-4 text-center text-sm text-muted">
        No data in the last {days} days yet.
      </p>
    );
  }
  if (d.kind === "overview" || chart.chart === "number") {
    const value = d.kind === "overview" ? d.value : d.kind === "trends" ? d.total : 0;
    const delta = d.kind === "overview" ? change(d.value, d.previous) : null;
    return (
      <div>
        <p className="text-3xl font-semibold tabular-nums">{fmtNumber(value)}</p>
        {delta !== null && (
          <p className={delta >= 0 ? "text-sm text-success" : "text-sm text-danger"}>
            {delta >= 0 ? "+" : ""}
            {fmtPercent(delta)} vs the previous {days} days
          </p>
        )}
      </div>
    );
  }
  if (d.kind === "trends") {
    const measure = chart.query.kind === "trends" ? (chart.query.measure ?? "count") : "count";
    if (chart.chart === "line" || compact) {
      return (
        <Suspense fallback={<Skeleton className="h-72" />}>
          <TrendsChart
            result={d.result}
            measure={measure}
            event={chart.query.kind === "trends" ? chart.query.event : ""}
            breakdown={false}
          />
        </Suspense>
      );
    }
    const points = d.result.series[0]?.points ?? [];
    return <Bars rows={points.map((p) => ({ label: p.period.slice(0, 10), value: p[measure] }))} />;
  }
  if (d.kind === "top") {
    if (chart.chart === "bar") return <Bars rows={d.rows.map((r) => ({ label: r.value, value: r.pageviews }))} />;
    return (
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-muted">
            <th className="pb-2 font-medium">Value</th>
            <th className="pb-2 text-right font-medium">Views</th>
            <th className="pb-2 text-right font-medium">Visitors</th>
          </tr>
        </thead>
        <tbody>
          {d.rows.map((r) => (
            <tr key={r.value} className="border-t border-line">
              <td className="max-w-0 truncate py-1.5 pr-2">{r.value}</td>
              <td className="py-1.5 text-right tabular-nums">{fmtNumber(r.pageviews)}</td>
              <td className="py-1.5 text-right tabular-nums">{fmtNumber(r.visitors)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return <FunnelBars steps={d.steps} />;
}

/** Horizontal bars with values, proportional to the largest. */
function Bars({ rows }: { rows: { label: string; value: number }[] }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <ul className="space-y-2" aria-label="Bar chart">
      {rows.map((r) => (
        <li key={r.label} className="text-sm">
          <div className="flex justify-between gap-3">
            <span className="min-w-0 truncate">{r.label}</span>
            <span className="tabular-nums text-muted">{fmtNumber(r.value)}</span>
          </div>
          <div className="mt-1 h-2 rounded bg-subtle" aria-hidden="true">
            <div className="h-2 rounded bg-accent" style={{ width: `${(r.value / max) * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}
