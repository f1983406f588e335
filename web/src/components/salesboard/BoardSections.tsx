import type { ReactNode } from "react";
import { Badge } from "../ui/Badge";
import { type Column, Table } from "../ui/Table";
import { type Board, type Insight, insightValue, money, num, pct, type Rep, SEVERITY_TONE, type Step, WEEKDAYS } from "./format";

export function Panel({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section className="min-w-0 rounded-xl border border-line bg-surface p-4 shadow-sm" aria-label={title}>
      <h2 className="text-sm font-medium">{title}</h2>
      {description && <p className="mt-0.5 text-xs text-muted">{description}</p>}
      <div className="mt-3">{children}</div>
    </section>
  );
}

/** Headline numbers. */
export function KpiTiles({ board }: { board: Board }) {
  const k = board.kpis;
  const c = board.currency;
  const tiles: [string, string, string][] = [
    ["Open pipeline", money(k.open_value_minor, c), `${num(k.open_deals)} open deals`],
    ["Weighted forecast", money(k.weighted_forecast_minor, c), "Open value × stage probability"],
    ["Win rate", pct(k.win_rate, 0), `${k.won_count} won · ${k.lost_count} lost · ${money(k.won_value_minor, c)} won`],
    ["Avg. cycle", k.avg_cycle_days === null ? "–" : `${k.avg_cycle_days} days`, "Created → won"],
    ["Reply rate", pct(k.reply_rate), `${num(k.replies)} of ${num(k.emails_sent)} emails answered`],
    ["Meeting rate", pct(k.meeting_rate), `${num(k.meetings)} meeting${k.meetings === 1 ? "" : "s"}`],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" data-testid="salesboard-kpis">
      {tiles.map(([label, value, sub]) => (
        <div key={label} className="rounded-xl border border-line bg-surface p-4 shadow-sm" data-kpi={label}>
          <dt className="text-xs text-muted">{label}</dt>
          <dd className="mt-1">
            <span className="text-xl font-semibold tabular-nums">{value}</span>
            <span className="mt-1 block text-xs text-muted">{sub}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Leads → contacted → replied → meeting → won as horizontal bars (each lead counted at the furthest stage it reached). */
export function FunnelChart({ funnel }: { funnel: Board["funnel"] }) {
  const first = funnel[0]?.count ?? 0;
  return (
    <ol className="space-y-3" aria-label="Sales funnel">
      {funnel.map((f, i) => {
        const w = first ? (f.count / first) * 100 : 0;
        return (
          <li key={f.stage}>
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span className="font-medium">{f.label}</span>
              <span className="tabular-nums">
                <strong className="font-semibold">{num(f.count)}</strong>
                {i > 0 && <span className="ml-2 text-xs text-muted">{pct(f.rate_from_previous)} of previous</span>}
              </span>
            </div>
            <div className="mt-1 h-5 w-full overflow-hidden rounded-md bg-subtle" aria-hidden="true">
              <div className="h-full rounded-md bg-accent" style={{ width: `${Math.max(w, f.count ? 0.5 : 0)}%` }} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export function InsightsList({ insights, waiting }: { insights: Insight[]; waiting: Board["insights_waiting"] }) {
  return (
    <div className="space-y-3">
      {insights.length === 0 && <p className="text-sm text-muted">No coaching insight fires on this period's figures.</p>}
      <ul className="space-y-3">
        {insights.map((i) => (
          <li key={`${i.rule}-${i.title}`} className="rounded-lg border border-line p-3" data-rule={i.rule}>
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={SEVERITY_TONE[i.severity]}>{i.severity}</Badge>
              <h3 className="text-sm font-semibold">{i.title}</h3>
            </div>
            <p className="mt-1 text-sm text-muted">{i.detail}</p>
            <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-xs">
              {i.numbers.map((n) => (
                <div key={n.label} className="flex gap-1">
                  <dt className="text-muted">{n.label}:</dt>
                  <dd className="font-medium tabular-nums">{insightValue(n)}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
      {waiting.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-muted">Waiting for more data ({waiting.length})</summary>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-xs text-muted">
            {waiting.map((w) => (
              <li key={w.rule}>{w.reason}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

const repColumns: Column<Rep>[] = [
  { key: "name", header: "Rep", cell: (r) => <span className="font-medium">{r.name}</span>, sort: (r) => r.name },
  { key: "emails", header: "Emails", cell: (r) => num(r.emails_sent), sort: (r) => r.emails_sent, className: "tabular-nums" },
  { key: "replies", header: "Replies", cell: (r) => num(r.replies), sort: (r) => r.replies, className: "tabular-nums" },
  { key: "calls", header: "Calls", cell: (r) => num(r.calls), sort: (r) => r.calls, className: "tabular-nums", hideOnMobile: true },
  { key: "meetings", header: "Meetings", cell: (r) => num(r.meetings), sort: (r) => r.meetings, className: "tabular-nums" },
  { key: "notes", header: "Notes", cell: (r) => num(r.notes), sort: (r) => r.notes, className: "tabular-nums", hideOnMobile: true },
  {
    key: "tasks",
    header: "Tasks done",
    cell: (r) => num(r.tasks_done),
    sort: (r) => r.tasks_done,
    className: "tabular-nums",
    hideOnMobile: true,
  },
  {
    key: "mpe",
    header: "Meetings / email",
    cell: (r) => pct(r.meetings_per_email),
    sort: (r) => r.meetings_per_email ?? -1,
    className: "tabular-nums",
  },
];
export const RepTable = ({ reps }: { reps: Rep[] }) => (
  <Table
    columns={repColumns}
    rows={reps}
    rowKey={(r) => r.user_id ?? "unassigned"}
    caption="Activity per rep"
    empty={<p className="text-sm text-muted">No activity in this period.</p>}
  />
);

const stepColumns: Column<Step>[] = [
  { key: "seq", header: "Sequence", cell: (s) => s.sequence_name, sort: (s) => s.sequence_name },
  { key: "step", header: "Step", cell: (s) => s.position, sort: (s) => s.position, className: "tabular-nums" },
  { key: "sends", header: "Sends", cell: (s) => num(s.sends), sort: (s) => s.sends, className: "tabular-nums" },
  {
    key: "replies",
    header: "Replies",
    cell: (s) => `${num(s.replies)} (${num(s.positive_replies)} positive)`,
    sort: (s) => s.replies,
    hideOnMobile: true,
  },
  { key: "rr", header: "Reply rate", cell: (s) => pct(s.reply_rate), sort: (s) => s.reply_rate ?? -1, className: "tabular-nums" },
  { key: "mr", header: "Meeting rate", cell: (s) => pct(s.meeting_rate), sort: (s) => s.meeting_rate ?? -1, className: "tabular-nums" },
];
export const StepTable = ({ steps }: { steps: Step[] }) => (
  <Table
    columns={stepColumns}
    rows={steps}
    rowKey={(s) => s.step_id}
    caption="Reply and meeting rate per sequence step"
    empty={<p className="text-sm text-muted">No sequence emails sent in this period.</p>}
  />
);

export function WeekdayRow({ days }: { days: Board["weekdays"] }) {
  return (
    <ul className="grid grid-cols-7 gap-1 text-center text-xs" aria-label="Reply rate by weekday the email was sent (UTC)">
      {days.map((d) => (
        <li key={d.weekday} className="rounded-md bg-subtle px-1 py-2">
          <span className="block text-muted">{WEEKDAYS[d.weekday]}</span>
          <span className="block font-medium tabular-nums">{pct(d.reply_rate, 0)}</span>
          <span className="block text-[10px] text-muted tabular-nums">{num(d.sends)} sent</span>
        </li>
      ))}
    </ul>
  );
}

export function DealGroups({
  rows,
  currency,
  label,
}: {
  rows: {
    key: string;
    label: string;
    open_count: number;
    open_value_minor: number;
    won_count: number;
    lost_count: number;
    win_rate: number | null;
  }[];
  currency: string;
  label: string;
}) {
  return (
    <Table
      columns={[
        { key: "k", header: label, cell: (r) => r.label, sort: (r) => r.label },
        {
          key: "open",
          header: "Open",
          cell: (r) => `${r.open_count} · ${money(r.open_value_minor, currency)}`,
          sort: (r) => r.open_value_minor,
        },
        { key: "won", header: "Won", cell: (r) => r.won_count, sort: (r) => r.won_count, className: "tabular-nums" },
        {
          key: "lost",
          header: "Lost",
          cell: (r) => r.lost_count,
          sort: (r) => r.lost_count,
          className: "tabular-nums",
          hideOnMobile: true,
        },
        { key: "wr", header: "Win rate", cell: (r) => pct(r.win_rate, 0), sort: (r) => r.win_rate ?? -1, className: "tabular-nums" },
      ]}
      rows={rows}
      rowKey={(r) => r.key}
      caption={`Deals by ${label.toLowerCase()}`}
      empty={<p className="text-sm text-muted">No deals in this period.</p>}
    />
  );
}
