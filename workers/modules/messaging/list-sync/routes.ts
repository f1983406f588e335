import { z } from "@hono/zod-openapi";
import { LIST_SYNC_PROVIDERS } from "../../../../schema/list-sync";
import { actorOf } from "../../../platform/audit";
import { currentTenantId } from "../../../platform/auth";
import { getDb } from "../../../platform/db";
import { pageQuerySchema, pageSchema } from "../../../platform/pagination";
import { idParam } from "../../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../../platform/router";
import {
  createConnection,
  deleteConnection,
  getRun,
  listConnections,
  listRuns,
  syncNow,
  testConnection,
  updateConnection,
} from "./service";

/** Email-list sync to Mailchimp, SendGrid and Kit: connections, test, sync now, the run log. Mounted at /api/v1 by messaging's routes. */
export const listSyncRoutes = createRouter();
const tags = ["Email list sync"];
const listParam = idParam("id", "lst_01jd0000000000000000000000");
const connParams = listParam.extend(idParam("connectionId", "lsc_01jd0000000000000000000000").shape);
const runParams = listParam.extend(idParam("runId", "lsr_01jd0000000000000000000000").shape);

const fieldMapSchema = z
  .object({
    first_name: z.string().trim().min(1).max(50).nullable(),
    last_name: z.string().trim().min(1).max(50).nullable(),
  })
  .openapi({ description: "Remote field names the subscriber's first and last name go to (null: not sent)" });
