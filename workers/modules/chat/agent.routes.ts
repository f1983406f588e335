import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { AppEnv } from "../../platform/context";
import { actorOf } from "../../platform/audit";
import { currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { badRequest, unauthorized } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { getUser } from "../identity/users.service";
import { getMember } from "../tenancy/members.service";
import { createCanned, deleteCanned, listCanned } from "./canned.service";
import { getConversation, getConversationDetail, INBOX_VIEWS, listConversations, listMessages } from "./conversations.service";
import { inboxStub, sessionStub } from "./env";
import { MAX_MESSAGE_CHARS, type ChatPrincipal } from "./protocol";
import { replyEngine } from "./replies";
import { getSettings, rotateIdentitySecret, serializeSettings, updateSettings } from "./settings.service";
import { currentTenantId } from "../../platform/auth";

const TAG = ["Chat inbox"];
const convParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, example: "conv_01jd0000000000000000000000" }) });
const citationSchema = z.object({ title: z.string(), url: z.string().nullable().optional(), snippet: z.string().nullable().optional() });
const conversationSchema = z
  .object({
    id: z.string(),
    status: z.enum(["open", "waiting", "assigned", "closed"]),
    assignee_id: z.string().nullable(),
    visitor_id: z.string(),
    visitor_name: z.string().nullable(),
    visitor_email: z.string().nullable(),
    user_id: z.string().nullable(),
    page_url: z.string().nullable(),
    prechat: z.record(z.string(), z.string()).nullable(),
    last_message: z.string().nullable(),
    last_message_at: z.string(),
    message_count: z.number().int(),
    unread: z.number().int(),
    csat_rating: z.number().int().nullable(),
    csat_comment: z.string().nullable(),
    closed_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ChatConversation");
const conversationDetailSchema = conversationSchema
  .extend({
    visitor: z
      .object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable(), user_id: z.string().nullable(), verified: z.boolean(), first_seen_at: z.string(), last_seen_at: z.string(), conversations: z.number().int() })
      .nullable(),
  })
  .openapi("ChatConversationDetail");
const messageSchema = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    role: z.enum(["visitor", "agent", "ai", "system"]),
    author_id: z.string().nullable(),
    author_name: z.string().nullable(),
    body: z.string(),
    citations: z.array(citationSchema).nullable(),
    created_at: z.string(),
  })
  .openapi("ChatTranscriptMessage");
const stateSchema = z.object({ id: z.string(), status: z.string(), assignee_id: z.string().nullable(), assignee_name: z.string().nullable(), csat_rating: z.number().int().nullable(), last_seq: z.number().int() });
const prechatSchema = z.object({ enabled: z.boolean(), name: z.enum(["off", "optional", "required"]), email: z.enum(["off", "optional", "required"]) });
const settingsSchema = z
  .object({
    color: z.string(),
    position: z.enum(["right", "left"]),
    theme: z.enum(["auto", "light", "dark"]),
    locale: z.string(),
    title: z.string().nullable(),
    logo_url: z.string().nullable(),
    greeting: z.string(),
    prechat: prechatSchema,
    ai_enabled: z.boolean(),
    notify_email: z.string().nullable(),
    identity_required: z.boolean(),
    has_identity_secret: z.boolean(),
    updated_at: z.string().nullable(),
  })
  .openapi("ChatSettings");
const cannedSchema = z.object({ id: z.string(), shortcut: z.string(), body: z.string(), created_by: z.string(), created_at: z.string() }).openapi("ChatCannedResponse");

export const CHAT_LOCALES = ["auto", "en", "es", "de", "fr"] as const;

/** Agent identity for DO calls: users by name; API keys act as "API". */
async function agentOf(c: Context<AppEnv>): Promise<ChatPrincipal> {
  const p = c.get("principal");
  if (p.kind === "api_key") return { kind: "agent", id: p.keyId, name: "API", verified: true };
  const u = await getUser(getDb(c.env.DB), p.userId);
  return { kind: "agent", id: p.userId, name: u?.name ?? u?.email ?? "Agent", verified: true };
}

