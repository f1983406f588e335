import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtCompact, fmtNumber, fmtPeriod, type Overview, tooltipStyle } from "./client";

/** Daily page views and events (recharts; loaded lazily so it never weighs on first paint). */
export default function DailyChart({ daily }: { daily: Overview["daily"] }) {
  const data = daily.map((d) => ({ ...d, label: fmtPeriod(d.date) }));
  const pv = data.reduce((s, d) => s + d.pageviews, 0);
  const ev = data.reduce((s, d) => s + d.events, 0);
  const peak = data.reduce((a, b) => (b.pageviews > a.pageviews ? b : a), data[0] ?? { label: "", pageviews: 0 });
  const summary = `Area chart of page views and events per day over ${data.length} days: ${fmtNumber(pv)} page views and ${fmtNumber(ev)} events${
    pv ? `; most page views on ${peak.label} (${fmtNumber(peak.pageviews)})` : ""
  }.`;
  return (
    <div className="h-64" role="img" aria-label={summary}>
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
          <Legend wrapperStyle={{ fontSize: 12, color: "var(--muted)" }} />
          <Area type="monotone" dataKey="events" name="Events" stroke="#f59e0b" fill="#f59e0b" fillOpacity={0.12} strokeWidth={2} />
          <Area
            type="monotone"
            dataKey="pageviews"
            name="Page views"
            stroke="var(--accent)"
            fill="var(--accent)"
            fillOpacity={0.18}
            strokeWidth={2}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
