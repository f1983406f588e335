import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { errorMessage, api } from "../../../lib/api";
import { useWorkspace } from "../../../lib/workspace";
import { Card } from "../../ui/Card";
import { EmptyState } from "../../ui/EmptyState";
import { Skeleton } from "../../ui/Skeleton";
import { ChartView } from "./ChartView";
import { dashboardKeys } from "./DashboardsPage";

/** Grid spans per chart size on wide screens (one column on phones). */
const SPAN = { small: "lg:col-span-1", medium: "lg:col-span-2", large: "lg:col-span-3" } as const;

/** A saved dashboard: each chart runs its saved question for its range. */
export function DashboardView({ id }: { id: string }) {
  const ws = useWorkspace();
  const q = useQuery({
    queryKey: dashboardKeys.one(ws.id, id),
    queryFn: () => api("GET /api/v1/analytics/dashboards/{id}", { params: { id } }),
  });
  if (q.isPending) return <Skeleton className="h-96" />;
  if (q.isError) {
    return (
      <Card>
        <p role="alert" className="text-sm text-danger">
          {errorMessage(q.error)}
        </p>
        <Link to="/analytics/dashboards" className="mt-2 inline-block text-sm underline">
          All dashboards
        </Link>
      </Card>
    );
  }
  const d = q.data;
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h2 className="text-lg font-semibold">{d.name}</h2>
          {d.description && <p className="text-sm text-muted">{d.description}</p>}
        </div>
        <Link to="/analytics/dashboards" className="text-sm text-muted hover:text-fg">
          ← All dashboards
        </Link>
      </div>
      {d.charts.length === 0 ? (
        <Card>
          <EmptyState title="This dashboard has no charts">Run the custom dashboard wizard again to pick some.</EmptyState>
        </Card>
      ) : (
        <div className="grid gap-4 lg:grid-cols-3">
          {d.charts.map((c) => (
            <Card key={c.id} title={c.title} description={`Last ${c.range_days ?? 30} days`} className={SPAN[c.size ?? "medium"]}>
              <ChartView chart={c} />
            </Card>
          ))}
        </div>
      )}
    </div>
  );
}
