import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Badge } from "../ui/Badge";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { kapi, type AiCall, type AiUsage, type Provider } from "./client";
import { LABEL } from "./AiSettingsParts";

const COLORS: Record<string, string> = { openai: "var(--accent)", anthropic: "#d97706", "workers-ai": "#7c3aed", local: "#16a34a" };

export function UsageCard() {
  const ws = useWorkspace();
  const [days, setDays] = useState(30);
  const usage = useQuery({ queryKey: tkey(ws.id, "ai", "usage", days), queryFn: () => kapi<AiUsage>("GET", `/ai/usage?days=${days}`) });
  const byDay = new Map<string, Record<string, number | string>>();
  const providers = new Set<string>();
  for (const d of usage.data?.daily ?? []) {
    providers.add(d.provider);
    const row = byDay.get(d.day) ?? { day: d.day.slice(5) };
    row[d.provider] = d.input_tokens + d.output_tokens;
    row[`${d.provider}_calls`] = d.calls;
    byDay.set(d.day, row);
  }
  const data = [...byDay.values()];
  const t = usage.data?.totals;
  return (
    <Card
      title="AI usage"
      description="Tokens per day and provider (input + output). Hosted providers' tokens count towards the plan's AI token quota."
      actions={
        <Field label="Period" hideLabel>
          <Select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={7}>7 days</option>
            <option value={30}>30 days</option>
            <option value={90}>90 days</option>
          </Select>
        </Field>
      }
    >
      {usage.isError ? (
        <p role="alert" className="text-danger">
          {errorMessage(usage.error)}
        </p>
      ) : !t ? (
        <TableSkeleton rows={3} />
      ) : t.calls === 0 ? (
        <EmptyState title="No AI calls yet">Ask a question on the Knowledge page or through the chat widget.</EmptyState>
      ) : (
        <>
          <dl className="mb-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
            {[
              ["Calls", t.calls],
              ["Errors", t.errors],
              ["Fallbacks", t.fallbacks],
              ["Input tokens", t.input_tokens],
              ["Output tokens", t.output_tokens],
            ].map(([k, v]) => (
              <div key={k} className="rounded-lg border border-line p-3">
                <dt className="text-muted">{k}</dt>
                <dd className="text-lg font-semibold">{Number(v).toLocaleString()}</dd>
              </div>
            ))}
          </dl>
          <div className="h-56" role="img" aria-label={`Tokens per day over ${days} days, by provider`}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data} margin={{ top: 4, right: 4, left: -12, bottom: 0 }}>
                <CartesianGrid vertical={false} stroke="var(--line)" />
                <XAxis dataKey="day" tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} />
                <YAxis tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} />
                <Tooltip
                  cursor={{ fill: "var(--subtle)" }}
                  contentStyle={{
                    background: "var(--surface)",
                    border: "1px solid var(--line)",
                    borderRadius: 8,
                    color: "var(--fg)",
                    fontSize: 12,
                  }}
                />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {[...providers].map((p) => (
                  <Bar
                    key={p}
                    dataKey={p}
                    name={LABEL[p as Provider] ?? p}
                    stackId="t"
                    fill={COLORS[p] ?? "var(--muted)"}
                    maxBarSize={28}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        </>
      )}
    </Card>
  );
}

export function CallsCard() {
  const ws = useWorkspace();
  const pager = useCursor();
  const list = useQuery({
    queryKey: tkey(ws.id, "ai", "calls", pager.cursor),
    queryFn: () =>
      kapi<{ data: AiCall[]; next_cursor: string | null }>("GET", `/ai/calls?limit=20${pager.cursor ? `&cursor=${pager.cursor}` : ""}`),
  });
  const columns: Column<AiCall>[] = [
    {
      key: "time",
      header: "Time",
      cell: (c) => (
        <time dateTime={c.created_at} className="whitespace-nowrap text-muted">
          {formatDateTime(c.created_at)}
        </time>
      ),
    },
    {
      key: "provider",
      header: "Provider",
      cell: (c) => (
        <span>
          {LABEL[c.provider as Provider] ?? c.provider} <span className="text-xs text-muted">{c.model}</span>
        </span>
      ),
    },
    {
      key: "status",
      header: "Result",
      cell: (c) => (
        <span className="flex flex-wrap gap-1">
          <Badge tone={c.status === "ok" ? "success" : "danger"}>{c.status}</Badge>
          {c.fallback && <Badge tone="warning">fallback</Badge>}
          {c.redactions > 0 && <Badge>{c.redactions} redacted</Badge>}
        </span>
      ),
    },
    { key: "latency", header: "Latency", hideOnMobile: true, sort: (c) => c.latency_ms, cell: (c) => `${c.latency_ms} ms` },
    { key: "tokens", header: "Tokens (in/out)", hideOnMobile: true, cell: (c) => `${c.input_tokens} / ${c.output_tokens}` },
    {
      key: "attempts",
      header: "Attempts",
      hideOnMobile: true,
      cell: (c) => (
        <span className="text-xs text-muted">
          {c.attempts.map((a) => `${a.provider}:${a.outcome}`).join(" → ")}
          {c.error ? ` — ${c.error}` : ""}
        </span>
      ),
    },
  ];
  return (
    <section className="rounded-xl border border-line bg-surface shadow-sm">
      <h2 className="border-b border-line px-5 py-4 text-base font-semibold">Call log</h2>
      {list.isPending ? (
        <TableSkeleton />
      ) : list.isError ? (
        <p role="alert" className="p-4 text-danger">
          {errorMessage(list.error)}
        </p>
      ) : (
        <>
          <Table
            caption="AI calls"
            columns={columns}
            rows={list.data.data}
            rowKey={(c) => c.id}
            empty={<EmptyState title="No calls logged yet" />}
          />
          <Pager
            page={pager.page}
            hasPrev={pager.hasPrev}
            hasNext={!!list.data.next_cursor}
            onPrev={pager.prev}
            onNext={() => pager.next(list.data.next_cursor)}
          />
        </>
      )}
    </section>
  );
}
