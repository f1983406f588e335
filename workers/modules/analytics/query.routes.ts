/** The questions: overview, top lists, event names, the raw stream, trends, funnels, retention. */
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { analyticsEvents } from "../../../schema/analytics";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { keyset, toPage } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { parseRange, timeRangeSchema } from "./query/filters";
import { funnelDefinitionSchema, runFunnel } from "./query/funnels";
import { retentionQuerySchema, runRetention } from "./query/retention";
import { eventNames, overview, runTrends, TOP_DIMENSIONS, topValues, trendsQuerySchema } from "./query/trends";

export const analyticsQueryRoutes = createRouter();
const TAG = ["Analytics"];
const read = { auth: "tenant", permission: "analytics:read" } as const;

function range(r: { from: string; to: string }) {
  const parsed = parseRange(r);
  if (typeof parsed === "string") throw badRequest(parsed);
  return parsed;
}
/** Query limits (too many buckets or cohorts) are the caller's to fix: 400, not 500. */
async function bounded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof RangeError) throw badRequest(e.message);
    throw e;
  }
}

const headlineSchema = z.object({ pageviews: z.number(), visitors: z.number(), events: z.number(), sessions: z.number() });
analyticsQueryRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/overview",
    tags: TAG,
    summary: "Headline numbers for a range against the previous period of the same length, and the daily series",
    request: { query: timeRangeSchema },
    responses: {
      200: jsonResponse(
        z.object({
          current: headlineSchema,
          previous: headlineSchema,
          daily: z.array(z.object({ date: z.string(), pageviews: z.number(), events: z.number() })),
          dropped_over_quota: z.number().openapi({ description: "Tracker events sampled out while over the analytics quota" }),
        }),
        "Overview",
      ),
    },
  }),
  async (c) => {
    const r = range(c.req.valid("query"));
    return c.json(await overview(getDb(c.env.DB), currentTenantId(c), r.from, r.to), 200);
  },
);

analyticsQueryRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/top",
    tags: TAG,
    summary: "Top pages, referrers, UTM sources/campaigns, countries, devices, browsers or OSes by page views",
    request: {
      query: timeRangeSchema.extend({
        dimension: z.enum(Object.keys(TOP_DIMENSIONS) as [keyof typeof TOP_DIMENSIONS, ...(keyof typeof TOP_DIMENSIONS)[]]),
        limit: z.coerce.number().int().min(1).max(100).default(10),
      }),
    },
    responses: {
      200: jsonResponse(
        z.object({ data: z.array(z.object({ value: z.string(), pageviews: z.number(), visitors: z.number() })) }),
        "Top values",
      ),
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const r = range(q);
    return c.json({ data: await topValues(getDb(c.env.DB), currentTenantId(c), q.dimension, r.from, r.to, q.limit) }, 200);
  },
);

analyticsQueryRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/event-names",
    tags: TAG,
    summary: "Event names seen in the last 90 days, most frequent first",
    responses: { 200: jsonResponse(z.object({ data: z.array(z.object({ name: z.string(), count: z.number() })) }), "Event names") },
  }),
  async (c) => c.json({ data: await eventNames(getDb(c.env.DB), currentTenantId(c)) }, 200),
);

const eventSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    distinct_id: z.string(),
    person_id: z.string(),
    ts: z.string(),
    source: z.string(),
    path: z.string().nullable(),
    referrer_host: z.string().nullable(),
    country: z.string().nullable(),
    device: z.string().nullable(),
    browser: z.string().nullable(),
    is_bot: z.boolean(),
    props: z.record(z.string(), z.unknown()),
  })
  .openapi("AnalyticsEvent");

analyticsQueryRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/events",
    tags: TAG,
    summary: "The raw event stream, newest first (filter by event name or person)",
    request: {
      query: z.object({
        name: z.string().max(200).optional(),
        person: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: z.string().max(300).optional(),
      }),
    },
    responses: { 200: jsonResponse(z.object({ data: z.array(eventSchema), next_cursor: z.string().nullable() }), "A page of events") },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const e = analyticsEvents;
    const page = keyset(e.ts, e.id, q.cursor);
    const rows = await getDb(c.env.DB)
      .select()
      .from(e)
      .where(
        and(
          eq(e.tenantId, currentTenantId(c)),
          q.name ? eq(e.name, q.name) : undefined,
          q.person ? eq(e.personId, q.person) : undefined,
          page.where,
        ),
      )
      .orderBy(...page.orderBy)
      .limit(q.limit + 1);
    return c.json(
      toPage(
        rows,
        q.limit,
        (r) => ({ createdAt: r.ts, id: r.id }),
        (r) => ({
          id: r.id,
          name: r.name,
          distinct_id: r.distinctId,
          person_id: r.personId,
          ts: new Date(r.ts).toISOString(),
          source: r.source,
          path: r.path,
          referrer_host: r.referrerHost,
          country: r.country,
          device: r.device,
          browser: r.browser,
          is_bot: r.isBot,
          props: r.props,
        }),
      ),
      200,
    );
  },
);

analyticsQueryRoutes.openapi(
  defineRoute(read, {
    method: "post",
    path: "/analytics/trends/query",
    tags: TAG,
    summary: "Counts and unique people of an event per day/week/month, with filters and a breakdown",
    request: { ...jsonBody(trendsQuerySchema.extend(timeRangeSchema.shape)) },
    responses: {
      200: jsonResponse(
        z.object({
          interval: z.string(),
          series: z.array(
            z.object({
              breakdown_value: z.string().nullable(),
              total_count: z.number(),
              total_uniques: z.number(),
              points: z.array(z.object({ period: z.string(), count: z.number(), uniques: z.number() })),
            }),
          ),
        }),
        "Series",
      ),
    },
  }),
  async (c) => {
    const q = c.req.valid("json");
    return c.json(await bounded(() => runTrends(getDb(c.env.DB), currentTenantId(c), { ...q, ...range(q) })), 200);
  },
);

const stepResultSchema = z.object({
  step: z.number(),
  event: z.string(),
  label: z.string(),
  count: z.number(),
  conversion_from_start: z.number(),
  conversion_from_previous: z.number(),
  dropped: z.number(),
  median_seconds_from_previous: z.number().nullable(),
  median_seconds_from_start: z.number().nullable(),
});
export const funnelResultSchema = z
  .object({
    steps: z.array(stepResultSchema),
    breakdown: z.array(z.object({ value: z.string().nullable(), steps: z.array(stepResultSchema) })).nullable(),
  })
  .openapi("FunnelResult");

analyticsQueryRoutes.openapi(
  defineRoute(read, {
    method: "post",
    path: "/analytics/funnels/query",
    tags: TAG,
    summary: "Funnel: people per step (sequential, strict or any order) within a conversion window",
    request: { ...jsonBody(funnelDefinitionSchema.extend(timeRangeSchema.shape)) },
    responses: { 200: jsonResponse(funnelResultSchema, "Per-step counts, conversion and median time to convert") },
  }),
  async (c) => {
    const q = c.req.valid("json");
    return c.json(await runFunnel(getDb(c.env.DB), currentTenantId(c), { ...q, ...range(q) }), 200);
  },
);

analyticsQueryRoutes.openapi(
  defineRoute(read, {
    method: "post",
    path: "/analytics/retention/query",
    tags: TAG,
    summary: "Retention cohorts: people by the period of their first start event, and who returned in each later period",
    request: { ...jsonBody(retentionQuerySchema.extend(timeRangeSchema.shape)) },
    responses: {
      200: jsonResponse(
        z.object({
          period: z.string(),
          cohorts: z.array(z.object({ period: z.string(), size: z.number(), returned: z.array(z.number()) })),
        }),
        "Cohorts (a triangle: later cohorts have fewer periods)",
      ),
    },
  }),
  async (c) => {
    const q = c.req.valid("json");
    return c.json(await bounded(() => runRetention(getDb(c.env.DB), currentTenantId(c), { ...q, ...range(q) })), 200);
  },
);
