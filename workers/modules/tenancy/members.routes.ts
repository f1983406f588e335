import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentUserId, tenantRead } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { callerRole } from "./context";
import { membersPage } from "../../platform/directory";
import { changeMemberRole, removeMember, transferOwnership } from "./members.service";
import { idParam } from "../../platform/params";
import { publishEventSafely } from "../webhooks";
import { memberSchema, roleSchema } from "./schemas";
import { currentTenantId } from "../../platform/auth";
import { problemDoc } from "../../platform/router";

const userIdParam = idParam("userId", "usr_01jd0000000000000000000000");

export const membersRoutes = createRouter();

membersRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "members:read", batchAccess: true },
    {
      method: "get",
      path: "/members",
      tags: ["Members"],
      summary: "Members of the workspace",
      request: {
        query: pageQuerySchema.extend({
          q: z.string().max(200).optional().openapi({ description: "Email or name contains" }),
          role: roleSchema.optional(),
        }),
      },
      responses: { 200: jsonResponse(pageSchema(memberSchema), "Newest first") },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    const db = getDb(c.env.DB);
    // The first (only) read: with the access lookup in one D1 round trip when access is not yet confirmed.
    return c.json(await tenantRead(c, (tenantId) => membersPage(db, tenantId, q)), 200);
  },
);

membersRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "members:update" },
    {
      method: "patch",
      path: "/members/{userId}",
      tags: ["Members"],
      summary: "Change a member's role",
      description: "Admins cannot grant owner nor change an owner. The last owner cannot be demoted (409 last-owner).",
      request: { params: userIdParam, ...jsonBody(z.object({ role: roleSchema }).openapi("ChangeRole")) },
      responses: { 200: jsonResponse(memberSchema, "Updated"), 409: problemDoc("Would leave the workspace without an owner") },
    },
  ),
  async (c) => {
    const { userId } = c.req.valid("param");
    const { role } = c.req.valid("json");
    const member = await changeMemberRole(
      getDb(c.env.DB),
      currentTenantId(c),
      { userId: userId as string, role, callerRole: callerRole(c) },
      actorOf(c),
    );
    return c.json(member, 200);
  },
);

membersRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "members:remove" },
    {
      method: "delete",
      path: "/members/{userId}",
      tags: ["Members"],
      summary: "Remove a member",
      description: "Admins cannot remove owners; the last owner can never be removed (409 last-owner).",
      request: { params: userIdParam },
      responses: { 204: noContent, 409: problemDoc("The last owner cannot be removed") },
    },
  ),
  async (c) => {
    const { userId } = c.req.valid("param");
    const db = getDb(c.env.DB);
    await removeMember(db, currentTenantId(c), { userId: userId as string, callerRole: callerRole(c) }, actorOf(c));
    await publishEventSafely(db, c.env.OUTBOX, {
      tenantId: currentTenantId(c),
      type: "member.removed",
      data: { user_id: userId, reason: "removed" },
    });
    return c.body(null, 204);
  },
);

membersRoutes.openapi(
  defineRoute(
    { auth: "tenant" },
    {
      method: "post",
      path: "/members/leave",
      tags: ["Members"],
      summary: "Leave the current workspace",
      description: "The last owner cannot leave: transfer ownership first (409 last-owner).",
      responses: { 204: noContent, 409: problemDoc("You are the last owner") },
    },
  ),
  async (c) => {
    const userId = currentUserId(c);
    const db = getDb(c.env.DB);
    await removeMember(db, currentTenantId(c), { userId, callerRole: callerRole(c), leaving: true }, actorOf(c));
    await publishEventSafely(db, c.env.OUTBOX, {
      tenantId: currentTenantId(c),
      type: "member.removed",
      data: { user_id: userId, reason: "left" },
    });
    return c.body(null, 204);
  },
);

membersRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "ownership:transfer" },
    {
      method: "post",
      path: "/tenant/transfer-ownership",
      tags: ["Members"],
      summary: "Make another member owner; you become admin",
      request: jsonBody(z.object({ user_id: z.string().min(1).max(64) }).openapi("TransferOwnership")),
      responses: { 200: jsonResponse(memberSchema, "The new owner") },
    },
  ),
  async (c) => {
    const { user_id } = c.req.valid("json");
    const owner = await transferOwnership(
      getDb(c.env.DB),
      currentTenantId(c),
      { fromUserId: currentUserId(c), toUserId: user_id },
      actorOf(c),
    );
    return c.json(owner, 200);
  },
);
