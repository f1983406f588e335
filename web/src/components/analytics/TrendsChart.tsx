import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtCompact, fmtNumber, fmtPeriod, SERIES_COLORS, tooltipStyle, type TrendsResult } from "./client";
import { seriesName } from "./series-name";

/** One line per series (≤ 10), count or unique people per period. Lazy-loaded (recharts). */
export default function TrendsChart({
  result,
  measure,
  event,
  breakdown,
}: {
  result: TrendsResult;
  measure: "count" | "uniques";
  event: string;
  breakdown: boolean;
}) {
  const series = result.series.slice(0, 10);
  const periods = series[0]?.points.map((p) => p.period) ?? [];
  const data = periods.map((period, i) => {
    const row: Record<string, string | number> = { label: fmtPeriod(period, result.interval) };
    series.forEach((s, j) => {
      row[`s${j}`] = s.points[i]?.[measure] ?? 0;
    });
    return row;
  });
  const what = measure === "count" ? "events" : "unique people";
  const summary = `Line chart of ${event} ${what} per ${result.interval}, ${periods.length} periods: ${series
    .map((s) => `${seriesName(s.breakdown_value, breakdown)} ${fmtNumber(measure === "count" ? s.total_count : s.total_uniques)}`)
    .join(", ")}.`;
  return (
    <div className="h-72" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
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
          {breakdown && <Legend wrapperStyle={{ fontSize: 12, color: "var(--muted)" }} />}
          {series.map((s, j) => (
            <Line
              key={s.breakdown_value ?? `none-${j}`}
              type="monotone"
              dataKey={`s${j}`}
              name={seriesName(s.breakdown_value, breakdown)}
              stroke={SERIES_COLORS[j % SERIES_COLORS.length]}
              strokeWidth={2}
              dot={periods.length <= 31 ? { r: 2 } : false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
