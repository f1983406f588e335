import { useQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { lazy, Suspense } from "react";
import { AlertsList } from "../../components/insights/AlertsList";
import { DigestSettings } from "../../components/insights/DigestSettings";
import { Card, PageHeader } from "../../components/ui/Card";
import { Field, Select } from "../../components/ui/Field";
import { Skeleton } from "../../components/ui/Skeleton";
import { api } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";

// recharts loads with the chart, not with the page.
const MetricChart = lazy(() => import("../../components/insights/MetricChart"));

interface Search {
  metric?: string;
  status?: "open" | "acknowledged";
  alert?: string;
}

export const Route = createFileRoute("/_app/insights")({
  component: InsightsPage,
  validateSearch: (s: Record<string, unknown>): Search => ({
    metric: typeof s.metric === "string" ? s.metric : undefined,
    status: s.status === "open" || s.status === "acknowledged" ? s.status : undefined,
    alert: typeof s.alert === "string" ? s.alert : undefined,
  }),
});

function InsightsPage() {
  const ws = useWorkspace();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const metrics = useQuery({ queryKey: tkey(ws.id, "insights", "metrics"), queryFn: () => api("GET /api/v1/insights/metrics") });
  const chartMetric = search.metric || "orders_paid";
  const series = useQuery({
    queryKey: tkey(ws.id, "insights", "series", chartMetric),
    queryFn: () =>
      api("GET /api/v1/insights/metrics/{metric}/series", { params: { metric: chartMetric as "orders_paid" }, query: { days: 56 } }),
  });
  const setSearch = (patch: Partial<Search>) => navigate({ search: (s) => ({ ...s, ...patch }), replace: true });
  return (
    <>
      <PageHeader
        title="Insights"
        description="Daily figures far from their usual range, with the numbers behind each alert, and the insight digest by email."
      />
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="min-w-0 space-y-6 lg:col-span-3">
          <Card
            title="Alerts"
            bodyClassName="p-0"
            actions={
              <div className="flex flex-wrap gap-2">
                <Field label="Metric" hideLabel>
                  <Select
                    value={search.metric ?? ""}
                    onChange={(e) => setSearch({ metric: e.target.value || undefined, alert: undefined })}
                  >
                    <option value="">All metrics</option>
                    {metrics.data?.data.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.label}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Field label="Status" hideLabel>
                  <Select
                    value={search.status ?? ""}
                    onChange={(e) => setSearch({ status: (e.target.value || undefined) as Search["status"] })}
                  >
                    <option value="">Any status</option>
                    <option value="open">Open</option>
                    <option value="acknowledged">Acknowledged</option>
                  </Select>
                </Field>
              </div>
            }
          >
            <AlertsList
              metric={search.metric ?? ""}
              status={search.status ?? ""}
              selected={search.alert ?? null}
              onSelect={(a) => setSearch({ alert: a.id, metric: a.metric })}
            />
          </Card>
        </div>
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card
            title={series.data?.metric.label ?? "Metric"}
            description="Last 8 weeks; the band is the usual range from the 28 days before each day"
          >
            {series.data ? (
              <Suspense fallback={<Skeleton className="h-56" />}>
                <MetricChart series={series.data} />
              </Suspense>
            ) : (
              <Skeleton className="h-56" />
            )}
          </Card>
          <DigestSettings />
        </div>
      </div>
    </>
  );
}
