import { useState } from "react";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { type Column, Table } from "../../ui/Table";
import { fmtNumber, fmtPercent } from "../client";
import type { Expansion } from "./client";
import { PersonLink } from "./ExpansionCard";

type Growing = Expansion["activity"]["top_growing"][number];
type Candidate = Expansion["upsell_candidates"][number];

const growingColumns: Column<Growing>[] = [
  { key: "who", header: "Account", cell: (g) => <PersonLink person={g} />, sort: (g) => g.person_id },
  { key: "prev", header: "Before", cell: (g) => fmtNumber(g.previous), sort: (g) => g.previous, className: "text-right tabular-nums" },
  { key: "cur", header: "Now", cell: (g) => fmtNumber(g.current), sort: (g) => g.current, className: "text-right tabular-nums" },
  {
    key: "growth",
    header: "Growth",
    cell: (g) => <Badge tone="success">+{fmtPercent((g.current - g.previous) / g.previous)}</Badge>,
    sort: (g) => (g.current - g.previous) / g.previous,
  },
];

const candidateColumns = (house: boolean): Column<Candidate>[] => [
  {
    key: "who",
    header: house ? "Workspace" : "Account",
    cell: (c) =>
      house ? (
        <span className="font-medium">{c.name}</span>
      ) : (
        <PersonLink person={{ person_id: c.account_id, traits: c.name === c.account_id ? {} : { name: c.name } }} />
      ),
    sort: (c) => c.name,
  },
  { key: "plan", header: "Plan", cell: (c) => c.plan ?? "—", sort: (c) => c.plan ?? "", hideOnMobile: true },
  { key: "meter", header: "Limit", cell: (c) => <span className="font-mono text-xs">{c.meter}</span>, sort: (c) => c.meter },
  {
    key: "use",
    header: "Used",
    cell: (c) => (
      <span className="whitespace-nowrap tabular-nums">
        <Badge tone={c.percent >= 100 ? "danger" : "warning"}>{c.percent}%</Badge>
        {c.used !== null && c.limit !== null && (
          <span className="ml-2 text-xs text-muted">
            {fmtNumber(c.used)} of {fmtNumber(c.limit)}
          </span>
        )}
      </span>
    ),
    sort: (c) => c.percent,
  },
];

const FIRST = 10;

/** Accounts whose activity grew, and accounts near a plan limit (the ones to offer more). */
export function ExpansionLists({ r }: { r: Expansion }) {
  const a = r.activity;
  const house = r.billing !== null;
  const [allCandidates, setAllCandidates] = useState(false);
  const candidates = allCandidates ? r.upsell_candidates : r.upsell_candidates.slice(0, FIRST);
  return (
    <div className="space-y-6">
      <section aria-labelledby="exp-growing" className="min-w-0">
        <h3 id="exp-growing" className="text-sm font-semibold">
          Accounts using more
        </h3>
        <p className="mb-2 text-xs text-muted">
          {fmtNumber(a.accounts_growing)} growing, {fmtNumber(a.accounts_steady)} steady, {fmtNumber(a.accounts_shrinking)} shrinking
          (events against the period before, ±20%).
        </p>
        <Table
          caption="Accounts whose activity grew the most"
          columns={growingColumns}
          rows={a.top_growing}
          rowKey={(g) => g.person_id}
          empty="No account grew its activity by 20% or more."
        />
      </section>
      <section aria-labelledby="exp-upsell" className="min-w-0">
        <h3 id="exp-upsell" className="text-sm font-semibold">
          Upsell candidates
        </h3>
        <p className="mb-2 text-xs text-muted">
          {house
            ? "Workspaces at 80% or more of a plan limit this period, from billing."
            : "Accounts that sent limit_approached in the last 30 days and have not upgraded since."}
        </p>
        <Table
          caption="Accounts near a plan limit"
          columns={candidateColumns(house)}
          rows={candidates}
          rowKey={(c) => `${c.account_id}:${c.meter}`}
          empty="Nobody is near a limit."
        />
        {r.upsell_candidates.length > FIRST && (
          <div className="mt-2 flex items-center justify-between gap-3 text-sm text-muted">
            <span>
              Showing {fmtNumber(candidates.length)} of {fmtNumber(r.upsell_candidates.length)}
            </span>
            <Button variant="secondary" size="sm" aria-expanded={allCandidates} onClick={() => setAllCandidates(!allCandidates)}>
              {allCandidates ? `Show the first ${FIRST}` : `Show all ${fmtNumber(r.upsell_candidates.length)}`}
            </Button>
          </div>
        )}
      </section>
    </div>
  );
}
