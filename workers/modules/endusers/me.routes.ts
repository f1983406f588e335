import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorOf, auditInsert } from "../../platform/audit";
import type { AppEnv, EndUserPrincipal } from "../../platform/context";
import { hashPassword, verifyPassword } from "../../platform/crypto";
import { getDb } from "../../platform/db";
import { validationFailed } from "../../platform/errors";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { ensureEmailFree, eraseEndUser, getEndUser, serializeSelf, updateEndUser } from "./accounts.service";
import { issueCode, linkFor, mailEndUser } from "./codes.service";
import { limitAttempts, portalCtxOf } from "./portal.context";
import * as s from "./schemas";
import {
  endUserActor,
  listEndUserSessions,
  revokeEndUserSession,
  revokeEndUserSessions,
  revokeOwnEndUserSession,
} from "./sessions.service";

/**
 * The signed-in end user's own account: `{ auth: "enduser" }` routes, so the platform has checked
 * the token (this workspace's audience, live session, not blocked, portal on) before a handler runs.
 * The portal's later pages (orders, files, tickets, notifications) follow the same pattern.
 */
export const portalMeRoutes = createRouter();
const tags = ["End users (portal)"];
const P = "/portal/{portal}";

const me = (c: Context<AppEnv>): EndUserPrincipal => c.get("endUser");

portalMeRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/me`,
      tags,
      summary: "The signed-in end user",
      request: { params: s.portalParam },
      responses: { 200: jsonResponse(s.endUserSelfSchema, "You") },
    },
  ),
  async (c) => {
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    return c.json(serializeSelf(await getEndUser(ctx.db, ctx.site.tenantId, me(c).id)), 200);
  },
);

portalMeRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "patch",
      path: `${P}/me`,
      tags,
      summary: "Update your profile (name)",
      request: { params: s.portalParam, ...jsonBody(s.profilePatch) },
      responses: { 200: jsonResponse(s.endUserSelfSchema, "Updated") },
    },
  ),
  async (c) => {
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    const user = await updateEndUser(ctx.db, ctx.site.tenantId, me(c).id, { name: c.req.valid("json").name });
    return c.json(serializeSelf(user), 200);
  },
);

portalMeRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/me/password`,
      tags,
      summary: "Set or change your password (the current one is required when one is set); ends your other sessions",
      request: { params: s.portalParam, ...jsonBody(s.passwordChangeBody) },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    const principal = me(c);
    await limitAttempts(c, ctx, principal.email);
    const user = await getEndUser(ctx.db, ctx.site.tenantId, principal.id);
    if (user.passwordHash && !(body.current_password && (await verifyPassword(body.current_password, user.passwordHash)))) {
      throw validationFailed([{ path: "current_password", message: "The current password is incorrect" }]);
    }
    await updateEndUser(ctx.db, ctx.site.tenantId, user.id, { passwordHash: await hashPassword(body.new_password) });
    await ctx.db.batch([
      revokeEndUserSessions(ctx.db, ctx.site.tenantId, user.id, "password_changed", principal.sessionId),
      auditInsert(ctx.db, endUserActor(ctx.actor), {
        tenantId: ctx.site.tenantId,
        action: "endusers.password_changed",
        target: { type: "end_user", id: user.id },
      }),
    ]);
    return c.body(null, 204);
  },
);

portalMeRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/me/email`,
      tags,
      summary: "Change your email: a confirmation link goes to the new address, which takes effect once confirmed",
      request: { params: s.portalParam, ...jsonBody(s.emailChangeBody) },
      responses: { 202: jsonResponse(s.acceptedSchema, "Confirmation sent"), 409: problemDoc("The address has an account here") },
    },
  ),
  async (c) => {
    const { email } = c.req.valid("json");
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    const principal = me(c);
    await limitAttempts(c, ctx, principal.email);
    if (email === principal.email) throw validationFailed([{ path: "email", message: "This is already your email" }]);
    await ensureEmailFree(ctx.db, ctx.site.tenantId, email);
    const { token } = await issueCode(ctx.db, ctx.site.tenantId, { purpose: "change_email", email, endUserId: principal.id });
    await mailEndUser(ctx.mailer, email, "change_email", {
      name: principal.name || principal.email,
      email,
      link: linkFor(ctx.mailer, "verify", token),
    });
    return c.json({ status: "accepted" as const, message: `Open the link we sent to ${email} to confirm it.` }, 202);
  },
);

portalMeRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/auth/signout`,
      tags,
      summary: "Sign out: ends this session and its refresh tokens",
      request: { params: s.portalParam },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    const principal = me(c);
    await revokeEndUserSession(ctx.db, ctx.site.tenantId, principal.sessionId, principal.id, "signout", ctx.actor);
    return c.body(null, 204);
  },
);

portalMeRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "delete",
      path: `${P}/me`,
      tags,
      summary: "Delete your account and your data on this site (every module's, as the workspace's GDPR erase does)",
      request: { params: s.portalParam },
      responses: { 204: noContent, 503: problemDoc("A module's eraser failed: the account is kept; try again") },
    },
  ),
  async (c) => {
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    await eraseEndUser(c.env, ctx.db, ctx.site.tenantId, me(c).id, endUserActor(ctx.actor), "self");
    return c.body(null, 204);
  },
);

const sessionSchema = z
  .object({
    id: z.string(),
    method: z.string(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    created_at: z.string(),
    last_used_at: z.string(),
    current: z.boolean(),
  })
  .openapi("PortalSession");

portalMeRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/me/sessions`,
      tags,
      summary: "Where you are signed in (this one is `current`)",
      request: { params: s.portalParam },
      responses: { 200: jsonResponse(z.object({ data: z.array(sessionSchema) }), "Sessions") },
    },
  ),
  async (c) => {
    const u = me(c);
    const rows = await listEndUserSessions(getDb(c.env.DB), u.tenantId, u.id);
    const at = (ms: number) => new Date(ms).toISOString();
    return c.json(
      {
        data: rows.map((r) => ({
          id: r.id,
          method: r.method,
          ip: r.ip,
          user_agent: r.userAgent,
          created_at: at(r.createdAt),
          last_used_at: at(r.lastUsedAt),
          current: r.id === u.sessionId,
        })),
      },
      200,
    );
  },
);

portalMeRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "delete",
      path: `${P}/me/sessions/{id}`,
      tags,
      summary: "Sign out one of your sessions (e.g. a lost phone)",
      request: {
        params: s.portalParam.extend({
          id: z
            .string()
            .min(1)
            .max(64)
            .openapi({ param: { name: "id", in: "path" } }),
        }),
      },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    const u = me(c);
    await revokeOwnEndUserSession(getDb(c.env.DB), u.tenantId, u.id, c.req.valid("param").id, endUserActor(actorOf(c)));
    return c.body(null, 204);
  },
);
