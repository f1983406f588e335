import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, updatedAt } from "./columns";

export const DASHBOARD_CHART_TYPES = ["line", "bar", "number", "table", "funnel"] as const;
export type DashboardChartType = (typeof DASHBOARD_CHART_TYPES)[number];
export const DASHBOARD_CHART_SIZES = ["small", "medium", "large"] as const;
export type DashboardChartSize = (typeof DASHBOARD_CHART_SIZES)[number];

/**
 * One chart of a saved dashboard: a saved analytics question (the trends API's query, a top list,
 * the overview's headline numbers, or a funnel — saved or inline) plus how it is drawn. The query
 * is validated by the dashboards service's zod schema (modules/analytics/dashboards.service.ts)
 * before it is stored; the dashboard page runs it through the same query APIs as the analytics pages.
 */
export interface DashboardChart {
  id: string;
  title: string;
  query:
    | { kind: "trends"; event: string; interval: "day" | "week" | "month"; measure: "count" | "uniques"; breakdown?: string }
    | { kind: "top"; dimension: string; limit: number }
    | { kind: "overview"; metric: "pageviews" | "visitors" | "events" | "sessions" }
    | { kind: "funnel"; funnel_id?: string; definition?: Record<string, unknown> };
  chart: DashboardChartType;
  size: DashboardChartSize;
  /** The range each chart shows, counted back from now. */
  range_days: number;
}

/** Saved analytics dashboards (issue 18, custom dashboard wizard): a name and an ordered list of charts. */
export const analyticsDashboards = sqliteTable(
  "analytics_dashboards",
  {
    id: id(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    description: text("description"),
    charts: text("charts", { mode: "json" }).$type<DashboardChart[]>().notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("analytics_dashboards_tenant_idx").on(t.tenantId, t.createdAt)],
);
