import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { createEndUser, eraseEndUser, getEndUser, listEndUsers, serializeForStaff, setBlocked } from "./accounts.service";
import { INVITATION_TTL_MS, issueCode, linkFor, mailEndUser } from "./codes.service";
import * as s from "./schemas";
import {
  getPortalSettings,
  portalSite,
  rotateHandoverSecret,
  serializePortalSettings,
  updatePortalSettings,
  type PortalSettingsRow,
} from "./settings.service";

/** The workspace's side (mounted at /api/v1): its end users and its portal settings. */
export const endUsersAdminRoutes = createRouter();
const tags = ["End users"];
const READ = { auth: "tenant", permission: "endusers:read" } as const;
const MANAGE = { auth: "tenant", permission: "endusers:manage" } as const;
const idP = idParam("id", "eu_01jd0000000000000000000000");

const settingsBody = async (c: Context<AppEnv>, row: PortalSettingsRow) => {
  const tenant = await getTenant(getDb(c.env.DB), row.tenantId);
  return { ...serializePortalSettings(row), portal_url: `${appOrigin(c)}/portal/${tenant.slug}` };
};

// Static paths first: they must win over /end-users/{id}.
endUsersAdminRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/end-users/portal-settings",
    tags,
    summary: "The portal's settings: on/off, sign-up policy, branding, custom-domain note, whether hand-over is set up",
    responses: { 200: jsonResponse(s.portalSettingsSchema, "Settings") },
  }),
  async (c) => c.json(await settingsBody(c, await getPortalSettings(getDb(c.env.DB), currentTenantId(c))), 200),
);

endUsersAdminRoutes.openapi(
  defineRoute(MANAGE, {
    method: "put",
    path: "/end-users/portal-settings",
    tags,
    summary: "Change the portal's settings (fields left out stay as they are)",
    request: jsonBody(s.portalSettingsInput),
    responses: { 200: jsonResponse(s.portalSettingsSchema, "Saved") },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const row = await updatePortalSettings(
      c.env,
      getDb(c.env.DB),
      currentTenantId(c),
      {
        enabled: b.enabled,
        signupPolicy: b.signup_policy,
        brandName: b.brand_name,
        logoFileId: b.logo_file_id,
        primaryColor: b.primary_color,
        accentColor: b.accent_color,
        customDomain: b.custom_domain,
      },
      actorOf(c),
    );
    return c.json(await settingsBody(c, row), 200);
  },
);

endUsersAdminRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/end-users/portal-settings/handover-secret",
    tags,
    summary: "Create or replace the hand-over secret your server signs end-user JWTs with (shown once)",
    responses: { 201: jsonResponse(s.handoverSecretSchema, "The new secret; the old one stops working") },
  }),
  async (c) => c.json({ secret: await rotateHandoverSecret(c.env, getDb(c.env.DB), currentTenantId(c), actorOf(c)) }, 201),
);

endUsersAdminRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/end-users",
    tags,
    summary: "The workspace's end users, newest first; search email and name",
    request: { query: s.listQuery },
    responses: { 200: jsonResponse(pageSchema(s.endUserSchema), "A page") },
  }),
  async (c) => c.json(await listEndUsers(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

endUsersAdminRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/end-users",
    tags,
    summary: "Add an end user (e.g. for the invite-only policy) and optionally email them a sign-in link valid 7 days",
    request: jsonBody(s.inviteBody),
    responses: { 201: jsonResponse(s.endUserSchema, "Created"), 409: problemDoc("The email already has an account here") },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const user = await createEndUser(db, tenantId, { email: b.email, name: b.name, source: "invite" }, actorOf(c));
    if (b.send_invite) {
      const site = await portalSite(db, tenantId);
      const mailer = { db, outbox: c.env.OUTBOX, tenantId, site: site.name, portalUrl: `${appOrigin(c)}/portal/${site.slug}` };
      const { token } = await issueCode(db, tenantId, {
        purpose: "sign_in",
        email: user.email,
        endUserId: user.id,
        ttlMs: INVITATION_TTL_MS,
      });
      await mailEndUser(mailer, user.email, "invitation", { link: linkFor(mailer, "magic", token) });
    }
    return c.json(serializeForStaff(user), 201);
  },
);

endUsersAdminRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/end-users/{id}",
    tags,
    summary: "One end user",
    request: { params: idP },
    responses: { 200: jsonResponse(s.endUserSchema, "The end user") },
  }),
  async (c) => c.json(serializeForStaff(await getEndUser(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id)), 200),
);

endUsersAdminRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/end-users/{id}/block",
    tags,
    summary: "Block an end user: every session ends and every end-user endpoint refuses them",
    request: { params: idP, body: { required: false, content: { "application/json": { schema: s.blockBody } } } },
    responses: { 200: jsonResponse(s.endUserSchema, "Blocked") },
  }),
  async (c) => {
    const reason = c.req.valid("json")?.reason ?? null;
    const user = await setBlocked(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, true, reason, actorOf(c));
    return c.json(serializeForStaff(user), 200);
  },
);

endUsersAdminRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/end-users/{id}/unblock",
    tags,
    summary: "Unblock an end user (they sign in again)",
    request: { params: idP },
    responses: { 200: jsonResponse(s.endUserSchema, "Unblocked") },
  }),
  async (c) => {
    const user = await setBlocked(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, false, null, actorOf(c));
    return c.json(serializeForStaff(user), 200);
  },
);

endUsersAdminRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/end-users/{id}",
    tags,
    summary: "Delete an end user with their data (GDPR erase across every module that keeps end-user data)",
    request: { params: idP },
    responses: {
      200: jsonResponse(s.eraseResultSchema, "Erased; rows removed per module"),
      503: problemDoc("A module's eraser failed: the account is kept; repeat the call"),
    },
  }),
  async (c) => {
    const modules = await eraseEndUser(c.env, getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, actorOf(c), "staff");
    return c.json({ erased: true as const, modules }, 200);
  },
);
