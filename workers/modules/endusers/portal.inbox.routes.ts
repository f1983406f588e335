import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv, EndUserPrincipal } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import {
  CATEGORIES,
  CATEGORY_NAMES,
  canOptOut,
  listNotifications,
  listPreferences,
  markAllRead,
  markRead,
  setPreference,
  unreadCount,
} from "../messaging";
import { listShares, MAX_UPLOAD_BYTES, portalHome, serializeShare, serializeShares, uploadForEndUser } from "./portal.service";
import * as ps from "./portal.schemas";
import { portalParam } from "./schemas";

/**
 * The portal's home, notification centre and files for the signed-in end user (`{ auth: "enduser" }`).
 * Notifications are messaging's in-app rows addressed to the end-user id; preferences follow
 * messaging's categories (security and transactional stay on) on two channels: email (keyed by the
 * address) and in-app (keyed by the end-user id).
 */
export const portalInboxRoutes = createRouter();
const tags = ["End users (portal)"];
const P = "/portal/{portal}";
const me = (c: Context<AppEnv>): EndUserPrincipal => c.get("endUser");

portalInboxRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/home`,
      tags,
      summary: "What matters now: active tickets, unread notifications, files shared with you (orders once commerce offers them)",
      request: { params: portalParam },
      responses: { 200: jsonResponse(ps.homeSchema, "Home") },
    },
  ),
  async (c) => {
    const u = me(c);
    return c.json(await portalHome(c.env, getDb(c.env.DB), u.tenantId, u.id, appOrigin(c)), 200);
  },
);

portalInboxRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/notifications`,
      tags,
      summary: "Your notifications, newest first (`unread=true` for unread only)",
      request: { params: portalParam, query: ps.notificationQuery },
      responses: { 200: jsonResponse(pageSchema(ps.notificationSchema).extend({ unread: z.number().int() }), "Notifications") },
    },
  ),
  async (c) => {
    const u = me(c);
    const db = getDb(c.env.DB);
    const q = c.req.valid("query");
    const page = await listNotifications(db, u.tenantId, u.id, q);
    return c.json({ ...page, unread: await unreadCount(db, u.tenantId, u.id) }, 200);
  },
);

portalInboxRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/notifications/{id}/read`,
      tags,
      summary: "Mark one of your notifications read",
      request: { params: portalParam.extend(idParam("id", "ntf_01jd0000000000000000000000").shape) },
      responses: { 200: jsonResponse(ps.notificationSchema, "Read") },
    },
  ),
  async (c) => {
    const u = me(c);
    return c.json(await markRead(getDb(c.env.DB), u.tenantId, u.id, c.req.valid("param").id), 200);
  },
);

portalInboxRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/notifications/read-all`,
      tags,
      summary: "Mark all your notifications read",
      request: { params: portalParam },
      responses: { 200: jsonResponse(z.object({ marked: z.number().int() }), "Marked") },
    },
  ),
  async (c) => {
    const u = me(c);
    return c.json({ marked: await markAllRead(getDb(c.env.DB), u.tenantId, u.id) }, 200);
  },
);

/** Category × channel grid; an opt-out row exists per (recipient, category, channel) the end user turned off. */
export async function preferenceGrid(db: Db, u: { tenantId: string; id: string; email: string }) {
  const recipient = { email: u.email.toLowerCase(), in_app: u.id.toLowerCase() };
  const [byEmail, byId] = await Promise.all([
    listPreferences(db, u.tenantId, recipient.email),
    listPreferences(db, u.tenantId, recipient.in_app),
  ]);
  const rows = [...byEmail.data, ...byId.data];
  const off = (category: string, channel: (typeof ps.PREF_CHANNELS)[number]) =>
    rows.some(
      (r) =>
        r.opted_out &&
        r.recipient === recipient[channel] &&
        (r.category === category || r.category === "*") &&
        (r.channel === channel || r.channel === "*"),
    );
  return {
    channels: [...ps.PREF_CHANNELS],
    categories: CATEGORY_NAMES.map((name) => {
      const locked = !canOptOut(name);
      return {
        name,
        label: CATEGORIES[name].label,
        locked,
        cells: ps.PREF_CHANNELS.map((channel) => ({ channel, on: locked || !off(name, channel) })),
      };
    }),
  };
}

export async function savePreferenceGrid(db: Db, u: { tenantId: string; id: string; email: string }, on: Set<string>) {
  for (const name of CATEGORY_NAMES) {
    if (!canOptOut(name)) continue;
    for (const channel of ps.PREF_CHANNELS) {
      await setPreference(db, u.tenantId, {
        recipient: channel === "email" ? u.email : u.id,
        category: name,
        channel,
        optedOut: !on.has(`${name}.${channel}`),
        source: "portal",
      });
    }
  }
  return preferenceGrid(db, u);
}

portalInboxRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/notification-preferences`,
      tags,
      summary: "Which categories reach you on which channel (security and transactional cannot be turned off)",
      request: { params: portalParam },
      responses: { 200: jsonResponse(ps.preferencesSchema, "Preferences") },
    },
  ),
  async (c) => c.json(await preferenceGrid(getDb(c.env.DB), me(c)), 200),
);

portalInboxRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "put",
      path: `${P}/notification-preferences`,
      tags,
      summary: "Save the whole grid: the category.channel pairs listed stay on, the other unlocked ones go off",
      request: { params: portalParam, ...jsonBody(ps.preferencesBody) },
      responses: { 200: jsonResponse(ps.preferencesSchema, "Saved") },
    },
  ),
  async (c) => c.json(await savePreferenceGrid(getDb(c.env.DB), me(c), new Set(c.req.valid("json").on)), 200),
);

portalInboxRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/files`,
      tags,
      summary: "Files shared with you by the workspace and your own uploads, with 10-minute download links",
      request: { params: portalParam, query: ps.fileListQuery },
      responses: { 200: jsonResponse(pageSchema(ps.sharedFileSchema), "Files") },
    },
  ),
  async (c) => {
    const u = me(c);
    const page = await listShares(getDb(c.env.DB), u.tenantId, u.id, c.req.valid("query"));
    const origin = appOrigin(c);
    return c.json({ data: await serializeShares(c.env, page.data, origin), next_cursor: page.next_cursor }, 200);
  },
);

const binary = { "application/octet-stream": { schema: z.any().openapi({ type: "string", format: "binary" }) } };
portalInboxRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/files`,
      tags,
      summary: "Upload a file (the raw bytes as the body, ≤ 10 MB); counts in the workspace's storage quota",
      request: { params: portalParam, query: ps.uploadQuery, body: { required: true, content: binary } },
      responses: { 201: jsonResponse(ps.sharedFileSchema, "Uploaded") },
    },
  ),
  async (c) => {
    const u = me(c);
    const length = Number(c.req.header("Content-Length") ?? "0");
    if (length > MAX_UPLOAD_BYTES) throw badRequest("Files in the portal can be at most 10 MB.");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const db = getDb(c.env.DB);
    const origin = appOrigin(c);
    const meta = await uploadForEndUser(c.env, db, u.tenantId, u.id, { name: c.req.valid("query").name, bytes, origin });
    const page = await listShares(db, u.tenantId, u.id, { limit: 1, origin: "enduser" });
    const share = page.data.find((s) => s.fileId === meta.id);
    if (!share) throw badRequest("The upload was not recorded; try again.");
    return c.json(await serializeShare(c.env, share, origin), 201);
  },
);
