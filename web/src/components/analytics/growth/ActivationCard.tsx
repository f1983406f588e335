import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../../lib/api";
import { useWorkspace } from "../../../lib/workspace";
import { Button } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { EmptyState } from "../../ui/EmptyState";
import { Skeleton } from "../../ui/Skeleton";
import { fmtNumber, fmtPercent } from "../client";
import { useRange } from "../RangePicker";
import { ActivationEditor } from "./ActivationEditor";
import { type Activation, gq } from "./client";

/** The activation report for the page's range, with the editor for the milestones. */
export function ActivationCard() {
  const ws = useWorkspace();
  const { days, from, to } = useRange();
  const report = useQuery(gq.activation(ws.id, { from, to }));
  const [editing, setEditing] = useState(false);
  const canManage = ws.can("analytics:manage");
  const r = report.data;
  return (
    <Card
      title="Activation"
      description={`People who signed up in the last ${days} days and how many reached each milestone in time.`}
      actions={
        <>
          {report.isFetching && r && <span className="self-center text-xs text-muted">Updating…</span>}
          {canManage && r?.configured && (
            <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
              Edit milestones
            </Button>
          )}
        </>
      }
    >
      {report.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(report.error)}
        </p>
      ) : !r ? (
        <ActivationSkeleton />
      ) : !r.configured ? (
        <EmptyState
          title="Define what “activated” means"
          action={
            canManage ? (
              <Button onClick={() => setEditing(true)}>Define milestones</Button>
            ) : (
              <span className="text-sm text-muted">An owner or admin can define them.</span>
            )
          }
        >
          Milestones are the events that show a new person got value — verifying their e-mail, finishing setup, a first project — each
          within a number of days of signing up. This report then shows how many people reach each one, and all of them.
        </EmptyState>
      ) : (
        <div className={report.isPlaceholderData ? "opacity-60" : undefined}>
          <ActivationReport report={r} />
        </div>
      )}
      {canManage && <ActivationEditor open={editing} onClose={() => setEditing(false)} />}
    </Card>
  );
}

function ActivationSkeleton() {
  return (
    <div className="space-y-4" role="status" aria-label="Loading">
      <div className="grid grid-cols-2 gap-3">
        <Skeleton className="h-20" />
        <Skeleton className="h-20" />
      </div>
      <Skeleton className="h-8" />
      <Skeleton className="h-8" />
    </div>
  );
}

function ActivationReport({ report: r }: { report: Activation }) {
  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-2 gap-3">
        <div className="rounded-lg border border-line p-3">
          <dt className="text-sm text-muted">
            Signed up <span className="font-mono text-xs">({r.signup_event})</span>
          </dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums">{fmtNumber(r.cohort_size)}</dd>
        </div>
        <div className="rounded-lg border border-line p-3">
          <dt className="text-sm text-muted">Activation rate</dt>
          <dd className="mt-1">
            <span className="text-2xl font-semibold tabular-nums">{fmtPercent(r.activation_rate)}</span>
            <span className="block text-xs text-muted">{fmtNumber(r.activated)} reached every milestone</span>
          </dd>
        </div>
      </dl>
      {r.cohort_size === 0 ? (
        <p className="rounded-lg border border-dashed border-line p-4 text-center text-sm text-muted">
          Nobody did “{r.signup_event}” in this range yet. Try a longer range, or check the event name in the milestones.
        </p>
      ) : (
        <ol className="space-y-3" aria-label="Milestones">
          {r.milestones.map((m) => (
            <li key={m.name}>
              <div className="mb-1 flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
                <span className="min-w-0">
                  <span className="font-medium">{m.name}</span>{" "}
                  <span className="text-xs text-muted">
                    <span className="font-mono">{m.event}</span> within {m.within_days} {m.within_days === 1 ? "day" : "days"}
                  </span>
                </span>
                <span className="tabular-nums">
                  <strong className="font-semibold">{fmtPercent(m.share)}</strong>{" "}
                  <span className="text-muted">
                    ({fmtNumber(m.reached)} of {fmtNumber(r.cohort_size)})
                  </span>
                </span>
              </div>
              <div className="h-2.5 overflow-hidden rounded-full bg-subtle" aria-hidden="true">
                <div className="h-full rounded-full bg-accent" style={{ width: `${Math.max(m.share * 100, m.reached ? 1 : 0)}%` }} />
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