export const chatAgentRoutes = createRouter();

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:read" }, {
    method: "get",
    path: "/chat/conversations",
    tags: TAG,
    summary: "Conversations (open, waiting for a person, assigned, mine, closed)",
    request: {
      query: pageQuerySchema.extend({
        view: z.enum(INBOX_VIEWS).default("all"),
        q: z.string().trim().max(200).optional().openapi({ description: "Transcript text, visitor name or email contains" }),
      }),
    },
    responses: { 200: jsonResponse(pageSchema(conversationSchema), "Newest first") },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const p = c.get("principal");
    const userId = p.kind === "user" ? p.userId : p.keyId;
    return c.json(await listConversations(getDb(c.env.DB), currentTenantId(c), { ...q, q: q.q || undefined, userId }), 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:read" }, {
    method: "get",
    path: "/chat/conversations/{id}",
    tags: TAG,
    summary: "A conversation with visitor details",
    request: { params: convParam },
    responses: { 200: jsonResponse(conversationDetailSchema, "The conversation") },
  }),
  async (c) => c.json(await getConversationDetail(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id), 200),
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:read" }, {
    method: "get",
    path: "/chat/conversations/{id}/messages",
    tags: TAG,
    summary: "Transcript (D1 mirror), in order",
    request: { params: convParam, query: z.object({ after_seq: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(200) }) },
    responses: { 200: jsonResponse(z.object({ data: z.array(messageSchema), next_after_seq: z.number().int().nullable() }), "Messages after `after_seq`") },
  }),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(await listMessages(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, q.after_seq, q.limit), 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:reply" }, {
    method: "post",
    path: "/chat/conversations/{id}/messages",
    tags: TAG,
    summary: "Reply as an agent (takes the conversation over from the AI)",
    request: { params: convParam, ...jsonBody(z.object({ body: z.string().trim().min(1, "Write a reply").max(MAX_MESSAGE_CHARS), client_id: z.string().min(1).max(64).optional() })) },
    responses: { 201: jsonResponse(messageSchema.extend({ client_id: z.string().nullable() }), "Sent") },
  }),
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
  defineRoute({ auth: "tenant", permission: "chat:reply" }, {
    method: "post",
    path: "/chat/conversations/{id}/assign",
    tags: TAG,
    summary: "Assign to a member (or `null` to put it back to waiting)",
    request: { params: convParam, ...jsonBody(z.object({ user_id: z.string().min(1).max(64).nullable() })) },
    responses: { 200: jsonResponse(stateSchema, "New state") },
  }),
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
  defineRoute({ auth: "tenant", permission: "chat:reply" }, {
    method: "post",
    path: "/chat/conversations/{id}/close",
    tags: TAG,
    summary: "Close the conversation (the visitor is asked for a rating)",
    request: { params: convParam },
    responses: { 200: jsonResponse(stateSchema, "New state") },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const conv = await getConversation(getDb(c.env.DB), tenantId, c.req.valid("param").id);
    return c.json(await sessionStub(c.env, tenantId, conv.id).close(await agentOf(c)), 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:read" }, {
    method: "post",
    path: "/chat/conversations/{id}/read",
    tags: TAG,
    summary: "Mark the conversation read (resets its unread count)",
    request: { params: convParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const conv = await getConversation(getDb(c.env.DB), tenantId, c.req.valid("param").id);
    await sessionStub(c.env, tenantId, conv.id).markRead();
    return c.body(null, 204);
  },
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:reply" }, {
    method: "post",
    path: "/chat/conversations/{id}/suggest",
    tags: TAG,
    summary: "AI-suggested reply to the visitor's last message (not sent)",
    request: { params: convParam },
    responses: { 200: jsonResponse(z.object({ text: z.string(), citations: z.array(citationSchema), engine: z.string() }), "A draft for the agent to edit") },
  }),
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
    const history = data.filter((m) => m.role !== "system" && m.seq !== lastVisitor.seq).map((m) => ({ role: m.role === "visitor" ? ("user" as const) : ("assistant" as const), content: m.body }));
    for await (const e of engine.answer({ env: c.env, tenantId, question: lastVisitor.body, history })) {
      if (e.type === "token") text += e.text;
      else if (e.type === "citation") citations.push(e.citation);
    }
    return c.json({ text: text.trim(), citations, engine: engine.name }, 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:read" }, {
    method: "get",
    path: "/chat/presence",
    tags: TAG,
    summary: "Agents online in the inbox now",
    responses: { 200: jsonResponse(z.object({ online: z.number().int(), agents: z.array(z.object({ id: z.string(), name: z.string().nullable() })) }), "Presence") },
  }),
  async (c) => c.json(await inboxStub(c.env, currentTenantId(c)).presence(), 200),
);

// ---- saved replies

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:read" }, {
    method: "get",
    path: "/chat/canned-responses",
    tags: TAG,
    summary: "Saved replies (also what the local answerer answers from)",
    responses: { 200: jsonResponse(z.object({ data: z.array(cannedSchema) }), "By shortcut") },
  }),
  async (c) => c.json({ data: await listCanned(getDb(c.env.DB), currentTenantId(c)) }, 200),
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:manage" }, {
    method: "post",
    path: "/chat/canned-responses",
    tags: TAG,
    summary: "Create a saved reply",
    request: jsonBody(
      z.object({
        shortcut: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use 1–40 lower-case letters, digits, - or _"),
        body: z.string().trim().min(1, "Write the reply").max(MAX_MESSAGE_CHARS),
      }),
    ),
    responses: { 201: jsonResponse(cannedSchema, "Created") },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const p = c.get("principal");
    return c.json(await createCanned(getDb(c.env.DB), currentTenantId(c), { ...body, createdBy: p.kind === "user" ? p.userId : p.keyId }), 201);
  },
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:manage" }, {
    method: "delete",
    path: "/chat/canned-responses/{id}",
    tags: TAG,
    summary: "Delete a saved reply",
    request: { params: convParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteCanned(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id);
    return c.body(null, 204);
  },
);

