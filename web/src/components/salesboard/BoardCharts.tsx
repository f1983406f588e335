import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { fmtCompact, tooltipStyle } from "../analytics/client";
import { type Board, money, pct } from "./format";

const axis = { tick: { fill: "var(--muted)", fontSize: 11 }, tickLine: false, axisLine: false } as const;

function Frame({ title, summary, children }: { title: string; summary: string; children: React.ReactElement }) {
  return (
    <figure className="min-w-0 rounded-xl border border-line bg-surface p-4 shadow-sm">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <div className="h-56" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Pipeline by stage (bar), the trend over time (line) and reply rate per sequence step (bar); lazily loaded with recharts. */
export default function BoardCharts({ board }: { board: Board }) {
  const stages = board.pipeline.map((s) => ({
    name: s.name,
    value: s.value_minor / 100,
    weighted: s.weighted_minor / 100,
    count: s.count,
  }));
  const trend = board.trend.map((t) => ({ ...t, label: t.start.slice(5) }));
  const steps = board.steps.map((s) => ({
    name:
      board.options.sequences.length > 1 || new Set(board.steps.map((x) => x.sequence_id)).size > 1
        ? `${s.sequence_name} · ${s.position}`
        : `Step ${s.position}`,
    reply: s.reply_rate === null ? 0 : s.reply_rate * 100,
    meeting: s.meeting_rate === null ? 0 : s.meeting_rate * 100,
  }));
  const cur = board.currency;
  const busiest = board.trend.reduce((a, b) => (b.emails_sent > a.emails_sent ? b : a), board.trend[0] ?? { start: "", emails_sent: 0 });
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Frame
        title={`Open pipeline by stage (${cur})`}
        summary={`Open pipeline: ${board.pipeline.map((s) => `${s.name} ${s.count} deals, ${money(s.value_minor, cur)}`).join("; ")}`}
      >
        <BarChart accessibilityLayer={false} data={stages} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="name" {...axis} minTickGap={8} />
          <YAxis {...axis} width={48} tickFormatter={fmtCompact} />
          <Tooltip contentStyle={tooltipStyle} formatter={(v) => money(Number(v) * 100, cur)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="value" name="Value" fill="var(--accent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Bar dataKey="weighted" name="Weighted" fill="#10b981" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </Frame>
      <Frame
        title={`Activity per ${board.period.interval}`}
        summary={`Emails, replies and meetings per ${board.period.interval}; most emails in the ${board.period.interval} of ${busiest.start} (${busiest.emails_sent})`}
      >
        <LineChart accessibilityLayer={false} data={trend} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--line)" />
          <XAxis dataKey="label" {...axis} minTickGap={16} />
          <YAxis {...axis} width={40} allowDecimals={false} tickFormatter={fmtCompact} />
          <Tooltip contentStyle={tooltipStyle} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="emails_sent" name="Emails" stroke="var(--accent)" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line dataKey="replies" name="Replies" stroke="#10b981" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line dataKey="meetings" name="Meetings" stroke="#f59e0b" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line dataKey="won_count" name="Deals won" stroke="#8b5cf6" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </Frame>
      {steps.length > 0 && (
        <Frame
          title="Reply and meeting rate per sequence step (%)"
          summary={board.steps
            .map((s) => `${s.sequence_name} step ${s.position}: ${pct(s.reply_rate)} replies of ${s.sends} sends`)
            .join("; ")}
        >
          <BarChart accessibilityLayer={false} data={steps} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
            <CartesianGrid vertical={false} stroke="var(--line)" />
            <XAxis dataKey="name" {...axis} minTickGap={8} />
            <YAxis {...axis} width={40} />
            <Tooltip contentStyle={tooltipStyle} formatter={(v) => `${Number(v).toFixed(1)} %`} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="reply" name="Reply rate" fill="var(--accent)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
            <Bar dataKey="meeting" name="Meeting rate" fill="#f59e0b" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </Frame>
      )}
    </div>
  );
}
