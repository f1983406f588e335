import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtCompact, fmtNumber, fmtPeriod, tooltipStyle } from "../analytics/client";
import type { Activity } from "./client";

/**
 * The Community overview's charts (recharts, lazy-loaded like the analytics charts): topics and
 * posts per day as bars, or active members per day as a line. The figure is described in its label.
 */
export default function ActivityChart({ series, kind }: { series: Activity["series"]; kind: "content" | "members" }) {
  const data = series.map((s) => ({ ...s, label: fmtPeriod(s.day) }));
  const sum = (k: "topics" | "posts" | "active_members") => data.reduce((n, d) => n + d[k], 0);
  const axis = { tick: { fill: "var(--muted)", fontSize: 11 }, tickLine: false, axisLine: false } as const;
  if (kind === "members") {
    const peak = data.reduce((a, b) => (b.active_members > a.active_members ? b : a), data[0] ?? { label: "", active_members: 0 });
    return (
      <div
        className="h-64"
        role="img"
        aria-label={`Line chart of active members per day over ${data.length} days; the most on ${peak.label} (${fmtNumber(peak.active_members)}).`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
            <CartesianGrid vertical={false} stroke="var(--line)" />
            <XAxis dataKey="label" {...axis} minTickGap={24} />
            <YAxis allowDecimals={false} tickFormatter={fmtCompact} {...axis} />
            <Tooltip contentStyle={tooltipStyle} formatter={(v) => fmtNumber(Number(v))} />
            <Line
              type="monotone"
              dataKey="active_members"
              name="Active members"
              stroke="#10b981"
              strokeWidth={2}
              dot={data.length <= 31 ? { r: 2 } : false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    );
  }
  return (
    <div
      className="h-64"
      role="img"
      aria-label={`Bar chart of topics and posts per day over ${data.length} days: ${fmtNumber(sum("topics"))} topics and ${fmtNumber(sum("posts"))} posts.`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="label" {...axis} minTickGap={24} />
          <YAxis allowDecimals={false} tickFormatter={fmtCompact} {...axis} />
          <Tooltip contentStyle={tooltipStyle} formatter={(v) => fmtNumber(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12, color: "var(--muted)" }} />
          <Bar dataKey="posts" name="Posts" fill="var(--accent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Bar dataKey="topics" name="Topics" fill="#f59e0b" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
