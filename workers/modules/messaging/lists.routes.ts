import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { createList, deleteList, getList, listLists, updateList } from "./lists.service";
import { broadcast, eraseSubscriber, exportSubscribers, listSubscribersOf, removeSubscriber, subscribe } from "./list-subscribers.service";
import { idParam } from "../../platform/params";
import { currentTenantId } from "../../platform/auth";

export const listsRoutes = createRouter();
const tags = ["Email lists"];
const listParam = idParam("id", "lst_01jd0000000000000000000000");
const listSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    double_opt_in: z.boolean(),
    counts: z.object({ pending: z.number().int(), subscribed: z.number().int(), unsubscribed: z.number().int() }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("EmailList");
const subscriberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    status: z.enum(["pending", "subscribed", "unsubscribed"]),
    source: z.string().nullable(),
    confirmed_at: z.string().nullable(),
    unsubscribed_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ListSubscriber");
const listInput = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(500).nullable().optional(),
  double_opt_in: z.boolean().optional(),
});

listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:read" },
    {
      method: "get",
      path: "/email-lists",
      tags,
      summary: "Email lists",
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(listSchema), "Newest first") },
    },
  ),
  async (c) => c.json(await listLists(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "post",
      path: "/email-lists",
      tags,
      summary: "Create an email list",
      request: jsonBody(listInput.openapi("CreateEmailList")),
      responses: { 201: jsonResponse(listSchema, "Created") },
    },
  ),
  async (c) => c.json(await createList(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c)), 201),
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:read" },
    {
      method: "get",
      path: "/email-lists/{id}",
      tags,
      summary: "An email list with subscriber counts",
      request: { params: listParam },
      responses: { 200: jsonResponse(listSchema, "The list") },
    },
  ),
  async (c) => c.json(await getList(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string), 200),
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "patch",
      path: "/email-lists/{id}",
      tags,
      summary: "Rename or reconfigure a list",
      request: { params: listParam, ...jsonBody(listInput.partial().openapi("UpdateEmailList")) },
      responses: { 200: jsonResponse(listSchema, "Updated") },
    },
  ),
  async (c) =>
    c.json(await updateList(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)), 200),
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "delete",
      path: "/email-lists/{id}",
      tags,
      summary: "Delete a list and its subscribers",
      request: { params: listParam },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await deleteList(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:read" },
    {
      method: "get",
      path: "/email-lists/{id}/subscribers",
      tags,
      summary: "Subscribers of a list",
      request: {
        params: listParam,
        query: pageQuerySchema.extend({ status: z.enum(["pending", "subscribed", "unsubscribed"]).optional() }),
      },
      responses: { 200: jsonResponse(pageSchema(subscriberSchema), "Newest first") },
    },
  ),
  async (c) =>
    c.json(await listSubscribersOf(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("query")), 200),
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "post",
      path: "/email-lists/{id}/subscribers",
      tags,
      summary: "Add a subscriber (double opt-in lists send a confirmation email unless `confirmed` is true)",
      request: {
        params: listParam,
        ...jsonBody(
          z
            .object({
              email: z.email(),
              name: z.string().max(200).nullable().optional(),
              confirmed: z.boolean().optional().openapi({ description: "You already hold consent (e.g. imported)" }),
            })
            .openapi("AddSubscriber"),
        ),
      },
      responses: { 201: jsonResponse(subscriberSchema, "Added (or already there)") },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    return c.json(
      await subscribe(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("param").id as string, {
        email: b.email,
        name: b.name,
        source: "dashboard",
        skipConfirmation: b.confirmed,
      }),
      201,
    );
  },
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "delete",
      path: "/email-lists/{id}/subscribers/{subscriberId}",
      tags,
      summary: "Remove a subscriber from a list",
      request: { params: listParam.extend(idParam("subscriberId", "sub_01jd0000000000000000000000").shape) },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    const p = c.req.valid("param");
    await removeSubscriber(getDb(c.env.DB), currentTenantId(c), p.id as string, p.subscriberId as string, actorOf(c));
    return c.body(null, 204);
  },
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:read" },
    {
      method: "get",
      path: "/email-lists/{id}/export",
      tags,
      summary: "Export subscribers as CSV",
      request: { params: listParam },
      responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } } },
    },
  ),
  async (c) => {
    const csv = await exportSubscribers(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string);
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="subscribers-${c.req.valid("param").id}.csv"`,
    });
  },
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "post",
      path: "/email-lists/{id}/broadcasts",
      tags,
      summary: "Email a template to every confirmed subscriber (marketing: unsubscribe link and headers added)",
      request: {
        params: listParam,
        ...jsonBody(
          z
            .object({
              template: z.string().min(1).max(80),
              data: z.record(z.string(), z.unknown()).default({}),
              send_at: z.iso.datetime({ offset: true }).optional(),
            })
            .openapi("Broadcast"),
        ),
      },
      responses: { 202: jsonResponse(z.object({ batch_id: z.string(), recipients: z.number().int() }), "Queued") },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    return c.json(
      await broadcast(
        getDb(c.env.DB),
        c.env,
        currentTenantId(c),
        c.req.valid("param").id as string,
        { template: b.template, data: b.data, send_at: b.send_at ? Date.parse(b.send_at) : undefined },
        actorOf(c),
      ),
      202,
    );
  },
);
listsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "lists:manage" },
    {
      method: "post",
      path: "/email-lists/erase",
      tags,
      summary:
        "GDPR erasure: remove an address from every list, its preferences, and redact it in the message log; list-sync providers (Mailchimp, SendGrid, Kit) erase it too, queued",
      request: jsonBody(z.object({ email: z.email() }).openapi("EraseSubscriber")),
      responses: {
        200: jsonResponse(
          z.object({
            subscriptions: z.number().int(),
            preferences: z.number().int(),
            messages: z.number().int(),
            providers_queued: z.boolean().openapi({ description: "A synced provider still has the address: its erasure is queued" }),
          }),
          "What was erased",
        ),
      },
    },
  ),
  async (c) => c.json(await eraseSubscriber(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("json").email, actorOf(c)), 200),
);
