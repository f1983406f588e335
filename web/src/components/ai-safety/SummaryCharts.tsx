import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtCompact, tooltipStyle } from "../analytics/client";
import type { CallSummary } from "./types";

const axis = { tick: { fill: "var(--muted)", fontSize: 11 }, tickLine: false, axisLine: false } as const;
const COLORS = ["var(--accent)", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#06b6d4"];

function Frame({ title, summary, children }: { title: string; summary: string; children: React.ReactElement }) {
  return (
    <figure className="rounded-xl border border-line bg-surface p-4 shadow-sm">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div className="h-56" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Calls, cost and latency per day; actions taken per day (lazily loaded: recharts stays out of the page chunk). */
export default function SummaryCharts({ summary }: { summary: CallSummary }) {
  const data = summary.daily.map((d) => ({
    day: d.day.slice(5),
    calls: d.calls,
    errors: d.errors,
    cost: d.cost_micros / 1_000_000,
    p50: d.p50_latency_ms,
    p95: d.p95_latency_ms,
    ...Object.fromEntries(Object.entries(d.actions).map(([k, v]) => [`a_${k}`, v])),
  }));
  const actionKeys = Object.keys(summary.totals.actions);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Frame title="Calls per day" summary={`${summary.totals.calls} calls, ${summary.totals.errors} errors over ${summary.days} days`}>
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="day" {...axis} minTickGap={16} />
          <YAxis {...axis} width={40} tickFormatter={fmtCompact} allowDecimals={false} />
          <Tooltip contentStyle={tooltipStyle} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="calls" name="Calls" fill="var(--accent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Bar dataKey="errors" name="Errors" fill="#ef4444" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </Frame>
      <Frame title="Cost per day (USD)" summary={`Total cost $${(summary.totals.cost_micros / 1_000_000).toFixed(2)}`}>
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="day" {...axis} minTickGap={16} />
          <YAxis {...axis} width={48} />
          <Tooltip contentStyle={tooltipStyle} formatter={(v) => `$${Number(v).toFixed(4)}`} />
          <Bar dataKey="cost" name="Cost" fill="#10b981" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </Frame>
      <Frame title="Latency per day (ms)" summary="Median and 95th percentile latency per day">
        <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="day" {...axis} minTickGap={16} />
          <YAxis {...axis} width={48} tickFormatter={fmtCompact} />
          <Tooltip contentStyle={tooltipStyle} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="p50" name="p50" stroke="var(--accent)" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line dataKey="p95" name="p95" stroke="#f59e0b" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </Frame>
      <Frame title="Actions per day" summary={actionKeys.map((k) => `${k}: ${summary.totals.actions[k]}`).join(", ") || "No actions"}>
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="day" {...axis} minTickGap={16} />
          <YAxis {...axis} width={40} allowDecimals={false} />
          <Tooltip contentStyle={tooltipStyle} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {actionKeys.map((k, i) => (
            <Bar key={k} dataKey={`a_${k}`} name={k} stackId="a" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </Frame>
    </div>
  );
}
