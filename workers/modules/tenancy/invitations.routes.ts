import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentUserId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { syncPaidSeats } from "../billing";
import { callerRole } from "./context";
import { acceptInvitationAsUser, lookupInvitation } from "./invitation-accept.service";
import {
  createInvitation,
  describeInviter,
  INVITATION_STATUSES,
  listInvitations,
  resendInvitation,
  revokeInvitation,
  type InviteContext,
} from "./invitations.service";
import { idParam } from "../../platform/params";
import { publishEventSafely } from "../webhooks";
import { roleSchema } from "./schemas";
import { currentTenantId } from "../../platform/auth";
import { problemDoc } from "../../platform/router";
import { recordProductEvent } from "../../platform/product-events";

const statusSchema = z.enum(INVITATION_STATUSES);
const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: roleSchema,
    status: statusSchema,
    invited_by: z.string(),
    expires_at: z.string(),
    last_sent_at: z.string(),
    send_count: z.number().int(),
    accepted_at: z.string().nullable(),
    accepted_by: z.string().nullable(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Invitation");
const previewSchema = z
  .object({
    workspace: z.object({ name: z.string() }),
    email: z.string(),
    role: roleSchema,
    inviter_name: z.string().nullable(),
    expires_at: z.string(),
    status: statusSchema,
  })
  .openapi("InvitationPreview");
const tokenSchema = z.string().min(10).max(200);
const invitationIdParam = idParam("id", "inv_01jd0000000000000000000000");

async function inviteContext(c: Context<AppEnv>, db: Db): Promise<InviteContext> {
  const inviter = await describeInviter(db, c.get("principal"));
  return {
    tenantId: currentTenantId(c),
    maxRole: callerRole(c),
    inviterId: inviter.id,
    inviterName: inviter.name,
    origin: appOrigin(c),
    outbox: c.env.OUTBOX,
  };
}

export const invitationsRoutes = createRouter();

invitationsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "members:invite" },
    {
      method: "post",
      path: "/invitations",
      tags: ["Invitations"],
      summary: "Invite someone by email",
      description: "Emails a single-use link valid for 7 days. The role may not exceed yours (admins cannot invite owners).",
      request: jsonBody(z.object({ email: z.email().max(254), role: roleSchema }).openapi("CreateInvitation")),
      responses: {
        201: jsonResponse(invitationSchema, "Invited; the email is on its way"),
        402: problemDoc("No free seat: members + pending invitations fill the plan's seats (`limit`, `current_usage`, `upgrade_url`)"),
        409: problemDoc("Already a member, or already invited"),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const invitation = await createInvitation(db, await inviteContext(c, db), c.req.valid("json"), actorOf(c));
    const p = c.get("principal");
    const tenantId = c.get("tenant").id;
    await recordProductEvent(c.env, {
      name: "member_invited",
      userId: p.kind === "user" ? p.userId : null,
      tenantId,
      key: `member_invited:${tenantId}`,
    });
    return c.json(invitation, 201);
  },
);

invitationsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "members:invite" },
    {
      method: "get",
      path: "/invitations",
      tags: ["Invitations"],
      summary: "Invitations of the workspace",
      request: { query: pageQuerySchema.extend({ status: statusSchema.optional() }) },
      responses: { 200: jsonResponse(pageSchema(invitationSchema), "Newest first") },
    },
  ),
  async (c) => c.json(await listInvitations(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

invitationsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "members:invite" },
    {
      method: "post",
      path: "/invitations/{id}/resend",
      tags: ["Invitations"],
      summary: "Send a pending invitation again",
      description: "Issues a new link (the previous one stops working) and restarts the 7 days.",
      request: { params: invitationIdParam },
      responses: {
        200: jsonResponse(invitationSchema, "Sent again"),
        402: problemDoc("An expired invitation would take a seat the workspace does not have"),
        409: problemDoc("Not pending"),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const { id } = c.req.valid("param");
    return c.json(await resendInvitation(db, await inviteContext(c, db), id as string, actorOf(c)), 200);
  },
);

invitationsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "members:invite" },
    {
      method: "delete",
      path: "/invitations/{id}",
      tags: ["Invitations"],
      summary: "Revoke an invitation",
      request: { params: invitationIdParam },
      responses: { 204: noContent, 409: problemDoc("Already accepted") },
    },
  ),
  async (c) => {
    const { id } = c.req.valid("param");
    await revokeInvitation(getDb(c.env.DB), currentTenantId(c), id as string, actorOf(c));
    return c.body(null, 204);
  },
);

invitationsRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/invitations/lookup",
      tags: ["Invitations"],
      summary: "Preview an invitation from its link (before signing in)",
      request: { query: z.object({ token: tokenSchema }) },
      responses: {
        200: jsonResponse(previewSchema, "The invitation; `status` says whether it can still be accepted"),
        404: problemDoc("Unknown token"),
      },
    },
  ),
  async (c) => c.json(await lookupInvitation(getDb(c.env.DB), c.req.valid("query").token), 200),
);

invitationsRoutes.openapi(
  defineRoute(
    { auth: "user" },
    {
      method: "post",
      path: "/invitations/accept",
      tags: ["Invitations"],
      summary: "Accept an invitation as the signed-in user",
      description: "The signed-in account's email must be the invited one (403). Expired or revoked: 410. Already used: 409.",
      request: jsonBody(z.object({ token: tokenSchema }).openapi("AcceptInvitation")),
      responses: {
        200: jsonResponse(
          z
            .object({ tenant: z.object({ id: z.string(), name: z.string(), slug: z.string() }), role: roleSchema })
            .openapi("AcceptedInvitation"),
          "You are now a member",
        ),
        402: problemDoc("The workspace has no free seat; the invitation stays valid until it upgrades"),
        403: problemDoc("The invitation is for another email address"),
        404: problemDoc("Unknown token"),
        409: problemDoc("Already used, or already a member"),
        410: problemDoc("Expired or revoked"),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const joined = await acceptInvitationAsUser(db, c.req.valid("json").token, currentUserId(c), actorOf(c), { origin: appOrigin(c) });
    await syncPaidSeats(c.env, joined.tenant.id, appOrigin(c), actorOf(c));
    await publishEventSafely(db, c.env.OUTBOX, {
      tenantId: joined.tenant.id,
      type: "member.joined",
      data: { user_id: currentUserId(c), role: joined.role },
    });
    return c.json(joined, 200);
  },
);
