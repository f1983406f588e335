import { inArray } from "drizzle-orm";
import type { Context } from "hono";
import { endUsers } from "../../../schema/endusers";
import { auditInsert, actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv, Principal } from "../../platform/context";
import { getDb, tenantScope, type Db } from "../../platform/db";
import { getUserProfile } from "../../platform/directory";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { addReply, getTicket, listTickets, markTicketRead, setTicketStatus, ticketMessages, type TicketRow } from "../tickets";
import { getEndUser } from "./accounts.service";
import {
  listShares,
  notifyTicketReply,
  serializeMessages,
  serializeShare,
  serializeShares,
  serializeTicket,
  shareFileWith,
  unshareFile,
} from "./portal.service";
import * as ps from "./portal.schemas";
import { portalSite } from "./settings.service";

/**
 * The workspace's side of the portal (mounted at /api/v1): support tickets in the agent inbox (read
 * with `chat:read`, answered with `chat:reply`, like chat conversations), and files staff share with
 * one end user (`endusers:manage`). An agent's reply reaches the end user by email and in-app.
 */
export const portalStaffRoutes = createRouter();
const tags = ["Support tickets"];
const READ = { auth: "tenant", permission: "chat:read" } as const;
const REPLY = { auth: "tenant", permission: "chat:reply" } as const;
const idP = idParam("id", "tkt_01jd0000000000000000000000");

async function withEndUsers(db: Db, tenantId: string, rows: TicketRow[]) {
  const ids = [...new Set(rows.map((r) => r.endUserId))];
  const people = ids.length
    ? await db
        .select({ id: endUsers.id, email: endUsers.email, name: endUsers.name })
        .from(endUsers)
        .where(tenantScope(db, tenantId).where(endUsers, inArray(endUsers.id, ids)))
    : [];
  return rows.map((t) => {
    const { unread: _u, ...rest } = serializeTicket(t);
    const p = people.find((x) => x.id === t.endUserId);
    return {
      ...rest,
      unread_agent: t.unreadAgent,
      assignee_id: t.assigneeId,
      end_user: { id: t.endUserId, email: p?.email ?? null, name: p?.name || null }, // null once erased
    };
  });
}

async function staffDetail(c: Context<AppEnv>, tenantId: string, id: string) {
  const db = getDb(c.env.DB);
  const t = await getTicket(db, tenantId, id);
  const [row] = await withEndUsers(db, tenantId, [{ ...t }]);
  const messages = await serializeMessages(c.env, tenantId, await ticketMessages(db, tenantId, id), appOrigin(c));
  return { ...(row as NonNullable<typeof row>), messages };
}

portalStaffRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/tickets",
    tags,
    summary: "Support tickets from the portal, newest activity first (the agent inbox lists them beside conversations)",
    request: { query: ps.ticketListQuery },
    responses: { 200: jsonResponse(pageSchema(ps.staffTicketSchema), "Tickets") },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const db = getDb(c.env.DB);
    const page = await listTickets(db, tenantId, c.req.valid("query"));
    return c.json({ data: await withEndUsers(db, tenantId, page.data), next_cursor: page.next_cursor }, 200);
  },
);

portalStaffRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/tickets/{id}",
    tags,
    summary: "A ticket with its messages (marks the customer's messages read)",
    request: { params: idP },
    responses: { 200: jsonResponse(ps.staffTicketDetailSchema, "Ticket") },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const db = getDb(c.env.DB);
    const t = await getTicket(db, tenantId, c.req.valid("param").id);
    await markTicketRead(db, tenantId, t, "agent");
    return c.json(await staffDetail(c, tenantId, t.id), 200);
  },
);

const agentName = async (c: Context<AppEnv>) => {
  const p = c.get("principal") as Principal | undefined;
  if (p?.kind !== "user") return "Support";
  return (await getUserProfile(getDb(c.env.DB), p.userId))?.name || "Support";
};

