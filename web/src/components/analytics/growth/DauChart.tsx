import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtCompact, fmtNumber, fmtPeriod, tooltipStyle } from "../client";
import type { ActivePeople } from "./client";

/** Daily active people over the last 30 days (recharts; loaded lazily). */
export default function DauChart({ daily }: { daily: ActivePeople["daily"] }) {
  const data = daily.map((d) => ({ ...d, label: fmtPeriod(d.date) }));
  const peak = data.reduce((a, b) => (b.dau > a.dau ? b : a), data[0] ?? { label: "", dau: 0 });
  const mean = data.length ? data.reduce((s, d) => s + d.dau, 0) / data.length : 0;
  const summary = `Area chart of daily active people over the last ${data.length} days: on average ${fmtNumber(Math.round(mean))} a day${
    peak.dau ? `, most on ${peak.label} (${fmtNumber(peak.dau)})` : ""
  }.`;
  return (
    <div className="h-56" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="label" tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis
            allowDecimals={false}
            tickFormatter={fmtCompact}
            tick={{ fill: "var(--muted)", fontSize: 11 }}
            tickLine={false}
            axisLine={false}
          />
          <Tooltip contentStyle={tooltipStyle} formatter={(v) => fmtNumber(Number(v))} />
          <Area
            type="monotone"
            dataKey="dau"
            name="Active people"
            stroke="var(--accent)"
            fill="var(--accent)"
            fillOpacity={0.18}
            strokeWidth={2}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
