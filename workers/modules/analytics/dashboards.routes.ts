/** Saved dashboards: CRUD and the gallery of charts to pick from (docs/analytics.md § Dashboards). */
import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import {
  chartInputSchema,
  chartsSchema,
  createDashboard,
  DASHBOARD_GALLERY,
  deleteDashboard,
  getDashboard,
  listDashboards,
  serializeDashboard,
  updateDashboard,
} from "./dashboards.service";

export const analyticsDashboardRoutes = createRouter();
const TAG = ["Analytics"];
const read = { auth: "tenant", permission: "analytics:read" } as const;
const edit = { auth: "tenant", permission: "analytics:edit" } as const;
const idParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
const dashboardSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    charts: z.array(chartInputSchema.extend({ id: z.string() })),
    created_by: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Dashboard");
const nameSchema = z.string().trim().min(1).max(120);
const descriptionSchema = z.string().trim().max(500).nullable().optional();

analyticsDashboardRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/dashboard-gallery",
    tags: TAG,
    summary: "Charts to start a dashboard from (page views, visitors, top pages, a funnel …)",
    responses: {
      200: jsonResponse(
        z.object({ data: z.array(z.object({ id: z.string(), title: z.string(), description: z.string(), chart: chartInputSchema })) }),
        "The gallery",
      ),
    },
  }),
  (c) => c.json({ data: DASHBOARD_GALLERY }, 200),
);

analyticsDashboardRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/dashboards",
    tags: TAG,
    summary: "Saved dashboards, newest first",
    request: { query: pageQuerySchema.extend({ q: z.string().max(100).optional() }) },
    responses: { 200: jsonResponse(pageSchema(dashboardSchema), "A page of dashboards") },
  }),
  async (c) => c.json(await listDashboards(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

analyticsDashboardRoutes.openapi(
  defineRoute(edit, {
    method: "post",
    path: "/analytics/dashboards",
    tags: TAG,
    summary: "Save a dashboard (audited)",
    request: { ...jsonBody(z.object({ name: nameSchema, description: descriptionSchema, charts: chartsSchema })) },
    responses: { 201: jsonResponse(dashboardSchema, "Saved") },
  }),
  async (c) => {
    const row = await createDashboard(getDb(c.env.DB), currentTenantId(c), actorOf(c), c.req.valid("json"));
    return c.json(serializeDashboard(row), 201);
  },
);

analyticsDashboardRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/dashboards/{id}",
    tags: TAG,
    summary: "A saved dashboard",
    request: { params: idParams },
    responses: { 200: jsonResponse(dashboardSchema, "The dashboard") },
  }),
  async (c) => c.json(serializeDashboard(await getDashboard(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id)), 200),
);

analyticsDashboardRoutes.openapi(
  defineRoute(edit, {
    method: "patch",
    path: "/analytics/dashboards/{id}",
    tags: TAG,
    summary: "Rename a dashboard or replace its charts (order, size, queries)",
    request: {
      params: idParams,
      ...jsonBody(z.object({ name: nameSchema.optional(), description: descriptionSchema, charts: chartsSchema.optional() })),
    },
    responses: { 200: jsonResponse(dashboardSchema, "Updated") },
  }),
  async (c) => {
    const row = await updateDashboard(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, c.req.valid("json"));
    return c.json(serializeDashboard(row), 200);
  },
);

analyticsDashboardRoutes.openapi(
  defineRoute(edit, {
    method: "delete",
    path: "/analytics/dashboards/{id}",
    tags: TAG,
    summary: "Delete a dashboard (audited)",
    request: { params: idParams },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteDashboard(getDb(c.env.DB), currentTenantId(c), actorOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  },
);
