/**
 * Saved dashboards (issue 18, the custom dashboard wizard): a name and an ordered list of charts,
 * each a saved analytics question (trends, a top list, a headline number, a funnel) with a chart
 * type and a size. The page runs each chart's query through the same query APIs as the analytics
 * pages, so a dashboard never holds numbers of its own — only questions.
 */
import { z } from "@hono/zod-openapi";
import { and, eq, like } from "drizzle-orm";
import {
  analyticsDashboards,
  DASHBOARD_CHART_SIZES,
  DASHBOARD_CHART_TYPES,
  type DashboardChart,
} from "../../../schema/analytics-dashboards";
import { analyticsFunnels } from "../../../schema/analytics";
import { type Actor, auditInsert } from "../../platform/audit";
import { containsPattern, type Db, tenantScope } from "../../platform/db";
import { notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import { propertySchema } from "./query/filters";
import { funnelDefinitionSchema } from "./query/funnels";
import { TOP_DIMENSIONS, type TopDimension } from "./query/trends";

export const MAX_DASHBOARD_CHARTS = 24;
const topDimensions = Object.keys(TOP_DIMENSIONS) as [TopDimension, ...TopDimension[]];

export const chartQuerySchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("trends"),
      event: z.string().min(1).max(200),
      interval: z.enum(["day", "week", "month"]).default("day"),
      measure: z.enum(["count", "uniques"]).default("count"),
      breakdown: propertySchema.optional(),
    }),
    z.object({ kind: z.literal("top"), dimension: z.enum(topDimensions), limit: z.number().int().min(1).max(20).default(5) }),
    z.object({ kind: z.literal("overview"), metric: z.enum(["pageviews", "visitors", "events", "sessions"]) }),
    z.object({ kind: z.literal("funnel"), funnel_id: z.string().min(1).max(64).optional(), definition: funnelDefinitionSchema.optional() }),
  ])
  .openapi("DashboardChartQuery");

export const chartInputSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(40)
      .optional()
      .openapi({ description: "Kept when given (stable ids for the page's keys); generated otherwise" }),
    title: z.string().trim().min(1).max(120),
    query: chartQuerySchema,
    chart: z.enum(DASHBOARD_CHART_TYPES),
    size: z.enum(DASHBOARD_CHART_SIZES).default("medium"),
    range_days: z.number().int().min(1).max(365).default(30),
  })
  .openapi("DashboardChartInput");
export type ChartInput = z.infer<typeof chartInputSchema>;
export const chartsSchema = z.array(chartInputSchema).max(MAX_DASHBOARD_CHARTS);

/** The gallery of questions the wizard (and the page's "add a chart") picks from. */
export const DASHBOARD_GALLERY: { id: string; title: string; description: string; chart: ChartInput }[] = [
  {
    id: "pageviews",
    title: "Page views",
    description: "Page views per day",
    chart: {
      title: "Page views",
      query: { kind: "trends", event: "$pageview", interval: "day", measure: "count" },
      chart: "line",
      size: "large",
      range_days: 30,
    },
  },
  {
    id: "visitors",
    title: "Unique visitors",
    description: "People who viewed a page, per day",
    chart: {
      title: "Unique visitors",
      query: { kind: "trends", event: "$pageview", interval: "day", measure: "uniques" },
      chart: "line",
      size: "medium",
      range_days: 30,
    },
  },
  {
    id: "visitors_total",
    title: "Visitors (number)",
    description: "Unique visitors over the range, as one number",
    chart: { title: "Visitors", query: { kind: "overview", metric: "visitors" }, chart: "number", size: "small", range_days: 30 },
  },
  {
    id: "sessions_total",
    title: "Sessions (number)",
    description: "Sessions over the range, as one number",
    chart: { title: "Sessions", query: { kind: "overview", metric: "sessions" }, chart: "number", size: "small", range_days: 30 },
  },
  {
    id: "top_pages",
    title: "Top pages",
    description: "The most viewed pages",
    chart: { title: "Top pages", query: { kind: "top", dimension: "page", limit: 5 }, chart: "table", size: "medium", range_days: 30 },
  },
  {
    id: "top_referrers",
    title: "Top referrers",
    description: "Where visitors come from",
    chart: {
      title: "Top referrers",
      query: { kind: "top", dimension: "referrer", limit: 5 },
      chart: "bar",
      size: "medium",
      range_days: 30,
    },
  },
  {
    id: "countries",
    title: "Countries",
    description: "Page views by country",
    chart: { title: "Countries", query: { kind: "top", dimension: "country", limit: 5 }, chart: "bar", size: "small", range_days: 30 },
  },
  {
    id: "devices",
    title: "Devices",
    description: "Desktop, mobile and tablet",
    chart: { title: "Devices", query: { kind: "top", dimension: "device", limit: 5 }, chart: "bar", size: "small", range_days: 30 },
  },
  {
    id: "orders",
    title: "Paid orders",
    description: "Orders paid per week (commerce's order_paid event)",
    chart: {
      title: "Paid orders",
      query: { kind: "trends", event: "order_paid", interval: "week", measure: "count" },
      chart: "bar",
      size: "medium",
      range_days: 90,
    },
  },
  {
    id: "signup_funnel",
    title: "Sign-up funnel",
    description: "Visit → sign-up → verified email → activated",
    chart: {
      title: "Sign-up funnel",
      query: {
        kind: "funnel",
        definition: {
          order: "sequential",
          window_seconds: 14 * 86_400,
          steps: [
            { event: "$pageview", label: "Visited" },
            { event: "signed_up", label: "Signed up" },
            { event: "email_verified", label: "Verified email" },
            { event: "activated", label: "Activated" },
          ],
        },
      },
      chart: "funnel",
      size: "large",
      range_days: 30,
    },
  },
];

