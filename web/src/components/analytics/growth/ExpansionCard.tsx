import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, type ReactNode, Suspense } from "react";
import { errorMessage } from "../../../lib/api";
import { useWorkspace } from "../../../lib/workspace";
import { usd } from "../../billing/format";
import { Card } from "../../ui/Card";
import { EmptyState } from "../../ui/EmptyState";
import { Skeleton } from "../../ui/Skeleton";
import { fmtNumber, fmtPercent } from "../client";
import { useRange } from "../RangePicker";
import { type Expansion, eventsSearch, gq, personLabel, signedUsd } from "./client";
import { ExpansionLists } from "./ExpansionLists";
import { WorkspacesFromBilling } from "./WorkspacesFromBilling";

const MovementsChart = lazy(() => import("./MovementsChart"));

/**
 * Expansion for the page's range: trial → paid, subscription movements by week, revenue and seats,
 * accounts whose activity grew, and upsell candidates. Weft's own workspace also sees billing
 * across every workspace.
 */
export function ExpansionCard() {
  const ws = useWorkspace();
  const { days, from, to } = useRange();
  const q = useQuery(gq.expansion(ws.id, { from, to }));
  const r = q.data;
  return (
    <Card
      title="Expansion"
      description={`Trials, upgrades and growing accounts over the last ${days} days.`}
      actions={q.isFetching && r ? <span className="text-xs text-muted">Updating…</span> : undefined}
    >
      {q.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(q.error)}
        </p>
      ) : !r ? (
        <div className="space-y-4" role="status" aria-label="Loading">
          <Skeleton className="h-20" />
          <Skeleton className="h-56" />
        </div>
      ) : (
        <div className={`space-y-6 ${q.isPlaceholderData ? "opacity-60" : ""}`}>
          <ExpansionStats r={r} />
          {r.movements.weekly.some((w) => w.new + w.upgrades + w.downgrades + w.cancellations > 0) ? (
            <Suspense fallback={<Skeleton className="h-56" />}>
              <MovementsChart weekly={r.movements.weekly} />
            </Suspense>
          ) : (
            <EmptyState title="No subscription movements in this range">
              Send <code className="font-mono text-xs">trial_started</code>, <code className="font-mono text-xs">subscription_started</code>
              , <code className="font-mono text-xs">subscription_changed</code> and{" "}
              <code className="font-mono text-xs">subscription_canceled</code> events from your server (with{" "}
              <code className="font-mono text-xs">mrr_cents</code> and <code className="font-mono text-xs">seats</code>) to see trials
              converting, upgrades and revenue here.
            </EmptyState>
          )}
          <ExpansionLists r={r} />
          {r.billing && <WorkspacesFromBilling billing={r.billing} />}
        </div>
      )}
    </Card>
  );
}

function Stat({ label, value, note }: { label: string; value: ReactNode; note?: ReactNode }) {
  return (
    <div className="rounded-lg border border-line p-3">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="mt-1">
        <span className="text-2xl font-semibold tabular-nums">{value}</span>
        {note && <span className="block text-xs text-muted">{note}</span>}
      </dd>
    </div>
  );
}

function ExpansionStats({ r }: { r: Expansion }) {
  const t = r.trial_to_paid;
  const m = r.movements;
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
      <Stat
        label="Trial → paid"
        value={t.trials ? fmtPercent(t.rate) : "—"}
        note={
          t.trials
            ? `${fmtNumber(t.converted)} of ${fmtNumber(t.trials)} trials${t.median_days_to_convert === null ? "" : ` · median ${t.median_days_to_convert} d`}`
            : "No trials started"
        }
      />
      <Stat
        label="Net new MRR"
        value={r.mrr.tracked ? signedUsd(r.mrr.net_new_cents) : "—"}
        note={
          r.mrr.tracked
            ? `${usd(r.mrr.new_cents)} new · ${usd(r.mrr.expansion_cents)} expansion · ${usd(r.mrr.contraction_cents + r.mrr.churned_cents)} lost`
            : "Add mrr_cents to subscription events"
        }
      />
      <Stat
        label="Upgrades"
        value={fmtNumber(m.upgrades)}
        note={`${fmtNumber(m.new)} new · ${fmtNumber(m.downgrades)} downgrades · ${fmtNumber(m.cancellations)} cancellations`}
      />
      <Stat
        label="Seats, net"
        value={`${r.seats.net >= 0 ? "+" : "−"}${fmtNumber(Math.abs(r.seats.net))}`}
        note={`${fmtNumber(r.seats.added)} added · ${fmtNumber(r.seats.removed)} removed`}
      />
    </dl>
  );
}

/** A person's name linking to their events (the Events tab filtered to them). */
export function PersonLink({ person }: { person: { person_id: string; traits: Record<string, unknown> } }) {
  const l = personLabel(person);
  return (
    <Link to="/analytics/events" search={eventsSearch(person.person_id)} className="block min-w-0 hover:underline">
      <span className="block truncate font-medium">{l.primary}</span>
      {l.secondary && <span className="block truncate text-xs text-muted">{l.secondary}</span>}
    </Link>
  );
}
