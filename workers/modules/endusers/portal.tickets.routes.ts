import type { Context } from "hono";
import type { AppEnv, EndUserPrincipal } from "../../platform/context";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { addReply, createTicket, getTicket, listTickets, markTicketRead, setTicketStatus, ticketMessages } from "../tickets";
import { attachmentsOf, serializeMessages, serializeTicket } from "./portal.service";
import * as ps from "./portal.schemas";
import { portalParam } from "./schemas";

/**
 * An end user's support tickets (`{ auth: "enduser" }`): open one (with files they uploaded or were
 * given), read the thread, answer, close. Staff answer from the agent inbox (tickets.staff.routes.ts).
 */
export const portalTicketRoutes = createRouter();
const tags = ["End users (portal)"];
const P = "/portal/{portal}";
const me = (c: Context<AppEnv>): EndUserPrincipal => c.get("endUser");
const params = portalParam.extend(idParam("id", "tkt_01jd0000000000000000000000").shape);

export async function ticketDetail(c: Context<AppEnv>, tenantId: string, ticketId: string, endUserId: string) {
  const db = getDb(c.env.DB);
  const t = await getTicket(db, tenantId, ticketId, endUserId);
  await markTicketRead(db, tenantId, t, "enduser");
  const messages = await serializeMessages(c.env, tenantId, await ticketMessages(db, tenantId, t.id), appOrigin(c));
  return { ...serializeTicket({ ...t, unreadEndUser: 0 }), messages };
}

portalTicketRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/tickets`,
      tags,
      summary: "Your support tickets, newest activity first",
      request: { params: portalParam, query: ps.ticketListQuery },
      responses: { 200: jsonResponse(pageSchema(ps.ticketSchema), "Tickets") },
    },
  ),
  async (c) => {
    const u = me(c);
    const q = c.req.valid("query");
    const page = await listTickets(getDb(c.env.DB), u.tenantId, { ...q, endUserId: u.id });
    return c.json({ data: page.data.map(serializeTicket), next_cursor: page.next_cursor }, 200);
  },
);

portalTicketRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/tickets`,
      tags,
      summary: "Open a support ticket; it appears in the workspace's agent inbox",
      request: { params: portalParam, ...jsonBody(ps.newTicketBody) },
      responses: { 201: jsonResponse(ps.ticketDetailSchema, "Opened") },
    },
  ),
  async (c) => {
    const u = me(c);
    const b = c.req.valid("json");
    const db = getDb(c.env.DB);
    const attachments = await attachmentsOf(c.env, db, u.tenantId, u.id, b.attachments);
    const t = await createTicket(db, u.tenantId, {
      endUserId: u.id,
      authorName: u.name || u.email,
      subject: b.subject,
      body: b.message,
      attachments,
    });
    return c.json(await ticketDetail(c, u.tenantId, t.id, u.id), 201);
  },
);

portalTicketRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/tickets/{id}`,
      tags,
      summary: "One of your tickets with its messages (marks the replies read)",
      request: { params },
      responses: { 200: jsonResponse(ps.ticketDetailSchema, "Ticket") },
    },
  ),
  async (c) => {
    const u = me(c);
    return c.json(await ticketDetail(c, u.tenantId, c.req.valid("param").id, u.id), 200);
  },
);

portalTicketRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/tickets/{id}/replies`,
      tags,
      summary: "Answer on one of your tickets (reopens it if it was closed)",
      request: { params, ...jsonBody(ps.replyBody) },
      responses: { 201: jsonResponse(ps.ticketDetailSchema, "Added") },
    },
  ),
  async (c) => {
    const u = me(c);
    const b = c.req.valid("json");
    const db = getDb(c.env.DB);
    const t = await getTicket(db, u.tenantId, c.req.valid("param").id, u.id);
    const attachments = await attachmentsOf(c.env, db, u.tenantId, u.id, b.attachments);
    await addReply(db, u.tenantId, t, { author: "enduser", authorId: u.id, authorName: u.name || u.email, body: b.message, attachments });
    return c.json(await ticketDetail(c, u.tenantId, t.id, u.id), 201);
  },
);

portalTicketRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/tickets/{id}/close`,
      tags,
      summary: "Close one of your tickets (a later message reopens it)",
      request: { params },
      responses: { 200: jsonResponse(ps.ticketSchema, "Closed") },
    },
  ),
  async (c) => {
    const u = me(c);
    const db = getDb(c.env.DB);
    const t = await getTicket(db, u.tenantId, c.req.valid("param").id, u.id);
    return c.json(serializeTicket(await setTicketStatus(db, u.tenantId, t, "closed")), 200);
  },
);
