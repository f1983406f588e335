/** /api/v1/analytics/destinations: where a workspace forwards its events, their status and delivery log. */
import { z } from "@hono/zod-openapi";
import { FORWARD_BATCH_STATUSES } from "../../../../schema/analytics-forwarding";
import { actorOf } from "../../../platform/audit";
import { currentTenantId } from "../../../platform/auth";
import { getDb } from "../../../platform/db";
import { pageQuerySchema, pageSchema } from "../../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../../platform/router";
import {
  createDestination,
  deleteDestination,
  getDestination,
  listDeliveries,
  listDestinations,
  testDestination,
  updateDestination,
} from "./destinations.service";

export const analyticsDestinationRoutes = createRouter();
const TAG = ["Analytics"];
const idParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

const destinationSchema = z
  .object({
    id: z.string(),
    provider: z.enum(["mixpanel", "ga4", "webhook"]),
    name: z.string(),
    enabled: z.boolean(),
    event_names: z.array(z.string()).nullable().openapi({ description: "Only these events are forwarded; null: every event" }),
    settings: z
      .object({
        project_id: z.string().nullable().optional(),
        region: z.enum(["us", "eu", "in"]).optional(),
        auth: z.enum(["service_account", "api_secret"]).optional(),
        service_account_username: z.string().nullable().optional(),
        measurement_id: z.string().nullable().optional(),
        endpoint_ids: z.array(z.string()).optional(),
      })
      .openapi({ description: "The provider's non-secret settings" }),
    credential_hint: z
      .string()
      .nullable()
      .openapi({ description: "The last characters of the stored secret; the secret itself is never returned" }),
    status: z.enum(["ok", "failing", "idle", "disabled"]),
    last_success_at: z.string().nullable(),
    last_failure_at: z.string().nullable(),
    last_error: z.string().nullable(),
    sent_today: z.number().int(),
    failed_today: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("AnalyticsDestination");
const destinationDetailSchema = destinationSchema
  .extend({ daily: z.array(z.object({ day: z.string(), sent: z.number().int(), failed: z.number().int() })) })
  .openapi("AnalyticsDestinationDetail");
const batchSchema = z
  .object({
    id: z.string(),
    status: z.enum(FORWARD_BATCH_STATUSES),
    event_count: z.number().int(),
    sent_count: z.number().int(),
    failed_count: z.number().int(),
    skipped_count: z.number().int(),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    error: z.string().nullable(),
    details: z
      .record(z.string(), z.unknown())
      .openapi({ description: "Renamed/dropped events (GA4), rejected records (Mixpanel), webhook message ids" }),
    next_attempt_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("AnalyticsForwardBatch");
const testResultSchema = z
  .object({
    ok: z.boolean(),
    status: z.number().int().nullable(),
    message: z.string(),
    validation_messages: z.array(z.object({ field: z.string(), message: z.string() })),
  })
  .openapi("AnalyticsDestinationTest");

const name = z.string().trim().min(1).max(100);
const eventNames = z
  .array(z.string().trim().min(1).max(200))
  .min(1)
  .max(100)
  .nullable()
  .openapi({ description: "Forward only these event names (null or absent: every event)" });
const secret = (what: string) => z.string().trim().min(8, `${what} looks too short`).max(500);
const projectId = z
  .string()
  .trim()
  .regex(/^\d{1,20}$/, "a Mixpanel project id is a number");
const region = z.enum(["us", "eu", "in"]).openapi({ description: "Mixpanel data residency: api.mixpanel.com, api-eu or api-in" });
const saUser = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .nullable()
  .openapi({ description: "Service account user name; null: `secret` is the project's API secret" });
const measurementId = z
  .string()
  .trim()
  .regex(/^G-[A-Z0-9]{4,20}$/, "a GA4 measurement id looks like G-XXXXXXXXXX");
const endpointIds = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(10)
  .openapi({ description: "Webhook endpoints (see /webhook-endpoints) that receive `analytics.events`" });
const common = { name, enabled: z.boolean().optional(), event_names: eventNames.optional() };

const createSchema = z
  .discriminatedUnion("provider", [
    z.object({
      provider: z.literal("mixpanel"),
      ...common,
      project_id: projectId,
      region: region.optional(),
      service_account_username: saUser.optional(),
      secret: secret("The secret"),
    }),
    z.object({ provider: z.literal("ga4"), ...common, measurement_id: measurementId, api_secret: secret("The API secret") }),
    z.object({ provider: z.literal("webhook"), ...common, endpoint_ids: endpointIds }),
  ])
  .openapi("AnalyticsDestinationCreate");
const updateSchema = z
  .object({
    ...common,
    name: name.optional(),
    project_id: projectId.optional(),
    region: region.optional(),
    service_account_username: saUser.optional(),
    secret: secret("The secret").optional(),
    measurement_id: measurementId.optional(),
    api_secret: secret("The API secret").optional(),
    endpoint_ids: endpointIds.optional(),
  })
  .openapi("AnalyticsDestinationUpdate");

const read = { auth: "tenant", permission: "analytics:read" } as const;
const manage = { auth: "tenant", permission: "analytics:manage" } as const;

analyticsDestinationRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/destinations",
    tags: TAG,
    summary: "Where events are forwarded (Mixpanel, GA4, webhooks), with delivery status",
    responses: { 200: jsonResponse(z.object({ data: z.array(destinationSchema) }), "Destinations") },
  }),
  async (c) => c.json(await listDestinations(getDb(c.env.DB), currentTenantId(c)), 200),
);

analyticsDestinationRoutes.openapi(
  defineRoute(manage, {
    method: "post",
    path: "/analytics/destinations",
    tags: TAG,
    summary: "Add a destination (audited); credentials are sealed and never returned",
    request: { ...jsonBody(createSchema) },
    responses: { 201: jsonResponse(destinationSchema, "The destination") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    return c.json(await createDestination(db, c.env, currentTenantId(c), c.req.valid("json"), actorOf(c)), 201);
  },
);

analyticsDestinationRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/destinations/{id}",
    tags: TAG,
    summary: "A destination with its counts for the last 14 days",
    request: { params: idParams },
    responses: { 200: jsonResponse(destinationDetailSchema, "The destination") },
  }),
  async (c) => c.json(await getDestination(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id), 200),
);