portalStaffRoutes.openapi(
  defineRoute(REPLY, {
    method: "post",
    path: "/tickets/{id}/replies",
    tags,
    summary: "Answer a ticket: the customer sees it in the portal and gets it by email and as a notification",
    request: { params: idP, ...jsonBody(ps.staffReplyBody) },
    responses: { 201: jsonResponse(ps.staffTicketDetailSchema, "Sent") },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const db = getDb(c.env.DB);
    const t = await getTicket(db, tenantId, c.req.valid("param").id);
    const body = c.req.valid("json").message;
    const actor = actorOf(c);
    const name = await agentName(c);
    const { ticket, message } = await addReply(db, tenantId, t, {
      author: "agent",
      authorId: actor.id ?? "api",
      authorName: name,
      body,
      attachments: [],
    });
    const site = await portalSite(db, tenantId);
    await getEndUser(db, tenantId, t.endUserId).then(
      () =>
        notifyTicketReply(c.env, db, {
          tenantId,
          ticket,
          agentName: name,
          body,
          site: site.name,
          portalUrl: `${appOrigin(c)}/portal/${site.slug}`,
          messageId: message.id,
        }),
      () => undefined, // the end user was erased: the reply stays on the ticket, nobody to tell
    );
    return c.json(await staffDetail(c, tenantId, t.id), 201);
  },
);

portalStaffRoutes.openapi(
  defineRoute(REPLY, {
    method: "patch",
    path: "/tickets/{id}",
    tags,
    summary: "Change a ticket's status (open, answered, closed)",
    request: { params: idP, ...jsonBody(ps.ticketPatch) },
    responses: { 200: jsonResponse(ps.staffTicketDetailSchema, "Changed") },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const db = getDb(c.env.DB);
    const t = await getTicket(db, tenantId, c.req.valid("param").id);
    await setTicketStatus(db, tenantId, t, c.req.valid("json").status);
    return c.json(await staffDetail(c, tenantId, t.id), 200);
  },
);

// ---- Files shared with one end user ---------------------------------------------------------------

const MANAGE = { auth: "tenant", permission: "endusers:manage" } as const;
const euP = idParam("id", "eu_01jd0000000000000000000000");

portalStaffRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "endusers:read" },
    {
      method: "get",
      path: "/end-users/{id}/files",
      tags: ["End users"],
      summary: "Files in an end user's portal: shared by staff and their own uploads",
      request: { params: euP, query: ps.fileListQuery },
      responses: { 200: jsonResponse(pageSchema(ps.sharedFileSchema), "Files") },
    },
  ),
  async (c) => {
    const tenantId = currentTenantId(c);
    const db = getDb(c.env.DB);
    const user = await getEndUser(db, tenantId, c.req.valid("param").id);
    const page = await listShares(db, tenantId, user.id, c.req.valid("query"));
    const origin = appOrigin(c);
    return c.json({ data: await serializeShares(c.env, page.data, origin), next_cursor: page.next_cursor }, 200);
  },
);

portalStaffRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/end-users/{id}/files",
    tags: ["End users"],
    summary: "Share a file of the workspace (from Files) with this end user: it appears in their portal",
    request: { params: euP, ...jsonBody(ps.shareBody) },
    responses: { 201: jsonResponse(ps.sharedFileSchema, "Shared") },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const db = getDb(c.env.DB);
    const b = c.req.valid("json");
    const actor = actorOf(c);
    const endUserId = c.req.valid("param").id;
    const share = await shareFileWith(c.env, db, tenantId, endUserId, b.file_id, actor.id, b.note);
    await auditInsert(db, actor, {
      tenantId,
      action: "endusers.file_shared",
      target: { type: "end_user", id: endUserId },
      metadata: { file_id: b.file_id },
    });
    return c.json(await serializeShare(c.env, share, appOrigin(c)), 201);
  },
);

portalStaffRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/end-users/{id}/files/{fileId}",
    tags: ["End users"],
    summary: "Stop sharing a file with this end user (the file stays in Files)",
    request: { params: euP.extend(idParam("fileId", "fil_01jd0000000000000000000000").shape) },
    responses: { 204: noContent },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const db = getDb(c.env.DB);
    const { id, fileId } = c.req.valid("param");
    await unshareFile(db, tenantId, id, fileId);
    await auditInsert(db, actorOf(c), {
      tenantId,
      action: "endusers.file_unshared",
      target: { type: "end_user", id },
      metadata: { file_id: fileId },
    });
    return c.body(null, 204);
  },
);
