import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { idParam } from "../../platform/params";
import { pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { exportCsv, listResponses, npsSummary, serializeResponse } from "./nps.results";
import { setFollowUpDone } from "./nps.service";
import {
  npsResponseSchema,
  npsSummarySchema,
  rangeOf,
  rangeQuerySchema,
  responsesQuerySchema,
  settingsPatchSchema,
  settingsSchema,
} from "./schemas";
import { getSurveySettings, serializeSettings, updateSurveySettings } from "./settings.service";

const TAG = ["Surveys"];
export const npsRoutes = createRouter();

npsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:read" },
    {
      method: "get",
      path: "/surveys/settings",
      tags: TAG,
      summary: "NPS display rules and the feedback button switch",
      responses: { 200: jsonResponse(settingsSchema, "Current settings (defaults until first saved)") },
    },
  ),
  async (c) => c.json(serializeSettings(await getSurveySettings(getDb(c.env.DB), currentTenantId(c))), 200),
);

npsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:manage" },
    {
      method: "patch",
      path: "/surveys/settings",
      tags: TAG,
      summary: "Change NPS display rules (apply at once: sites ask the server before showing the prompt)",
      request: jsonBody(settingsPatchSchema),
      responses: { 200: jsonResponse(settingsSchema, "Saved") },
    },
  ),
  async (c) => {
    const row = await updateSurveySettings(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c));
    return c.json(serializeSettings(row), 200);
  },
);

npsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:read" },
    {
      method: "get",
      path: "/surveys/nps/summary",
      tags: TAG,
      summary: "NPS over a date range: score, band counts, trend by week or month, breakdowns by plan and sign-up cohort",
      request: { query: rangeQuerySchema.extend({ interval: z.enum(["week", "month"]).default("week") }) },
      responses: { 200: jsonResponse(npsSummarySchema, "Results") },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(await npsSummary(getDb(c.env.DB), currentTenantId(c), rangeOf(q), q.interval), 200);
  },
);

npsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:read" },
    {
      method: "get",
      path: "/surveys/nps/responses",
      tags: TAG,
      summary: "NPS responses, newest first (filter by band, follow-up, plan; search comments)",
      request: { query: responsesQuerySchema },
      responses: { 200: jsonResponse(pageSchema(npsResponseSchema), "A page of responses") },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(await listResponses(getDb(c.env.DB), currentTenantId(c), { ...q, ...rangeOf(q) }), 200);
  },
);

npsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:read" },
    {
      method: "get",
      path: "/surveys/nps/export",
      tags: TAG,
      summary: "The filtered responses as CSV (streamed)",
      request: { query: responsesQuerySchema.omit({ limit: true, cursor: true }) },
      responses: { 200: { description: "RFC 4180 CSV", content: { "text/csv": { schema: z.string() } } } },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    const stream = exportCsv(getDb(c.env.DB), currentTenantId(c), { ...q, ...rangeOf(q) });
    return new Response(stream, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="nps-responses-${new Date().toISOString().slice(0, 10)}.csv"`,
        "Cache-Control": "no-store",
      },
    }) as never;
  },
);

npsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:triage" },
    {
      method: "patch",
      path: "/surveys/nps/responses/{id}",
      tags: TAG,
      summary: "Mark a detractor's follow-up done (or open again)",
      request: {
        params: idParam("id", "nps_01jd0000000000000000000000"),
        ...jsonBody(z.object({ follow_up_done: z.boolean() }).openapi("NpsFollowUp")),
      },
      responses: { 200: jsonResponse(npsResponseSchema, "Updated"), 409: { description: "Not a detractor" } },
    },
  ),
  async (c) => {
    const row = await setFollowUpDone(
      getDb(c.env.DB),
      currentTenantId(c),
      c.req.valid("param").id,
      c.req.valid("json").follow_up_done,
      actorOf(c),
    );
    return c.json(serializeResponse(row), 200);
  },
);
