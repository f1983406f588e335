import { z } from "@hono/zod-openapi";
import { currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { userAgent } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { listNotifications, markAllRead, markRead, unreadCount } from "./notifications.service";
import { deleteSubscription, listSubscriptions, saveSubscription, vapidKeys } from "./push.service";
import { idParam } from "../../platform/params";
import { currentTenantId } from "../../platform/auth";

/** The signed-in member's own notifications and push subscriptions (no permission: everyone has a bell). */
export const notificationsRoutes = createRouter();
const tags = ["Notifications"];
const notificationSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    category: z.string(),
    read_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Notification");

notificationsRoutes.openapi(
  defineRoute(
    { auth: "tenant" },
    {
      method: "get",
      path: "/notifications",
      tags,
      summary: "Your in-app notifications in this workspace, newest first",
      request: { query: pageQuerySchema.extend({ unread: z.enum(["true", "false"]).optional() }) },
      responses: { 200: jsonResponse(pageSchema(notificationSchema).extend({ unread_count: z.number().int() }), "Newest first") },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const q = c.req.valid("query");
    const userId = currentUserId(c);
    const page = await listNotifications(db, currentTenantId(c), userId, { ...q, unread: q.unread === "true" });
    return c.json({ ...page, unread_count: await unreadCount(db, currentTenantId(c), userId) }, 200);
  },
);

notificationsRoutes.openapi(
  defineRoute(
    { auth: "tenant" },
    {
      method: "get",
      path: "/notifications/unread-count",
      tags,
      summary: "How many of your notifications are unread (the bell's badge; cheap to poll)",
      responses: { 200: jsonResponse(z.object({ unread: z.number().int() }), "Count") },
    },
  ),
  async (c) => c.json({ unread: await unreadCount(getDb(c.env.DB), currentTenantId(c), currentUserId(c)) }, 200),
);

notificationsRoutes.openapi(
  defineRoute(
    { auth: "tenant" },
    {
      method: "post",
      path: "/notifications/{id}/read",
      tags,
      summary: "Mark one notification read",
      request: { params: idParam("id", "ntf_01jd0000000000000000000000") },
      responses: { 200: jsonResponse(notificationSchema, "Read") },
    },
  ),
  async (c) => c.json(await markRead(getDb(c.env.DB), currentTenantId(c), currentUserId(c), c.req.valid("param").id as string), 200),
);

notificationsRoutes.openapi(
  defineRoute(
    { auth: "tenant" },
    {
      method: "post",
      path: "/notifications/read-all",
      tags,
      summary: "Mark all your notifications read",
      responses: { 200: jsonResponse(z.object({ updated: z.number().int() }), "Done") },
    },
  ),
  async (c) => c.json({ updated: await markAllRead(getDb(c.env.DB), currentTenantId(c), currentUserId(c)) }, 200),
);

notificationsRoutes.openapi(
  defineRoute(
    { auth: "tenant" },
    {
      method: "get",
      path: "/push/vapid-public-key",
      tags,
      summary: "The workspace's VAPID public key, for PushManager.subscribe({ applicationServerKey })",
      responses: { 200: jsonResponse(z.object({ public_key: z.string() }), "base64url uncompressed P-256 point") },
    },
  ),
  async (c) => c.json({ public_key: (await vapidKeys(getDb(c.env.DB), c.env, currentTenantId(c))).publicKey }, 200),
);

const pushSubscriptionSchema = z
  .object({ id: z.string(), endpoint_origin: z.string(), user_agent: z.string().nullable(), created_at: z.string() })
  .openapi("PushSubscriptionInfo");

notificationsRoutes.openapi(
  defineRoute(
    { auth: "tenant" },
    {
      method: "get",
      path: "/push/subscriptions",
      tags,
      summary: "Your push subscriptions in this workspace (browsers where push is on)",
      responses: { 200: jsonResponse(z.object({ data: z.array(pushSubscriptionSchema) }), "Newest first") },
    },
  ),
  async (c) => c.json({ data: await listSubscriptions(getDb(c.env.DB), currentTenantId(c), currentUserId(c)) }, 200),
);

notificationsRoutes.openapi(
  defineRoute(
    { auth: "tenant" },
    {
      method: "post",
      path: "/push/subscriptions",
      tags,
      summary: "Register this browser's push subscription for you",
      request: jsonBody(
        z
          .object({ endpoint: z.string().max(2000), keys: z.object({ p256dh: z.string().max(200), auth: z.string().max(100) }) })
          .openapi("PushSubscription"),
      ),
      responses: { 201: jsonResponse(pushSubscriptionSchema, "Saved") },
    },
  ),
  async (c) =>
    c.json(await saveSubscription(getDb(c.env.DB), currentTenantId(c), currentUserId(c), c.req.valid("json"), userAgent(c)), 201),
);

notificationsRoutes.openapi(
  defineRoute(
    { auth: "tenant" },
    {
      method: "delete",
      path: "/push/subscriptions/{id}",
      tags,
      summary: "Remove one of your push subscriptions",
      request: { params: idParam("id", "psub_01jd0000000000000000000000") },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await deleteSubscription(getDb(c.env.DB), currentTenantId(c), currentUserId(c), c.req.valid("param").id as string);
    return c.body(null, 204);
  },
);