const runFields = z.object({
  id: z.string(),
  connection_id: z.string(),
  trigger: z.enum(["manual", "schedule", "change"]),
  mode: z.enum(["full", "incremental"]),
  status: z.enum(["queued", "running", "succeeded", "partial", "failed"]),
  total: z.number().int(),
  processed: z.number().int(),
  counts: z.object({
    created: z.number().int(),
    updated: z.number().int(),
    unsubscribed: z.number().int(),
    pulled: z.number().int().openapi({ description: "Unsubscribes read back from the provider (two-way)" }),
    skipped: z.number().int().openapi({ description: "Already in sync, pending, or never pushed and unsubscribed" }),
    failed: z.number().int(),
  }),
  errors: z.array(z.object({ email: z.string(), status: z.number().int().nullable(), error: z.string() })),
  error: z.string().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  created_at: z.string(),
});
const runSchema = runFields.openapi("ListSyncRun");
const connectionSchema = z
  .object({
    id: z.string(),
    list_id: z.string(),
    provider: z.enum(LIST_SYNC_PROVIDERS),
    credentials_hint: z.string().openapi({ description: "The API key, masked; the key itself is never returned" }),
    remote_list_id: z.string(),
    remote_target: z.enum(["list", "form", "tag"]),
    field_map: fieldMapSchema,
    direction: z.enum(["push", "two_way"]),
    schedule: z.enum(["off", "hourly", "daily"]),
    enabled: z.boolean(),
    status: z.enum(["new", "ok", "error"]),
    last_error: z.string().nullable(),
    last_sync_at: z.string().nullable(),
    next_sync_at: z.string().nullable(),
    last_run: runFields.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("ListSyncConnection");
const connectionInput = z.object({
  provider: z.enum(LIST_SYNC_PROVIDERS),
  api_key: z.string().trim().min(8).max(500),
  remote_list_id: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, "Letters, digits, - and _ only")
    .openapi({ description: "Mailchimp audience id, SendGrid list id, or Kit form/tag id" }),
  remote_target: z.enum(["list", "form", "tag"]).optional().openapi({ description: "Kit: form (default) or tag; others: list" }),
  field_map: fieldMapSchema.optional(),
  direction: z
    .enum(["push", "two_way"])
    .optional()
    .openapi({ description: "push: Weft is the source of truth; two_way also reads unsubscribes back (an unsubscribe anywhere wins)" }),
  schedule: z.enum(["off", "hourly", "daily"]).optional(),
  enabled: z.boolean().optional(),
});

listSyncRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:read" },
    {
      method: "get",
      path: "/email-lists/{id}/sync/connections",
      tags,
      summary: "The list's sync connections, each with its last run",
      request: { params: listParam },
      responses: { 200: jsonResponse(z.object({ data: z.array(connectionSchema) }), "Oldest first") },
    },
  ),
  async (c) => c.json(await listConnections(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string), 200),
);
listSyncRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "post",
      path: "/email-lists/{id}/sync/connections",
      tags,
      summary: "Connect the list to a Mailchimp audience, SendGrid list or Kit form/tag (the API key is stored encrypted)",
      request: { params: listParam, ...jsonBody(connectionInput.openapi("CreateListSyncConnection")) },
      responses: { 201: jsonResponse(connectionSchema, "Connected") },
    },
  ),
  async (c) =>
    c.json(
      await createConnection(
        getDb(c.env.DB),
        c.env,
        currentTenantId(c),
        c.req.valid("param").id as string,
        c.req.valid("json"),
        actorOf(c),
      ),
      201,
    ),
);
listSyncRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "patch",
      path: "/email-lists/{id}/sync/connections/{connectionId}",
      tags,
      summary: "Change a connection (a new API key, remote list, mapping, direction, schedule, pause)",
      request: { params: connParams, ...jsonBody(connectionInput.omit({ provider: true }).partial().openapi("UpdateListSyncConnection")) },
      responses: { 200: jsonResponse(connectionSchema, "Updated") },
    },
  ),
  async (c) => {
    const p = c.req.valid("param");
    return c.json(
      await updateConnection(
        getDb(c.env.DB),
        c.env,
        currentTenantId(c),
        p.id as string,
        p.connectionId as string,
        c.req.valid("json"),
        actorOf(c),
      ),
      200,
    );
  },
);
listSyncRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "delete",
      path: "/email-lists/{id}/sync/connections/{connectionId}",
      tags,
      summary: "Disconnect (nothing is deleted at the provider; the run log of this connection is removed)",
      request: { params: connParams },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    const p = c.req.valid("param");
    await deleteConnection(getDb(c.env.DB), currentTenantId(c), p.id as string, p.connectionId as string, actorOf(c));
    return c.body(null, 204);
  },
);
listSyncRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "post",
      path: "/email-lists/{id}/sync/connections/{connectionId}/test",
      tags,
      summary: "Test the connection against the provider (Mailchimp /ping, SendGrid /v3/scopes, Kit /v4/account, and the remote list)",
      request: { params: connParams },
      responses: {
        200: jsonResponse(
          z.object({ ok: z.boolean(), detail: z.string(), status: z.number().int().nullable() }).openapi("ListSyncTestResult"),
          "What the provider answered",
        ),
      },
    },
  ),
  async (c) => {
    const p = c.req.valid("param");
    return c.json(await testConnection(getDb(c.env.DB), c.env, currentTenantId(c), p.id as string, p.connectionId as string), 200);
  },
);
listSyncRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "post",
      path: "/email-lists/{id}/sync/connections/{connectionId}/sync",
      tags,
      summary: "Sync now: queue a full sync (409 while one is in progress); follow it with GET …/sync/runs/{runId}",
      request: { params: connParams },
      responses: { 202: jsonResponse(runSchema, "Queued") },
    },
  ),
  async (c) => {
    const p = c.req.valid("param");
    return c.json(await syncNow(getDb(c.env.DB), c.env, currentTenantId(c), p.id as string, p.connectionId as string, actorOf(c)), 202);
  },
);
listSyncRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:read" },
    {
      method: "get",
      path: "/email-lists/{id}/sync/runs",
      tags,
      summary: "The sync log: runs with their counts and errors per contact",
      request: { params: listParam, query: pageQuerySchema.extend({ connection_id: z.string().max(64).optional() }) },
      responses: { 200: jsonResponse(pageSchema(runSchema), "Newest first") },
    },
  ),
  async (c) => c.json(await listRuns(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("query")), 200),
);
listSyncRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:read" },
    {
      method: "get",
      path: "/email-lists/{id}/sync/runs/{runId}",
      tags,
      summary: "One sync run (progress while it runs)",
      request: { params: runParams },
      responses: { 200: jsonResponse(runSchema, "The run") },
    },
  ),
  async (c) => {
    const p = c.req.valid("param");
    return c.json(await getRun(getDb(c.env.DB), currentTenantId(c), p.id as string, p.runId as string), 200);
  },
);
