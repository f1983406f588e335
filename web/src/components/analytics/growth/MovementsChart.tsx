import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtNumber, fmtPeriod, tooltipStyle } from "../client";
import type { Expansion } from "./client";

const SERIES = [
  { key: "new", name: "New", color: "var(--accent)" },
  { key: "upgrades", name: "Upgrades", color: "#10b981" },
  { key: "downgrades", name: "Downgrades", color: "#f59e0b" },
  { key: "cancellations", name: "Cancellations", color: "#ef4444" },
] as const;

/** Subscription movements per week: gains stacked up, losses beside them (recharts; loaded lazily). */
export default function MovementsChart({ weekly }: { weekly: Expansion["movements"]["weekly"] }) {
  const data = weekly.map((w) => ({ ...w, label: fmtPeriod(w.week_start, "week") }));
  const total = (k: (typeof SERIES)[number]["key"]) => data.reduce((n, w) => n + w[k], 0);
  const summary = `Bar chart of subscription movements per week over ${data.length} weeks: ${SERIES.map(
    (s) => `${fmtNumber(total(s.key))} ${s.name.toLowerCase()}`,
  ).join(", ")}.`;
  return (
    <div className="h-56" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="label" tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} minTickGap={16} />
          <YAxis allowDecimals={false} tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} />
          <Tooltip contentStyle={tooltipStyle} formatter={(v) => fmtNumber(Number(v))} cursor={{ fill: "var(--subtle)" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.name}
              fill={s.color}
              stackId={s.key === "new" || s.key === "upgrades" ? "gain" : "loss"}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