// ---- widget settings

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:read" }, {
    method: "get",
    path: "/chat/settings",
    tags: TAG,
    summary: "Widget settings",
    responses: { 200: jsonResponse(settingsSchema, "Settings (the identity secret is never returned)") },
  }),
  async (c) => {
    return c.json(serializeSettings(await getSettings(getDb(c.env.DB), currentTenantId(c))), 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:manage" }, {
    method: "patch",
    path: "/chat/settings",
    tags: TAG,
    summary: "Change appearance, greeting, pre-chat form, AI and identity enforcement",
    request: jsonBody(
      z.object({
        color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a hex colour like #4f46e5").optional(),
        position: z.enum(["right", "left"]).optional(),
        theme: z.enum(["auto", "light", "dark"]).optional(),
        locale: z.enum(CHAT_LOCALES).optional(),
        title: z.string().trim().max(80).nullable().optional(),
        logo_url: z.url().max(2000).refine((u) => u.startsWith("https://") || u.startsWith("http://localhost"), "Use an https:// URL").nullable().optional(),
        greeting: z.string().trim().min(1, "Write a greeting").max(300).optional(),
        prechat: prechatSchema.optional(),
        ai_enabled: z.boolean().optional(),
        notify_email: z.email().max(320).nullable().optional(),
        identity_required: z.boolean().optional(),
      }),
    ),
    responses: { 200: jsonResponse(settingsSchema, "Updated") },
  }),
  async (c) => {
    const b = c.req.valid("json");
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    if (b.identity_required) {
      if (!(await getSettings(db, tenantId)).identitySecretEnc) throw badRequest("Create an identity secret before enforcing identity verification.");
    }
    const next = await updateSettings(
      db,
      tenantId,
      { color: b.color, position: b.position, theme: b.theme, locale: b.locale, title: b.title, logoUrl: b.logo_url, greeting: b.greeting, prechat: b.prechat, aiEnabled: b.ai_enabled, notifyEmail: b.notify_email, identityRequired: b.identity_required },
      actorOf(c),
    );
    return c.json(serializeSettings(next), 200);
  },
);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:manage" }, {
    method: "post",
    path: "/chat/settings/identity-secret",
    tags: TAG,
    summary: "Create or rotate the identity-verification secret (shown once)",
    responses: { 201: jsonResponse(z.object({ secret: z.string() }), "Keep it on your server; the old secret stops working now") },
  }),
  async (c) => c.json({ secret: await rotateIdentitySecret(getDb(c.env.DB), c.env, currentTenantId(c), actorOf(c)) }, 201),
);

// ---- WebSocket tickets: browsers cannot set headers on a WebSocket, so a short-lived ticket is minted here.

const TICKET_TTL_SECONDS = 60;
const ticketKey = (c: Context<AppEnv>) => new TextEncoder().encode(`chat-ticket:${getConfig(c.env).JWT_SECRET}`);

chatAgentRoutes.openapi(
  defineRoute({ auth: "tenant", permission: "chat:read" }, {
    method: "post",
    path: "/chat/ws-ticket",
    tags: TAG,
    summary: "A 60-second ticket for the inbox / conversation WebSockets",
    responses: { 201: jsonResponse(z.object({ ticket: z.string(), expires_in: z.number().int() }), "Pass as `?ticket=`") },
  }),
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
    return { tenantId: payload.tid, agent: { kind: "agent", id: payload.sub, name: (payload.name as string) ?? null, verified: true }, canReply: payload.reply === true };
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
chatAgentRoutes.get("/chat/inbox/ws", async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.text("Expected a WebSocket upgrade", 426);
  const { tenantId, agent } = await verifyTicket(c);
  return forward(inboxStub(c.env, tenantId), c, { id: agent.id, name: agent.name });
});

/** An agent joining one conversation's ChatSession (viewers only watch: their messages are refused). */
chatAgentRoutes.get("/chat/conversations/:id/ws", async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.text("Expected a WebSocket upgrade", 426);
  const { tenantId, agent, canReply } = await verifyTicket(c);
  const conv = await getConversation(getDb(c.env.DB), tenantId, c.req.param("id"));
  return forward(sessionStub(c.env, tenantId, conv.id), c, { ...agent, verified: canReply });
});
