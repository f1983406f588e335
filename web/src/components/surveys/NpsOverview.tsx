import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Table, type Column } from "../ui/Table";
import { BAND_COLOR, GaugeIcon, type NpsSummary } from "./client";

type Counts = Pick<NpsSummary, "score" | "total" | "promoters" | "passives" | "detractors">;
const fmtScore = (s: number | null) => (s == null ? "—" : `${s > 0 ? "+" : ""}${s}`);
const pct = (n: number, total: number) => (total ? Math.round((n * 100) / total) : 0);

/** The headline: the score, the response count and the promoters / passives / detractors bar. */
export function NpsHeadline({ s }: { s: NpsSummary }) {
  return (
    <div className="grid gap-4 md:grid-cols-[220px_1fr]">
      <Card>
        <p className="text-sm text-muted">NPS</p>
        <p className="text-4xl font-semibold tracking-tight">{fmtScore(s.score)}</p>
        <p className="mt-1 text-xs text-muted">
          {s.total.toLocaleString()} response{s.total === 1 ? "" : "s"} · {s.open_follow_ups} open follow-up
          {s.open_follow_ups === 1 ? "" : "s"}
        </p>
      </Card>
      <Card>
        <p className="mb-2 text-sm text-muted">% promoters − % detractors</p>
        <BandBar c={s} />
      </Card>
    </div>
  );
}

export function BandBar({ c }: { c: Counts }) {
  const parts = [
    ["promoter", "Promoters", c.promoters],
    ["passive", "Passives", c.passives],
    ["detractor", "Detractors", c.detractors],
  ] as const;
  return (
    <div>
      <div
        className="flex h-4 w-full overflow-hidden rounded-full bg-subtle"
        role="img"
        aria-label={parts.map(([, l, n]) => `${l} ${pct(n, c.total)}%`).join(", ")}
      >
        {parts.map(([band, , n]) => (
          <div key={band} style={{ width: `${pct(n, c.total)}%`, background: BAND_COLOR[band] }} />
        ))}
      </div>
      <ul className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {parts.map(([band, label, n]) => (
          <li key={band} className="flex items-center gap-2">
            <span aria-hidden="true" className="inline-block size-2.5 rounded-full" style={{ background: BAND_COLOR[band] }} />
            {label} <b>{pct(n, c.total)}%</b> <span className="text-muted">({n})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Score per week or month (line) over the number of responses (bars). */
export function NpsTrend({ s }: { s: NpsSummary }) {
  if (s.trend.length === 0)
    return (
      <Card title="Trend">
        <EmptyState icon={<GaugeIcon />} title="No responses in this range">
          Install the survey script and turn NPS on below; answers show here as they arrive.
        </EmptyState>
      </Card>
    );
  const data = s.trend.map((t) => ({ period: t.period, score: t.score, responses: t.total }));
  return (
    <Card title="Trend" description={`NPS by ${s.interval} (line) and responses (bars)`}>
      <div
        className="h-60"
        role="img"
        aria-label={`NPS by ${s.interval}: ${data.map((d) => `${d.period} ${fmtScore(d.score)}`).join(", ")}`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 4, right: 4, left: -12, bottom: 0 }}>
            <CartesianGrid vertical={false} stroke="var(--line)" />
            <XAxis dataKey="period" tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} />
            <YAxis yAxisId="score" domain={[-100, 100]} tick={{ fill: "var(--muted)", fontSize: 11 }} tickLine={false} axisLine={false} />
            <YAxis yAxisId="n" orientation="right" hide />
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
            <Bar yAxisId="n" dataKey="responses" name="Responses" fill="var(--line)" maxBarSize={28} />
            <Line yAxisId="score" dataKey="score" name="NPS" stroke="var(--accent)" strokeWidth={2} dot={{ r: 3 }} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </Card>
  );
}

type Row = NpsSummary["by_plan"][number];
/** NPS per plan and per sign-up cohort (month), side by side. */
export function NpsBreakdowns({ s }: { s: NpsSummary }) {
  const cols = (label: string): Column<Row>[] => [
    { key: "key", header: label, cell: (r) => r.key ?? <span className="text-muted">unknown</span>, sort: (r) => r.key ?? "" },
    { key: "score", header: "NPS", cell: (r) => <b>{fmtScore(r.score)}</b>, sort: (r) => r.score ?? -999 },
    { key: "n", header: "Responses", cell: (r) => r.total, sort: (r) => r.total },
    { key: "bar", header: "Split", cell: (r) => <MiniBar c={r} />, hideOnMobile: true },
  ];
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="By plan" bodyClassName="p-0">
        <Table
          caption="NPS by plan"
          columns={cols("Plan")}
          rows={s.by_plan}
          rowKey={(r) => r.key ?? "-"}
          empty={<p className="p-5 text-sm text-muted">No data.</p>}
        />
      </Card>
      <Card title="By sign-up cohort" bodyClassName="p-0">
        <Table
          caption="NPS by sign-up month"
          columns={cols("Signed up")}
          rows={s.by_cohort}
          rowKey={(r) => r.key ?? "-"}
          empty={<p className="p-5 text-sm text-muted">No data.</p>}
        />
      </Card>
    </div>
  );
}

function MiniBar({ c }: { c: Counts }) {
  return (
    <div className="flex h-2 w-28 overflow-hidden rounded-full bg-subtle" aria-hidden="true">
      <div style={{ width: `${pct(c.promoters, c.total)}%`, background: BAND_COLOR.promoter }} />
      <div style={{ width: `${pct(c.passives, c.total)}%`, background: BAND_COLOR.passive }} />
      <div style={{ width: `${pct(c.detractors, c.total)}%`, background: BAND_COLOR.detractor }} />
    </div>
  );
}
