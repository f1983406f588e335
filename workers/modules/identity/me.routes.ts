import { z } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import { auditLogs } from "../../../schema/audit";
import { sessions } from "../../../schema/identity";
import { users } from "../../../schema/identity";
import { actorOf } from "../../platform/audit";
import { currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { notFound, unauthorized } from "../../platform/errors";
import { keyset, pageQuerySchema, pageSchema, toPage } from "../../platform/pagination";
import { appOrigin, iso } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { listUserWorkspaces } from "../tenancy";
import { changePassword } from "./account.service";
import * as s from "./schemas";
import { revokeSessionFamily } from "./sessions.service";
import { getUser, serializeUser } from "./users.service";
import { recordProductEvent } from "../../platform/product-events";

export const meRoutes = createRouter();
const tags = ["Account"];
const user = { auth: "user" } as const;

const meSchema = z
  .object({
    user: s.userSchema,
    memberships: z.array(z.object({ tenant: s.tenantSummarySchema, role: z.enum(["owner", "admin", "member", "viewer"]) })),
  })
  .openapi("Me");
const sessionSchema = z
  .object({
    id: z.string(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    created_at: z.string(),
    last_used_at: z.string(),
    current: z.boolean(),
  })
  .openapi("Session");
const securityEventSchema = z
  .object({
    id: z.string(),
    action: z.string(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    created_at: z.string(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("SecurityEvent");

async function requireUser(c: Parameters<typeof currentUserId>[0]) {
  const u = await getUser(getDb(c.env.DB), currentUserId(c));
  if (!u) throw unauthorized("This account no longer exists.");
  return u;
}

meRoutes.openapi(
  defineRoute(user, {
    method: "get",
    path: "/me",
    tags,
    summary: "The signed-in user and their workspaces",
    responses: { 200: jsonResponse(meSchema, "Profile") },
  }),
  async (c) => {
    const u = await requireUser(c);
    return c.json({ user: serializeUser(u), memberships: await listUserWorkspaces(getDb(c.env.DB), u.id) }, 200);
  },
);

meRoutes.openapi(
  defineRoute(user, {
    method: "patch",
    path: "/me",
    tags,
    summary: "Update your profile",
    request: jsonBody(z.object({ name: s.nameSchema })),
    responses: { 200: jsonResponse(s.userSchema, "Updated") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const id = currentUserId(c);
    await db
      .update(users)
      .set({ name: c.req.valid("json").name, updatedAt: Date.now() })
      .where(eq(users.id, id));
    await recordProductEvent(c.env, { name: "profile_completed", userId: id });
    return c.json(serializeUser((await getUser(db, id))!), 200);
  },
);

meRoutes.openapi(
  defineRoute(user, {
    method: "post",
    path: "/me/password",
    tags,
    summary: "Change your password; other sessions are signed out",
    request: jsonBody(z.object({ current_password: z.string().min(1).max(256), new_password: s.passwordSchema })),
    responses: { 204: noContent },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const p = c.get("principal");
    if (p.kind !== "user") throw unauthorized();
    const u = await requireUser(c);
    await changePassword(
      { db: getDb(c.env.DB), outbox: c.env.OUTBOX, origin: appOrigin(c) },
      u,
      body.current_password,
      body.new_password,
      p.sessionId,
      actorOf(c),
    );
    return c.body(null, 204);
  },
);

meRoutes.openapi(
  defineRoute(user, {
    method: "get",
    path: "/me/sessions",
    tags,
    summary: "Your active sessions (devices signed in)",
    request: { query: pageQuerySchema },
    responses: { 200: jsonResponse(pageSchema(sessionSchema), "Newest first") },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const p = c.get("principal");
    const current = p.kind === "user" ? p.sessionId : "";
    const page = keyset(sessions.createdAt, sessions.id, cursor);
    const rows = await getDb(c.env.DB)
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, currentUserId(c)), isNull(sessions.revokedAt), page.where))
      .orderBy(...page.orderBy)
      .limit(limit + 1);
    const live = rows.filter((r) => r.expiresAt > Date.now());
    return c.json(
      toPage(
        live,
        limit,
        (r) => r,
        (r) => ({
          id: r.id,
          ip: r.ip,
          user_agent: r.userAgent,
          created_at: iso(r.createdAt)!,
          last_used_at: iso(r.lastUsedAt)!,
          current: r.id === current,
        }),
      ),
      200,
    );
  },
);

meRoutes.openapi(
  defineRoute(user, {
    method: "delete",
    path: "/me/sessions/{id}",
    tags,
    summary: "Sign out one of your sessions",
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 204: noContent },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const userId = currentUserId(c);
    const db = getDb(c.env.DB);
    const row = await db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.id, id), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .get();
    if (!row) throw notFound("Session");
    await revokeSessionFamily(db, id, userId, "revoked_by_user", actorOf(c));
    return c.body(null, 204);
  },
);

meRoutes.openapi(
  defineRoute(user, {
    method: "get",
    path: "/me/security-events",
    tags,
    summary: "Security activity on your account (sign-ins, password and MFA changes)",
    request: { query: pageQuerySchema },
    responses: { 200: jsonResponse(pageSchema(securityEventSchema), "Newest first") },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const page = keyset(auditLogs.createdAt, auditLogs.id, cursor);
    const rows = await getDb(c.env.DB)
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.actorId, currentUserId(c)), isNull(auditLogs.tenantId), page.where))
      .orderBy(...page.orderBy)
      .limit(limit + 1);
    return c.json(
      toPage(
        rows,
        limit,
        (r) => r,
        (r) => ({
          id: r.id,
          action: r.action,
          ip: r.ip,
          user_agent: r.userAgent,
          created_at: iso(r.createdAt)!,
          metadata: r.metadata ?? null,
        }),
      ),
      200,
    );
  },
);
