import { z } from "@hono/zod-openapi";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { endUserOf, portalTenantId } from "../../platform/end-users";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { forumMemberDetail, listForumMembers, publicProfile } from "./member-profiles";
import {
  memberDetailSchema,
  memberPageSchema,
  membersQuery,
  moderatorInput,
  profileSchema,
  sanctionInput,
  sanctionParams,
  trustInput,
} from "./members.schemas";
import { viewerForEndUser } from "./members.service";
import { memberAction } from "./moderation.service";
import { actionResultSchema, idParams, idPath } from "./moderation.schemas";
import { staffModerator } from "./moderation.routes";
import { requireForumOn } from "./settings.service";

/** Forum members: staff's list, detail and actions (`/api/v1/forum/members…`) and the public profile (`/public/v1/forum/{portal}/members/{username}`). */
export const forumMembersRoutes = createRouter();
export const forumMembersPublicRoutes = createRouter();

const tags = ["Forum members"];
const READ = { auth: "tenant", permission: "forum:read" } as const;
const MODERATE = { auth: "tenant", permission: "forum:moderate" } as const;
const MANAGE = { auth: "tenant", permission: "forum:manage" } as const;
const memberParam = idParams("eu_01jd0000000000000000000000");

forumMembersRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/forum/members",
    tags,
    summary:
      "Forum members (end users and staff who acted), newest first: search by username or name, filter by trust level or sanctions in force",
    request: { query: membersQuery },
    responses: { 200: jsonResponse(memberPageSchema, "Newest first") },
  }),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(
      await listForumMembers(getDb(c.env.DB), currentTenantId(c), {
        q: q.q || undefined,
        trust: q.trust,
        sanctioned: q.sanctioned === undefined ? undefined : q.sanctioned === "true",
        limit: q.limit,
        cursor: q.cursor,
      }),
      200,
    );
  },
);

forumMembersRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/forum/members/{id}",
    tags,
    summary: "A member: trust level, reputation, counters, sanctions, badges, the moderation actions on them, flags raised and received",
    request: { params: memberParam },
    responses: { 200: jsonResponse(memberDetailSchema, "The member") },
  }),
  async (c) => c.json(await forumMemberDetail(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id), 200),
);

forumMembersRoutes.openapi(
  defineRoute(MODERATE, {
    method: "post",
    path: "/forum/members/{id}/{action}",
    tags,
    summary:
      "suspend {until, reason} (no posting, reacting, voting or flagging) / silence {until, reason} (posts held) — both end at `until` — or lift them",
    request: { params: sanctionParams, body: { required: false, content: { "application/json": { schema: sanctionInput } } } },
    responses: {
      200: jsonResponse(actionResultSchema, "The action and the member's sanction"),
      409: problemDoc("Not sanctioned (lifting), a staff member, or your own account"),
    },
  }),
  async (c) => {
    const { id, action } = c.req.valid("param");
    const b = c.req.valid("json") ?? {};
    return c.json(
      await memberAction(getDb(c.env.DB), currentTenantId(c), staffModerator(c), id, action, {
        until: b.until ? Date.parse(b.until) : undefined,
        reason: b.reason,
      }),
      200,
    );
  },
);

forumMembersRoutes.openapi(
  defineRoute(MODERATE, {
    method: "put",
    path: "/forum/members/{id}/trust",
    tags,
    summary: "Set a member's trust level (0–4); `locked` (default true) keeps it from being recomputed from activity",
    request: { params: memberParam, ...jsonBody(trustInput) },
    responses: { 200: jsonResponse(actionResultSchema, "The action and the new level") },
  }),
  async (c) => {
    const b = c.req.valid("json");
    return c.json(
      await memberAction(getDb(c.env.DB), currentTenantId(c), staffModerator(c), c.req.valid("param").id, "set_trust", {
        level: b.level,
        locked: b.locked,
      }),
      200,
    );
  },
);

forumMembersRoutes.openapi(
  defineRoute(MANAGE, {
    method: "put",
    path: "/forum/members/{id}/moderator",
    tags,
    summary: "Promote an end user to community moderator (the staff moderation actions through the public API) or demote them",
    request: { params: memberParam, ...jsonBody(moderatorInput) },
    responses: { 200: jsonResponse(actionResultSchema, "The action"), 409: problemDoc("Already so, or a staff member") },
  }),
  async (c) =>
    c.json(
      await memberAction(
        getDb(c.env.DB),
        currentTenantId(c),
        staffModerator(c),
        c.req.valid("param").id,
        c.req.valid("json").moderator ? "promote" : "demote",
      ),
      200,
    ),
);

forumMembersPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/forum/{portal}/members/{username}",
      tags,
      summary:
        "A member's public profile: name, trust level, badges, reputation, counts and recent posts (in categories the caller may read)",
      request: {
        params: z.object({
          portal: idPath("portal", "acme"),
          username: z
            .string()
            .min(1)
            .max(64)
            .openapi({ param: { name: "username", in: "path" } }),
        }),
      },
      responses: { 200: jsonResponse(profileSchema, "The profile"), 404: problemDoc("No such member, or the community is off") },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const { portal, username } = c.req.valid("param");
    const tenantId = await portalTenantId(c, portal);
    await requireForumOn(db, tenantId);
    const viewer = await viewerForEndUser(db, tenantId, await endUserOf(c, tenantId));
    return c.json(await publicProfile(db, tenantId, username, viewer), 200);
  },
);