analyticsDestinationRoutes.openapi(
  defineRoute(manage, {
    method: "patch",
    path: "/analytics/destinations/{id}",
    tags: TAG,
    summary: "Change a destination: name, events, enabled, settings or credentials (audited)",
    request: { params: idParams, ...jsonBody(updateSchema) },
    responses: { 200: jsonResponse(destinationSchema, "The destination") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    return c.json(await updateDestination(db, c.env, currentTenantId(c), c.req.valid("param").id, c.req.valid("json"), actorOf(c)), 200);
  },
);

analyticsDestinationRoutes.openapi(
  defineRoute(manage, {
    method: "delete",
    path: "/analytics/destinations/{id}",
    tags: TAG,
    summary: "Delete a destination and its delivery log (audited)",
    request: { params: idParams },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteDestination(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, actorOf(c));
    return c.body(null, 204);
  },
);

analyticsDestinationRoutes.openapi(
  defineRoute(manage, {
    method: "post",
    path: "/analytics/destinations/{id}/test",
    tags: TAG,
    summary: "Test the connection (GA4: validation server; Mixpanel: one test event; webhook: a signed test batch)",
    request: { params: idParams },
    responses: { 200: jsonResponse(testResultSchema, "What the provider said") },
  }),
  async (c) => c.json(await testDestination(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("param").id), 200),
);

analyticsDestinationRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/destinations/{id}/deliveries",
    tags: TAG,
    summary: "Forwarded batches, newest first: status, attempts, errors",
    request: { params: idParams, query: pageQuerySchema.extend({ status: z.enum(FORWARD_BATCH_STATUSES).optional() }) },
    responses: { 200: jsonResponse(pageSchema(batchSchema), "A page of batches") },
  }),
  async (c) => c.json(await listDeliveries(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, c.req.valid("query")), 200),
);
