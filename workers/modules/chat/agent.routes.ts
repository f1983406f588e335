/** Agent inbox API: conversations (list/search, detail, transcript, reply, assign, close, read, AI suggestion) and presence. */
import { z } from "@hono/zod-openapi";
import { getDb } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { currentTenantId } from "../../platform/auth";
import { getMember } from "../../platform/directory";
import { agentOf } from "./agent.principal";
import { conversationDetailSchema, conversationSchema, stateSchema, TAG } from "./agent.schemas";
import { citationSchema, convParam, messageSchema } from "./schemas";
import { getConversation, getConversationDetail, INBOX_VIEWS, listConversations, listMessages } from "./conversations.service";
import { inboxStub, sessionStub } from "./env";
import { MAX_MESSAGE_CHARS } from "./protocol";
import { replyEngine } from "./replies";

export const chatAgentRoutes = createRouter();

chatAgentRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:read" },
    {
      method: "get",
      path: "/chat/conversations",
      tags: TAG,
      summary: "Conversations (open, waiting for a person, assigned, mine, closed)",
      request: {
        query: pageQuerySchema.extend({
          view: z.enum(INBOX_VIEWS).default("all"),
          q: z.string().trim().max(200).optional().openapi({
            description:
              "Search: every word in a transcript line (full-text, word prefixes, best match first), or the visitor name/email containing the text",
          }),
        }),
      },
      responses: { 200: jsonResponse(pageSchema(conversationSchema), "Newest first") },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    const p = c.get("principal");
    const userId = p.kind === "user" ? p.userId : p.keyId;
    return c.json(await listConversations(getDb(c.env.DB), currentTenantId(c), { ...q, q: q.q || undefined, userId }), 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:read" },
    {
      method: "get",
      path: "/chat/conversations/{id}",
      tags: TAG,
      summary: "A conversation with visitor details",
      request: { params: convParam },
      responses: { 200: jsonResponse(conversationDetailSchema, "The conversation") },
    },
  ),
  async (c) => c.json(await getConversationDetail(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id), 200),
);

chatAgentRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:read" },
    {
      method: "get",
      path: "/chat/conversations/{id}/messages",
      tags: TAG,
      summary: "Transcript (D1 mirror), in order",
      request: {
        params: convParam,
        query: z.object({
          after_seq: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(messageSchema), next_after_seq: z.number().int().nullable() }),
          "Messages after `after_seq`",
        ),
      },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(await listMessages(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, q.after_seq, q.limit), 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:reply" },
    {
      method: "post",
      path: "/chat/conversations/{id}/messages",
      tags: TAG,
      summary: "Reply as an agent (takes the conversation over from the AI)",
      request: {
        params: convParam,
        ...jsonBody(
          z.object({
            body: z.string().trim().min(1, "Write a reply").max(MAX_MESSAGE_CHARS),
            client_id: z.string().min(1).max(64).optional(),
          }),
        ),
      },
      responses: { 201: jsonResponse(messageSchema.extend({ client_id: z.string().nullable() }), "Sent") },
    },
  ),
  async (c) => {
    const tenantId = currentTenantId(c);
    const conv = await getConversation(getDb(c.env.DB), tenantId, c.req.valid("param").id);
    if (conv.status === "closed") throw badRequest("This conversation is closed.");
    const body = c.req.valid("json");
    const msg = await sessionStub(c.env, tenantId, conv.id).post(await agentOf(c), body.body, body.client_id);
    return c.json(msg, 201);
  },
);

chatAgentRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:reply" },
    {
      method: "post",
      path: "/chat/conversations/{id}/assign",
      tags: TAG,
      summary: "Assign to a member (or `null` to put it back to waiting)",
      request: { params: convParam, ...jsonBody(z.object({ user_id: z.string().min(1).max(64).nullable() })) },
      responses: { 200: jsonResponse(stateSchema, "New state") },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const conv = await getConversation(db, tenantId, c.req.valid("param").id);
    const { user_id } = c.req.valid("json");
    let agent: { id: string; name: string | null } | null = null;
    if (user_id) {
      const m = await getMember(db, tenantId, user_id);
      agent = { id: m.userId, name: m.name };
    }
    return c.json(await sessionStub(c.env, tenantId, conv.id).assign(agent), 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:reply" },
    {
      method: "post",
      path: "/chat/conversations/{id}/close",
      tags: TAG,
      summary: "Close the conversation (the visitor is asked for a rating)",
      request: { params: convParam },
      responses: { 200: jsonResponse(stateSchema, "New state") },
    },
  ),
  async (c) => {
    const tenantId = currentTenantId(c);
    const conv = await getConversation(getDb(c.env.DB), tenantId, c.req.valid("param").id);
    return c.json(await sessionStub(c.env, tenantId, conv.id).close(await agentOf(c)), 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:read" },
    {
      method: "post",
      path: "/chat/conversations/{id}/read",
      tags: TAG,
      summary: "Mark the conversation read (resets its unread count)",
      request: { params: convParam },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    const tenantId = currentTenantId(c);
    const conv = await getConversation(getDb(c.env.DB), tenantId, c.req.valid("param").id);
    await sessionStub(c.env, tenantId, conv.id).markRead();
    return c.body(null, 204);
  },
);

chatAgentRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:reply" },
    {
      method: "post",
      path: "/chat/conversations/{id}/suggest",
      tags: TAG,
      summary: "AI-suggested reply to the visitor's last message (not sent)",
      request: { params: convParam },
      responses: {
        200: jsonResponse(
          z.object({ text: z.string(), citations: z.array(citationSchema), engine: z.string() }),
          "A draft for the agent to edit",
        ),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const conv = await getConversation(db, tenantId, c.req.valid("param").id);
    const { data } = await listMessages(db, tenantId, conv.id, Math.max(0, conv.messageCount - 20), 20);
    const lastVisitor = [...data].reverse().find((m) => m.role === "visitor");
    if (!lastVisitor) throw badRequest("The visitor has not written anything to answer yet.");
    const engine = replyEngine(c.env);
    let text = "";
    const citations: { title: string; url?: string | null; snippet?: string | null }[] = [];
    const history = data
      .filter((m) => m.role !== "system" && m.seq !== lastVisitor.seq)
      .map((m) => ({ role: m.role === "visitor" ? ("user" as const) : ("assistant" as const), content: m.body }));
    for await (const e of engine.answer({ env: c.env, tenantId, question: lastVisitor.body, history })) {
      if (e.type === "token") text += e.text;
      else if (e.type === "citation") citations.push(e.citation);
    }
    return c.json({ text: text.trim(), citations, engine: engine.name }, 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "chat:read" },
    {
      method: "get",
      path: "/chat/presence",
      tags: TAG,
      summary: "Agents online in the inbox now",
      responses: {
        200: jsonResponse(
          z.object({ online: z.number().int(), agents: z.array(z.object({ id: z.string(), name: z.string().nullable() })) }),
          "Presence",
        ),
      },
    },
  ),
  async (c) => c.json(await inboxStub(c.env, currentTenantId(c)).presence(), 200),
);
