import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { errorMessage } from "../../lib/api";
import { useWorkspace } from "../../lib/workspace";
import { Card } from "../ui/Card";
import { Skeleton } from "../ui/Skeleton";
import { aq, fmtNumber } from "./client";
import { InstallCard } from "./InstallCard";
import { KpiCards } from "./KpiCards";
import { RangePicker, useRange } from "./RangePicker";
import { TopLists } from "./TopLists";

const DailyChart = lazy(() => import("./DailyChart"));

export function OverviewPage() {
  const ws = useWorkspace();
  const { days, from, to } = useRange();
  const range = { from, to };
  const overview = useQuery(aq.overview(ws.id, range));
  const names = useQuery(aq.eventNames(ws.id));
  const d = overview.data;
  const noEventsEver = names.data?.data.length === 0 && d && d.current.events === 0 && d.previous.events === 0;

  if (overview.isError)
    return (
      <p role="alert" className="text-danger">
        {errorMessage(overview.error)}
      </p>
    );
  if (noEventsEver)
    return (
      <div className="space-y-6">
        <div className="rounded-xl border border-dashed border-line p-6 text-center">
          <h2 className="text-base font-semibold">No events yet</h2>
          <p className="mx-auto mt-1 max-w-md text-sm text-muted">
            Install the tracker on your site (or send events from your servers) and page views, visitors and your own events show up here
            within seconds.
          </p>
        </div>
        <InstallCard prominent />
      </div>
    );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <RangePicker />
        {overview.isFetching && d && <span className="text-xs text-muted">Updating…</span>}
      </div>
      {d && d.dropped_over_quota > 0 && (
        <div role="status" className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm">
          <strong className="font-medium">Sampled data.</strong> This workspace is over its analytics quota, so{" "}
          {fmtNumber(d.dropped_over_quota)} tracker events in this range were not stored (a share of visitors is kept). Numbers are lower
          than your real traffic.{" "}
          <Link to="/settings/billing" search={{ checkout: undefined }} className="font-medium text-accent underline">
            Upgrade the plan
          </Link>
        </div>
      )}
      <KpiCards data={d} days={days} />
      <Card title="Page views and events per day">
        {d ? (
          <Suspense fallback={<Skeleton className="h-64" />}>
            <DailyChart daily={d.daily} />
          </Suspense>
        ) : (
          <Skeleton className="h-64" />
        )}
      </Card>
      <TopLists range={range} />
      <InstallCard />
    </div>
  );
}
