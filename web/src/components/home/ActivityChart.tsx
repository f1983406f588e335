import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AuditLogEntry } from "../../lib/api-types";

const day = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** Audit events per day (recharts; loaded lazily so it never weighs on first paint). */
export default function ActivityChart({ events, since, truncated }: { events: AuditLogEntry[]; since: Date; truncated: boolean }) {
  const buckets = new Map<string, number>();
  for (let i = 0; i < 14; i++) {
    const d = new Date(since);
    d.setDate(since.getDate() + i);
    buckets.set(d.toDateString(), 0);
  }
  for (const e of events) {
    const k = new Date(e.created_at).toDateString();
    if (buckets.has(k)) buckets.set(k, buckets.get(k)! + 1);
  }
  const data = [...buckets].map(([k, count]) => ({ day: day.format(new Date(k)), count }));
  const total = data.reduce((s, d) => s + d.count, 0);
  const peak = data.reduce((a, b) => (b.count > a.count ? b : a), data[0]!);
  return (
    <figure>
      <div
        className="h-48"
        role="img"
        aria-label={`Bar chart of audit events per day: ${total} in the last 14 days${total ? `, most on ${peak.day} (${peak.count})` : ""}.`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={data} margin={{ top: 4, right: 4, left: -24, bottom: 0 }}>
            <CartesianGrid vertical={false} stroke="var(--line)" />
            <XAxis
              dataKey="day"
              tick={{ fill: "var(--muted)", fontSize: 11 }}
              tickLine={false}
              axisLine={false}
              interval="preserveStartEnd"
              minTickGap={16}
            />
            <YAxis allowDecimals={false} tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} />
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
            <Bar dataKey="count" name="Events" fill="var(--accent)" radius={[4, 4, 0, 0]} maxBarSize={28} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-xs text-muted">
        {total}
        {truncated ? "+" : ""} events in the last 14 days.
      </figcaption>
    </figure>
  );
}
