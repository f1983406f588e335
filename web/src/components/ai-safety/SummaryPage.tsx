import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { PageHeader } from "../ui/Card";
import { Field, Select } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { type CallSummary, usd } from "./types";

const SummaryCharts = lazy(() => import("./SummaryCharts"));

function Top({ title, counts }: { title: string; counts: Record<string, number> }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <section className="rounded-xl border border-line bg-surface p-4 shadow-sm">
      <h2 className="mb-2 text-sm font-medium">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-muted">None.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {rows.slice(0, 8).map(([k, n]) => (
            <li key={k} className="flex justify-between gap-3">
              <span className="min-w-0 truncate">{k}</span>
              <span className="tabular-nums">{n.toLocaleString()}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The safety console's summary: calls, cost, latency per day; rules fired, actions taken, redactions. */
export function SummaryPage() {
  const ws = useWorkspace();
  const [days, setDays] = useState(30);
  const summary = useQuery({
    queryKey: tkey(ws.id, "ai-safety", "summary", days),
    queryFn: () => call<CallSummary>("GET", "/ai/calls/summary", { query: { days } }),
  });
  const t = summary.data?.totals;
  return (
    <>
      <PageHeader
        title="AI safety"
        description="Every AI call in this workspace (writer, chat, assistant…), what it cost, and what the guardrails did."
        actions={
          <Field label="Period" hideLabel>
            <Select value={days} onChange={(e) => setDays(Number(e.target.value))}>
              <option value={7}>Last 7 days</option>
              <option value={30}>Last 30 days</option>
              <option value={90}>Last 90 days</option>
            </Select>
          </Field>
        }
      />
      {summary.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(summary.error)}
        </p>
      ) : !summary.data || !t ? (
        <Skeleton className="h-96" />
      ) : (
        <div className="space-y-6">
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
            {[
              ["Calls", t.calls.toLocaleString()],
              ["Errors", t.errors.toLocaleString()],
              ["Cost", usd(t.cost_micros)],
              ["Redactions (PII)", t.redactions.toLocaleString()],
            ].map(([k, v]) => (
              <div key={k} className="rounded-xl border border-line bg-surface p-4 shadow-sm">
                <dt className="text-xs text-muted">{k}</dt>
                <dd className="text-2xl font-semibold tabular-nums">{v}</dd>
              </div>
            ))}
          </dl>
          {summary.data.daily.length > 0 && (
            <Suspense fallback={<Skeleton className="h-72" />}>
              <SummaryCharts summary={summary.data} />
            </Suspense>
          )}
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Top title="Rules fired" counts={t.rules_fired} />
            <Top title="Actions" counts={t.actions} />
            <Top title="By surface" counts={t.by_surface} />
            <Top title="Redactions by kind" counts={t.redactions_by_kind} />
          </div>
        </div>
      )}
    </>
  );
}