type Row = typeof analyticsDashboards.$inferSelect;
export const serializeDashboard = (r: Row) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  // Stored only after chartInputSchema validated it, so the stored shape is the API's.
  charts: r.charts as (ChartInput & { id: string })[],
  created_by: r.createdBy,
  created_at: new Date(r.createdAt).toISOString(),
  updated_at: new Date(r.updatedAt).toISOString(),
});

/** Gives each chart an id and checks that saved funnels it names belong to this workspace. */
async function normaliseCharts(db: Db, tenantId: string, charts: ChartInput[]): Promise<DashboardChart[]> {
  const errors: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  const out: DashboardChart[] = [];
  for (const [i, c] of charts.entries()) {
    const q = c.query;
    if (q.kind === "funnel") {
      if (!q.funnel_id && !q.definition)
        errors.push({ path: `charts.${i}.query`, message: "A funnel chart needs funnel_id or definition" });
      if (q.funnel_id) {
        const f = await db
          .select({ id: analyticsFunnels.id })
          .from(analyticsFunnels)
          .where(and(eq(analyticsFunnels.tenantId, tenantId), eq(analyticsFunnels.id, q.funnel_id)))
          .get();
        if (!f) errors.push({ path: `charts.${i}.query.funnel_id`, message: "No such saved funnel in this workspace" });
      }
    }
    let id = c.id ?? newId("chr");
    if (seen.has(id)) id = newId("chr");
    seen.add(id);
    out.push({ ...c, id, size: c.size ?? "medium", range_days: c.range_days ?? 30 } as DashboardChart);
  }
  if (errors.length) throw validationFailed(errors);
  return out;
}

export async function listDashboards(db: Db, tenantId: string, q: PageQuery & { q?: string }) {
  const t = tenantScope(db, tenantId);
  const ks = keyset(analyticsDashboards.createdAt, analyticsDashboards.id, q.cursor);
  const rows = await db
    .select()
    .from(analyticsDashboards)
    .where(t.where(analyticsDashboards, ks.where, q.q ? like(analyticsDashboards.name, containsPattern(q.q)) : undefined))
    .orderBy(...ks.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeDashboard);
}

export async function getDashboard(db: Db, tenantId: string, id: string): Promise<Row> {
  const row = await db
    .select()
    .from(analyticsDashboards)
    .where(and(eq(analyticsDashboards.tenantId, tenantId), eq(analyticsDashboards.id, id)))
    .get();
  if (!row) throw notFound("Dashboard");
  return row;
}

export interface DashboardInput {
  name: string;
  description?: string | null;
  charts: ChartInput[];
}

/** With `id` (a wizard's reserved id), an existing dashboard of that id is returned as it is: a retry creates nothing twice. */
export async function createDashboard(db: Db, tenantId: string, actor: Actor, input: DashboardInput & { id?: string }): Promise<Row> {
  if (input.id) {
    const existing = await db
      .select()
      .from(analyticsDashboards)
      .where(and(eq(analyticsDashboards.tenantId, tenantId), eq(analyticsDashboards.id, input.id)))
      .get();
    if (existing) return existing;
  }
  const now = Date.now();
  const row: Row = {
    id: input.id ?? newId("dsh"),
    tenantId,
    name: input.name,
    description: input.description ?? null,
    charts: await normaliseCharts(db, tenantId, input.charts),
    createdBy: actor.type === "user" ? actor.id : null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(analyticsDashboards).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "analytics.dashboard_created",
      target: { type: "dashboard", id: row.id },
      metadata: { name: row.name, charts: row.charts.length },
    }),
  ]);
  return row;
}

export async function updateDashboard(db: Db, tenantId: string, id: string, patch: Partial<DashboardInput>): Promise<Row> {
  const row = await getDashboard(db, tenantId, id);
  const next: Row = {
    ...row,
    name: patch.name ?? row.name,
    description: patch.description === undefined ? row.description : patch.description,
    charts: patch.charts ? await normaliseCharts(db, tenantId, patch.charts) : row.charts,
    updatedAt: Date.now(),
  };
  await db
    .update(analyticsDashboards)
    .set({ name: next.name, description: next.description, charts: next.charts, updatedAt: next.updatedAt })
    .where(and(eq(analyticsDashboards.tenantId, tenantId), eq(analyticsDashboards.id, id)));
  return next;
}

export async function deleteDashboard(db: Db, tenantId: string, actor: Actor, id: string): Promise<void> {
  const row = await getDashboard(db, tenantId, id);
  await db.batch([
    db.delete(analyticsDashboards).where(and(eq(analyticsDashboards.tenantId, tenantId), eq(analyticsDashboards.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "analytics.dashboard_deleted",
      target: { type: "dashboard", id },
      metadata: { name: row.name },
    }),
  ]);
}
