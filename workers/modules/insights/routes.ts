import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { actorOf } from "../../platform/audit";
import { currentTenantId, currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { getMember } from "../../platform/directory";
import { notFound } from "../../platform/errors";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { acknowledgeAlert, listAlerts } from "./alerts.service";
import {
  ensureSettings,
  isSubscribed,
  loadSettings,
  sendPreview,
  serializeSettings,
  setSubscribed,
  updateSettings,
} from "./digest.service";
import { METRICS, metricById } from "./metrics";
import {
  alertSchema,
  alertsQuery,
  dismissInput,
  dismissSchema,
  metricId,
  metricSchema,
  previewSchema,
  seriesQuery,
  seriesSchema,
  settingsInput,
  settingsSchema,
  subscriptionInput,
  suggestionParam,
  suggestionSchema,
} from "./schemas";
import { serializeMetric, seriesWithBand } from "./series.service";
import { dismissSuggestion, suggestionsFor } from "./suggestions.service";

export { insightsOptOutPage } from "./opt-out.page";

/** Proactive help (mounted at /api/v1): anomaly alerts, metric charts, suggestions, digest settings. */
export const insightsRoutes = createRouter();
const tags = ["Insights"];
const READ = { auth: "tenant", permission: "insights:read" } as const;
const MANAGE = { auth: "tenant", permission: "insights:manage" } as const;

insightsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/insights/alerts",
    tags,
    summary: "Anomaly alerts of the workspace, newest first; filter by metric and status",
    request: { query: alertsQuery },
    responses: { 200: jsonResponse(pageSchema(alertSchema), "A page of alerts") },
  }),
  async (c) => c.json(await listAlerts(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
insightsRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/insights/alerts/{id}/acknowledge",
    tags,
    summary: "Acknowledge an alert (it leaves the open list, the digest and the home suggestion)",
    request: { params: idParam("id", "ina_01jd0000000000000000000000") },
    responses: { 200: jsonResponse(alertSchema, "The alert"), 404: problemDoc("No such alert in this workspace") },
  }),
  async (c) => c.json(await acknowledgeAlert(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 200),
);
insightsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/insights/metrics",
    tags,
    summary: "The daily metrics insights watch (id, label, unit, which way is bad, minimum change)",
    responses: { 200: jsonResponse(z.object({ data: z.array(metricSchema) }), "The metrics") },
  }),
  async (c) => c.json({ data: METRICS.map(serializeMetric) }, 200),
);
insightsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/insights/metrics/{metric}/series",
    tags,
    summary: "A metric's daily values with the usual range (median ± K·1.4826·MAD of the 28 days before each day)",
    request: { params: z.object({ metric: metricId.openapi({ param: { name: "metric", in: "path" } }) }), query: seriesQuery },
    responses: { 200: jsonResponse(seriesSchema, "The series") },
  }),
  async (c) => {
    const m = metricById(c.req.valid("param").metric);
    if (!m) throw notFound("Metric");
    return c.json(await seriesWithBand(getDb(c.env.DB), currentTenantId(c), m, c.req.valid("query").days), 200);
  },
);
insightsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/insights/suggestions",
    tags,
    summary: "Suggestions for the home page from the last 7 days' figures (minus the ones the member dismissed)",
    responses: { 200: jsonResponse(z.object({ data: z.array(suggestionSchema) }), "Suggestions, most important first") },
  }),
  async (c) => {
    const p = c.get("principal");
    const userId = p?.kind === "user" ? p.userId : null;
    return c.json(await suggestionsFor(getDb(c.env.DB), currentTenantId(c), userId), 200);
  },
);
insightsRoutes.openapi(
  defineRoute(READ, {
    method: "post",
    path: "/insights/suggestions/{id}/dismiss",
    tags,
    summary: "Hide a suggestion from the signed-in member for some days (default 7)",
    request: { params: suggestionParam, body: { required: false, content: { "application/json": { schema: dismissInput } } } },
    responses: { 200: jsonResponse(dismissSchema, "Hidden until") },
  }),
  async (c) => {
    const days = c.req.valid("json")?.days ?? 7;
    return c.json(await dismissSuggestion(getDb(c.env.DB), currentTenantId(c), currentUserId(c), c.req.valid("param").id, days), 200);
  },
);

async function settingsFor(c: Context<AppEnv>) {
  const db = getDb(c.env.DB);
  const tenantId = currentTenantId(c);
  const s = await ensureSettings(db, tenantId);
  const p = c.get("principal");
  let me = false;
  if (p?.kind === "user") me = await isSubscribed(db, tenantId, p.userId, (await getMember(db, tenantId, p.userId)).role);
  return serializeSettings(s, me);
}
insightsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/insights/settings",
    tags,
    summary: "Digest and alert settings, when the next digest is due, and whether the signed-in member receives it",
    responses: { 200: jsonResponse(settingsSchema, "The settings") },
  }),
  async (c) => c.json(await settingsFor(c), 200),
);
insightsRoutes.openapi(
  defineRoute(MANAGE, {
    method: "patch",
    path: "/insights/settings",
    tags,
    summary: "Change the digest (on/off, daily or weekly, weekday, hour, time zone) and alerts on/off",
    request: jsonBody(settingsInput),
    responses: { 200: jsonResponse(settingsSchema, "The new settings") },
  }),
  async (c) => {
    await updateSettings(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c));
    return c.json(await settingsFor(c), 200);
  },
);
insightsRoutes.openapi(
  defineRoute(READ, {
    method: "put",
    path: "/insights/digest/subscription",
    tags,
    summary: "Opt the signed-in member in or out of the insight digest",
    request: jsonBody(subscriptionInput),
    responses: { 200: jsonResponse(settingsSchema, "The settings with the member's choice") },
  }),
  async (c) => {
    await setSubscribed(getDb(c.env.DB), currentTenantId(c), currentUserId(c), c.req.valid("json").subscribed);
    return c.json(await settingsFor(c), 200);
  },
);
insightsRoutes.openapi(
  defineRoute(READ, {
    method: "post",
    path: "/insights/digest/preview",
    tags,
    summary: "Send the digest as it would go out now to the signed-in member only",
    responses: { 200: jsonResponse(previewSchema, "Sent") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const me = await getMember(db, tenantId, currentUserId(c));
    await loadSettings(db, tenantId);
    return c.json(await sendPreview(db, c.env, tenantId, me.userId, me.email), 200);
  },
);
