/** Agents' live connections: short-lived WebSocket tickets, the inbox feed (TenantInbox) and joining a conversation (ChatSession). */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { AppEnv } from "../../platform/context";
import { currentTenantId, currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { unauthorized } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { createRouter, defineRoute, jsonResponse } from "../../platform/router";
import { agentOf } from "./agent.principal";
import { TAG } from "./agent.schemas";
import { getConversation } from "./conversations.service";
import { inboxStub, sessionStub } from "./env";
import type { ChatPrincipal } from "./protocol";

export const chatAgentLiveRoutes = createRouter();

// ---- WebSocket tickets: browsers cannot set headers on a WebSocket, so a short-lived ticket is minted here.

const TICKET_TTL_SECONDS = 60;
const ticketKey = (c: Context<AppEnv>) => new TextEncoder().encode(`chat-ticket:${getConfig(c.env).JWT_SECRET}`);

chatAgentLiveRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:read" },
    {
      method: "post",
      path: "/chat/ws-ticket",
      tags: TAG,
      summary: "A 60-second ticket for the inbox / conversation WebSockets",
      responses: { 201: jsonResponse(z.object({ ticket: z.string(), expires_in: z.number().int() }), "Pass as `?ticket=`") },
    },
  ),
  async (c) => {
    const userId = currentUserId(c);
    const agent = await agentOf(c);
    const role = c.get("tenant").role;
    const ticket = await new SignJWT({ tid: currentTenantId(c), name: agent.name, reply: role !== "viewer" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setAudience("weft:chat-ticket")
      .setJti(newId("tkt"))
      .setIssuedAt()
      .setExpirationTime(`${TICKET_TTL_SECONDS}s`)
      .sign(ticketKey(c));
    return c.json({ ticket, expires_in: TICKET_TTL_SECONDS }, 201);
  },
);

async function verifyTicket(c: Context<AppEnv>): Promise<{ tenantId: string; agent: ChatPrincipal; canReply: boolean }> {
  const t = c.req.query("ticket");
  if (!t) throw unauthorized("Pass a ticket from POST /api/v1/chat/ws-ticket.");
  try {
    const { payload } = await jwtVerify(t, ticketKey(c), { algorithms: ["HS256"], audience: "weft:chat-ticket" });
    if (typeof payload.sub !== "string" || typeof payload.tid !== "string") throw unauthorized("Malformed ticket.");
    return {
      tenantId: payload.tid,
      agent: { kind: "agent", id: payload.sub, name: (payload.name as string) ?? null, verified: true },
      canReply: payload.reply === true,
    };
  } catch (e) {
    if (e instanceof joseErrors.JOSEError) throw unauthorized("The ticket is invalid or expired; get a new one.");
    throw e;
  }
}

function forward(stub: { fetch(r: Request): Promise<Response> }, c: Context<AppEnv>, principal: unknown) {
  const headers = new Headers(c.req.raw.headers);
  headers.set("X-Chat-Principal", JSON.stringify(principal));
  return stub.fetch(new Request(c.req.raw.url, { headers }));
}

/** Agents' live inbox feed (TenantInbox DO). */
chatAgentLiveRoutes.get("/chat/inbox/ws", async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.text("Expected a WebSocket upgrade", 426);
  const { tenantId, agent } = await verifyTicket(c);
  return forward(inboxStub(c.env, tenantId), c, { id: agent.id, name: agent.name });
});

/** An agent joining one conversation's ChatSession (viewers only watch: their messages are refused). */
chatAgentLiveRoutes.get("/chat/conversations/:id/ws", async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.text("Expected a WebSocket upgrade", 426);
  const { tenantId, agent, canReply } = await verifyTicket(c);
  const conv = await getConversation(getDb(c.env.DB), tenantId, c.req.param("id"));
  return forward(sessionStub(c.env, tenantId, conv.id), c, { ...agent, verified: canReply });
});
