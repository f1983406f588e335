import { quantity, usd } from "../../billing/format";
import { Badge } from "../../ui/Badge";
import { type Column, Table } from "../../ui/Table";
import { fmtNumber, fmtPercent } from "../client";
import type { Expansion } from "./client";

type Billing = NonNullable<Expansion["billing"]>;
type Usage = Billing["usage"][number];

const usageColumns: Column<Usage>[] = [
  { key: "meter", header: "Meter", cell: (u) => u.label, sort: (u) => u.label },
  {
    key: "prev",
    header: "Period before",
    cell: (u) => quantity(u.unit, u.previous),
    sort: (u) => u.previous,
    className: "text-right tabular-nums",
  },
  {
    key: "cur",
    header: "This period",
    cell: (u) => quantity(u.unit, u.current),
    sort: (u) => u.current,
    className: "text-right tabular-nums",
  },
  {
    key: "growth",
    header: "Change",
    cell: (u) =>
      u.growth === null ? (
        <Badge tone="accent">new</Badge>
      ) : (
        <Badge tone={u.growth >= 0 ? "success" : "warning"}>
          {u.growth >= 0 ? "+" : ""}
          {fmtPercent(u.growth)}
        </Badge>
      ),
    sort: (u) => u.growth ?? Number.POSITIVE_INFINITY,
  },
];

/** Weft's own view (house workspace only): the paid base today and usage per meter across every workspace. */
export function WorkspacesFromBilling({ billing: b }: { billing: Billing }) {
  return (
    <section aria-labelledby="exp-billing" className="space-y-3 border-t border-line pt-5">
      <div>
        <h3 id="exp-billing" className="text-sm font-semibold">
          Every workspace, from billing
        </h3>
        <p className="text-xs text-muted">Weft's own view: today's paid base and metered usage in this range against the range before.</p>
      </div>
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {[
          ["Paying workspaces", fmtNumber(b.paying_workspaces)],
          ["On a trial", fmtNumber(b.trialing_workspaces)],
          ["Paid seats", fmtNumber(b.seats)],
          ["MRR", usd(b.mrr_cents)],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-line p-3">
            <dt className="text-sm text-muted">{label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <Table
        caption="Usage per meter across workspaces"
        columns={usageColumns}
        rows={b.usage}
        rowKey={(u) => u.meter}
        empty="No metered usage yet."
      />
    </section>
  );
}
