import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { errorMessage } from "../../../lib/api";
import { useWorkspace } from "../../../lib/workspace";
import { Card } from "../../ui/Card";
import { Skeleton } from "../../ui/Skeleton";
import { fmtNumber, fmtPercent } from "../client";
import { type ActivePeople, gq } from "./client";

const DauChart = lazy(() => import("./DauChart"));

const STATS = [
  { key: "dau", label: "Daily active", help: "People active in the last 24 hours" },
  { key: "wau", label: "Weekly active", help: "People active in the last 7 days" },
  { key: "mau", label: "Monthly active", help: "People active in the last 30 days" },
] as const;

/** DAU / WAU / MAU, stickiness and the 30-day DAU series. Always the last 30 days (not the page's range). */
export function ActivePeopleCard() {
  const ws = useWorkspace();
  const active = useQuery(gq.active(ws.id));
  const d = active.data;
  return (
    <Card
      title="Active people"
      description="People who did anything other than identify themselves (bots excluded), as of now."
      actions={active.isFetching && d ? <span className="text-xs text-muted">Updating…</span> : undefined}
    >
      {active.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(active.error)}
        </p>
      ) : (
        <div className="space-y-5">
          <ActiveStats data={d} />
          {d ? (
            <Suspense fallback={<Skeleton className="h-56" />}>
              <DauChart daily={d.daily} />
            </Suspense>
          ) : (
            <Skeleton className="h-56" />
          )}
        </div>
      )}
    </Card>
  );
}

function ActiveStats({ data }: { data: ActivePeople | undefined }) {
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
      {STATS.map((s) => (
        <div key={s.key} className="rounded-lg border border-line p-3">
          <dt className="text-sm text-muted" title={s.help}>
            {s.label}
            <span className="sr-only"> ({s.help.toLowerCase()})</span>
          </dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums">{data ? fmtNumber(data[s.key]) : <Skeleton className="h-8 w-16" />}</dd>
        </div>
      ))}
      <div className="rounded-lg border border-line p-3">
        <dt className="text-sm text-muted">Stickiness</dt>
        <dd className="mt-1">
          {data ? (
            <>
              <span className="text-2xl font-semibold tabular-nums">{fmtPercent(data.stickiness)}</span>
              <span className="block text-xs text-muted">Average DAU ÷ MAU</span>
            </>
          ) : (
            <Skeleton className="h-8 w-16" />
          )}
        </dd>
      </div>
    </dl>
  );
}
