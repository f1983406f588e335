import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { outboxMessages } from "../../../schema/messaging";
import { actorOf } from "../../platform/audit";
import { getDb } from "../../platform/db";
import { conflict, notFound } from "../../platform/errors";
import { keyset, pageQuerySchema, pageSchema, toPage } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { messageSchema, replayMessage, serializeMessage } from "../messaging";
import { idParam } from "../../platform/params";
import { EVENT_TYPE_NAMES, WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES, WEBHOOK_RETRY_SCHEDULE_SECONDS } from "./catalogue";
import {
  createEndpoint,
  deleteEndpoint,
  eventCatalogue,
  getEndpointRow,
  listEndpoints,
  revealSecret,
  rotateSecret,
  serializeEndpoint,
  updateEndpoint,
} from "./endpoints.service";
import { publishEvent } from "./publish";
import { currentTenantId } from "../../platform/auth";
import { problemDoc } from "../../platform/router";

export const webhooksRoutes = createRouter();
const tags = ["Webhooks"];
const epParam = idParam("id", "whe_01jd0000000000000000000000");

const endpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z.array(z.string()).openapi({ description: "Empty: every event type" }),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.string().nullable(),
    consecutive_failures: z.number().int(),
    failing_since: z.string().nullable(),
    last_success_at: z.string().nullable(),
    previous_secret_expires_at: z
      .string()
      .nullable()
      .openapi({ description: "Until then deliveries carry a second signature with the previous secret" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WebhookEndpoint");
const withSecret = endpointSchema.extend({ secret: z.string().openapi({ description: "whsec_…: shown on creation and rotation" }) });
const eventTypesSchema = z.array(z.enum(EVENT_TYPE_NAMES as [string, ...string[]])).max(100);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/webhook-event-types",
      tags,
      summary: "The published event catalogue, retry schedule and signing scheme",
      responses: {
        200: jsonResponse(
          z.object({
            data: z.array(
              z.object({ type: z.string(), group: z.string(), description: z.string(), example: z.record(z.string(), z.unknown()) }),
            ),
            retry_schedule_seconds: z.array(z.number().int()),
            disable_after_failed_deliveries: z.number().int(),
            signing: z.string(),
          }),
          "Catalogue",
        ),
      },
    },
  ),
  (c) =>
    c.json(
      {
        ...eventCatalogue(),
        retry_schedule_seconds: WEBHOOK_RETRY_SCHEDULE_SECONDS,
        disable_after_failed_deliveries: WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES,
        signing:
          "Standard Webhooks v1: webhook-id, webhook-timestamp, webhook-signature = v1,base64(HMAC-SHA256(base64decode(secret without whsec_), `${id}.${timestamp}.${body}`))",
      },
      200,
    ),
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:read" },
    {
      method: "get",
      path: "/webhook-endpoints",
      tags,
      summary: "Webhook endpoints",
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(endpointSchema), "Newest first") },
    },
  ),
  async (c) => c.json(await listEndpoints(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:manage" },
    {
      method: "post",
      path: "/webhook-endpoints",
      tags,
      summary: "Register an endpoint (the signing secret is in the answer)",
      request: jsonBody(
        z
          .object({
            url: z.string().max(2000),
            description: z.string().max(300).nullable().optional(),
            event_types: eventTypesSchema.default([]),
          })
          .openapi("CreateWebhookEndpoint"),
      ),
      responses: { 201: jsonResponse(withSecret, "Created") },
    },
  ),
  async (c) => c.json(await createEndpoint(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("json"), actorOf(c)), 201),
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:read" },
    {
      method: "get",
      path: "/webhook-endpoints/{id}",
      tags,
      summary: "One endpoint",
      request: { params: epParam },
      responses: { 200: jsonResponse(endpointSchema, "The endpoint") },
    },
  ),
  async (c) => c.json(serializeEndpoint(await getEndpointRow(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string)), 200),
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:manage" },
    {
      method: "patch",
      path: "/webhook-endpoints/{id}",
      tags,
      summary: "Change URL, description, event types, or enable/disable",
      request: {
        params: epParam,
        ...jsonBody(
          z
            .object({
              url: z.string().max(2000).optional(),
              description: z.string().max(300).nullable().optional(),
              event_types: eventTypesSchema.optional(),
              status: z.enum(["enabled", "disabled"]).optional(),
            })
            .openapi("UpdateWebhookEndpoint"),
        ),
      },
      responses: { 200: jsonResponse(endpointSchema, "Updated") },
    },
  ),
  async (c) =>
    c.json(
      await updateEndpoint(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)),
      200,
    ),
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:manage" },
    {
      method: "delete",
      path: "/webhook-endpoints/{id}",
      tags,
      summary: "Delete an endpoint (pending deliveries are cancelled)",
      request: { params: epParam },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await deleteEndpoint(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:manage" },
    {
      method: "get",
      path: "/webhook-endpoints/{id}/secret",
      tags,
      summary: "Reveal the signing secret",
      request: { params: epParam },
      responses: { 200: jsonResponse(z.object({ secret: z.string() }), "The secret") },
    },
  ),
  async (c) => c.json(await revealSecret(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("param").id as string), 200),
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:manage" },
    {
      method: "post",
      path: "/webhook-endpoints/{id}/rotate-secret",
      tags,
      summary: "Rotate the secret; the previous one keeps signing for 24 hours",
      request: { params: epParam },
      responses: { 200: jsonResponse(withSecret, "Rotated") },
    },
  ),
  async (c) => c.json(await rotateSecret(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 200),
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:manage" },
    {
      method: "post",
      path: "/webhook-endpoints/{id}/test",
      tags,
      summary: "Send a `webhook.test` event to this endpoint",
      request: { params: epParam },
      responses: {
        202: jsonResponse(z.object({ event_id: z.string(), message_id: z.string() }), "Queued"),
        409: problemDoc("The endpoint is disabled"),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const ep = await getEndpointRow(db, currentTenantId(c), c.req.valid("param").id as string);
    if (ep.status !== "enabled") throw conflict("Enable the endpoint before sending a test event.", "endpoint-disabled");
    const r = await publishEvent(db, c.env.OUTBOX, {
      tenantId: currentTenantId(c),
      type: "webhook.test",
      data: { message: "Hello from Weft", endpoint_id: ep.id },
      onlyEndpointId: ep.id,
    });
    return c.json({ event_id: r.eventId, message_id: r.messageIds[0]! }, 202);
  },
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:read" },
    {
      method: "get",
      path: "/webhook-endpoints/{id}/deliveries",
      tags,
      summary: "Delivery log of an endpoint (open one with GET /messages/{id} for response codes and bodies)",
      request: { params: epParam, query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(messageSchema), "Newest first") },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const ep = await getEndpointRow(db, tenantId, c.req.valid("param").id as string);
    const q = c.req.valid("query");
    const page = keyset(outboxMessages.createdAt, outboxMessages.id, q.cursor);
    const rows = await db
      .select()
      .from(outboxMessages)
      .where(
        and(eq(outboxMessages.tenantId, tenantId), eq(outboxMessages.channel, "webhook"), eq(outboxMessages.recipient, ep.id), page.where),
      )
      .orderBy(...page.orderBy)
      .limit(q.limit + 1);
    return c.json(
      toPage(rows, q.limit, (r) => r, serializeMessage),
      200,
    );
  },
);

webhooksRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "webhooks:manage" },
    {
      method: "post",
      path: "/webhook-endpoints/{id}/deliveries/{messageId}/replay",
      tags,
      summary: "Deliver an event to this endpoint again (same webhook-id, fresh timestamp and signature)",
      request: { params: epParam.extend(idParam("messageId", "msg_01jd0000000000000000000000").shape) },
      responses: { 202: jsonResponse(messageSchema, "Queued"), 409: problemDoc("The delivery has not finished yet") },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const p = c.req.valid("param");
    const ep = await getEndpointRow(db, tenantId, p.id as string);
    const row = await db
      .select({ id: outboxMessages.id })
      .from(outboxMessages)
      .where(
        and(
          eq(outboxMessages.tenantId, tenantId),
          eq(outboxMessages.id, p.messageId as string),
          eq(outboxMessages.channel, "webhook"),
          eq(outboxMessages.recipient, ep.id),
        ),
      )
      .get();
    if (!row) throw notFound("Delivery");
    return c.json(await replayMessage(db, c.env.OUTBOX, tenantId, row.id, actorOf(c)), 202);
  },
);
