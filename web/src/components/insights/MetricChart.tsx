import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Res } from "../../lib/api";

type Series = Res<"GET /api/v1/insights/metrics/{metric}/series">;
const fmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

/**
 * A metric's daily values (line) over its usual range (shaded band: median ± K·1.4826·MAD of the 28
 * days before each day); days outside it are red dots. Loaded lazily (recharts).
 */
export default function MetricChart({ series }: { series: Series }) {
  const money = series.metric.unit === "cents";
  const scale = (v: number | null) => (v === null ? null : money ? v / 100 : v);
  const data = series.points.map((p) => ({
    day: fmt.format(new Date(`${p.day}T00:00:00Z`)),
    value: scale(p.value),
    base: scale(p.usual_low),
    band: p.usual_low === null || p.usual_high === null ? null : (scale(p.usual_high) ?? 0) - (scale(p.usual_low) ?? 0),
    anomalous: p.anomalous,
  }));
  const out = data.filter((d) => d.anomalous);
  const last = data.at(-1);
  return (
    <figure>
      <div
        className="h-56"
        role="img"
        aria-label={`${series.metric.label} per day for ${data.length} days${last?.value !== null && last ? `; latest ${last.value}` : ""}; ${out.length} day${out.length === 1 ? "" : "s"} outside the usual range${out.length ? `: ${out.map((d) => d.day).join(", ")}` : ""}.`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid vertical={false} stroke="var(--line)" />
            <XAxis dataKey="day" tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} minTickGap={20} />
            <YAxis tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} allowDecimals={money} />
            <Area
              dataKey="base"
              stackId="band"
              stroke="none"
              fill="transparent"
              isAnimationActive={false}
              legendType="none"
              tooltipType="none"
            />
            <Area
              dataKey="band"
              name="Usual range"
              stackId="band"
              stroke="none"
              fill="var(--accent)"
              fillOpacity={0.14}
              isAnimationActive={false}
              tooltipType="none"
            />
            <Line
              dataKey="value"
              name={series.metric.label}
              stroke="var(--accent)"
              strokeWidth={2}
              isAnimationActive={false}
              connectNulls
              dot={(p: { cx?: number; cy?: number; index?: number; payload?: { anomalous: boolean } }) =>
                p.payload?.anomalous && p.cx !== undefined && p.cy !== undefined ? (
                  <circle key={p.index} cx={p.cx} cy={p.cy} r={4.5} fill="var(--danger)" stroke="var(--surface)" strokeWidth={1.5} />
                ) : (
                  <g key={p.index} />
                )
              }
            />
            <Tooltip
              contentStyle={{ background: "var(--surface)", border: "1px solid var(--line)", borderRadius: 8, fontSize: 12 }}
              labelStyle={{ color: "var(--fg)" }}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-4 text-xs text-muted">
        <span className="flex items-center gap-1.5">
          <span aria-hidden="true" className="h-0.5 w-4 bg-accent" /> {series.metric.label}
          {money ? " (currency units)" : ""}
        </span>
        <span className="flex items-center gap-1.5">
          <span aria-hidden="true" className="h-3 w-4 rounded-sm bg-accent/15" /> Usual range
        </span>
        <span className="flex items-center gap-1.5">
          <span aria-hidden="true" className="size-2.5 rounded-full bg-danger" /> Outside it
        </span>
      </figcaption>
    </figure>
  );
}
