import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../../lib/api";
import { formatDateTime, formatRelative } from "../../../lib/format";
import { useWorkspace } from "../../../lib/workspace";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { EmptyState } from "../../ui/EmptyState";
import { TableSkeleton } from "../../ui/Skeleton";
import { fmtNumber } from "../client";
import { ScrollRegion } from "../ScrollRegion";
import { type AtRisk, BAND_LABEL, BAND_TONE, eventsSearch, gq, personLabel, riskBand } from "./client";

const th = "px-4 py-2.5 font-medium";
const FIRST = 10;

/** Identified people whose activity is falling, most at risk first. */
export function ChurnRiskCard() {
  const ws = useWorkspace();
  const churn = useQuery(gq.churn(ws.id));
  const rows = churn.data?.data ?? [];
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, FIRST);
  return (
    <Card
      title="Churn risk"
      description="Identified people whose activity fell over the last 14 days against the 14 before (events: now vs before), or who went quiet. Score 0–100."
      bodyClassName="p-0"
      actions={churn.isFetching && churn.data ? <span className="text-xs text-muted">Updating…</span> : undefined}
    >
      {churn.isPending ? (
        <TableSkeleton rows={5} />
      ) : churn.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(churn.error)}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState title="Nobody's activity is falling">
          People show up here once they have a habit (3 or more events in a fortnight) and it drops off. Identify people with{" "}
          <code>weft.identify()</code> so they can be named.
        </EmptyState>
      ) : (
        <>
          <ScrollRegion label="People at risk" className="relative">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">People at risk of churning, highest score first</caption>
              <thead className="border-b border-line text-xs tracking-wide text-muted uppercase">
                <tr>
                  <th scope="col" className={th}>
                    Person
                  </th>
                  <th scope="col" className={th}>
                    Risk
                  </th>
                  <th scope="col" className={th}>
                    Last seen
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Events<span className="sr-only"> in the last 14 days vs the 14 before</span>
                  </th>
                  <th scope="col" className={th}>
                    Why
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-line">
                {shown.map((p) => (
                  <RiskRow key={p.person_id} p={p} />
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {rows.length > FIRST && (
            <div className="flex flex-wrap items-center justify-between gap-3 border-t border-line px-4 py-3 text-sm text-muted">
              <span>
                Showing {fmtNumber(shown.length)} of {fmtNumber(rows.length)}
                {rows.length >= 50 ? " most at risk" : ""}
              </span>
              <Button variant="secondary" size="sm" aria-expanded={all} onClick={() => setAll(!all)}>
                {all ? `Show the first ${FIRST}` : `Show all ${fmtNumber(rows.length)}`}
              </Button>
            </div>
          )}
        </>
      )}
    </Card>
  );
}

function RiskRow({ p }: { p: AtRisk }) {
  const who = personLabel(p);
  const band = riskBand(p.score);
  return (
    <tr className="align-top hover:bg-subtle/60">
      <th scope="row" className="max-w-72 min-w-48 px-4 py-2.5 text-left font-normal">
        <Link
          to="/analytics/events"
          search={eventsSearch(p.person_id)}
          title={`Events of ${p.person_id}`}
          className="block truncate rounded font-medium hover:text-accent hover:underline"
        >
          {who.primary}
        </Link>
        {who.secondary && <span className="block truncate font-mono text-xs text-muted">{who.secondary}</span>}
      </th>
      <td className="px-4 py-2.5 whitespace-nowrap">
        <Badge tone={BAND_TONE[band]}>
          {BAND_LABEL[band]} · {p.score}
        </Badge>
      </td>
      <td className="px-4 py-2.5 whitespace-nowrap text-muted" title={formatDateTime(p.last_seen)}>
        <time dateTime={p.last_seen}>{formatRelative(p.last_seen)}</time>
      </td>
      <td className="px-4 py-2.5 text-right whitespace-nowrap tabular-nums">
        {fmtNumber(p.events_recent)} <span className="text-muted">vs {fmtNumber(p.events_previous)}</span>
      </td>
      <td className="min-w-64 px-4 py-2.5 text-muted">{p.signals.length ? p.signals.join("; ") : "—"}</td>
    </tr>
  );
}
