import { z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { notFound, validationFailed } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { getTenant, listMembers } from "../../platform/directory";
import { send } from "../messaging";
import { chatEnv, inboxStub, sessionStub } from "./env";
import { getConfig } from "../../platform/env";
import { identityInputSchema, type IdentityInput, type VerifiedIdentity } from "./identity";
import { endUserFromToken } from "../../platform/end-users";
import { MAX_MESSAGE_CHARS, type ChatPrincipal } from "./protocol";
import { publicChat, visitorToken } from "./public.context";
import { replyEngine } from "./replies";
import { convParam, messageSchema, prechatSchema } from "./schemas";
import {
  createConversation,
  getVisitorConversation,
  listMessages,
  listVisitorConversations,
  serializeConversation,
} from "./conversations.service";
import { authenticateVisitor, serializeVisitor, startVisitor, updateVisitorContact } from "./visitors.service";

const TAG = ["Chat (public)"];
const keyHeader = z.object({
  "X-Weft-Key": z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: "X-Weft-Key", in: "header" }, description: "Publishable key (or `key` query parameter)" }),
});

const configSchema = z
  .object({
    tenant: z.object({ id: z.string(), name: z.string() }),
    title: z.string(),
    logo_url: z.string().nullable(),
    color: z.string(),
    position: z.enum(["right", "left"]),
    theme: z.enum(["auto", "light", "dark"]),
    locale: z.string(),
    greeting: z.string(),
    prechat: prechatSchema,
    ai_enabled: z.boolean(),
    ai_engine: z.string().openapi({ description: "`local` = the embedded extractive answerer (no LLM configured)" }),
    identity_required: z.boolean(),
    agents_online: z.number().int(),
    max_message_chars: z.number().int(),
  })
  .openapi("ChatWidgetConfig");

const visitorSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  user_id: z.string().nullable(),
  verified: z.boolean(),
});
const publicConversationSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    last_message: z.string().nullable(),
    last_message_at: z.string(),
    message_count: z.number().int(),
    csat_rating: z.number().int().nullable(),
    created_at: z.string(),
  })
  .openapi("ChatVisitorConversation");
const publicView = (r: Parameters<typeof serializeConversation>[0]) => {
  const s = serializeConversation(r);
  return {
    id: s.id,
    status: s.status,
    last_message: s.last_message,
    last_message_at: s.last_message_at,
    message_count: s.message_count,
    csat_rating: s.csat_rating,
    created_at: s.created_at,
  };
};

export const chatPublicRoutes = createRouter();

// Tenant sites may call these directly (the iframe is same-origin); origins are checked per request.
chatPublicRoutes.use(
  "/public/v1/chat/*",
  cors({ origin: (o) => o, allowHeaders: ["Authorization", "Content-Type", "X-Weft-Key", "X-Weft-Embed-Origin"], maxAge: 600 }),
);

chatPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/public/v1/chat/config",
      tags: TAG,
      summary: "Widget configuration for a publishable key on an allowed origin",
      request: { headers: keyHeader, query: z.object({ key: z.string().max(200).optional() }) },
      responses: {
        200: jsonResponse(configSchema, "Appearance, greeting, pre-chat form and presence"),
        403: problemDoc("Origin or key refused"),
      },
    },
  ),
  async (c) => {
    const p = await publicChat(c);
    const tenant = await getTenant(p.db, p.tenantId);
    const presence = await inboxStub(c.env, p.tenantId).presence();
    const s = p.settings;
    return c.json(
      {
        tenant: { id: tenant.id, name: tenant.name },
        title: s.title ?? tenant.name,
        logo_url: s.logoUrl,
        color: s.color,
        position: s.position,
        theme: s.theme,
        locale: s.locale,
        greeting: s.greeting,
        prechat: s.prechat,
        ai_enabled: s.aiEnabled,
        ai_engine: replyEngine(c.env).name,
        identity_required: s.identityRequired,
        agents_online: presence.online,
        max_message_chars: MAX_MESSAGE_CHARS,
      },
      200,
    );
  },
);

chatPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/public/v1/chat/visitors",
      tags: TAG,
      summary: "Start or resume a visitor (optionally with a verified identity)",
      description:
        "Returns a new `visitor_token` when none (or another identity's) was presented. `identity` is either `{ jwt }` (HS256, signed with the workspace's identity secret, `user_id`/`sub`, `email`, `name`, `exp` ≤ 24 h) or the legacy `{ user_id, user_hash }` with user_hash = hex HMAC-SHA256(secret, user_id), or `{ end_user_token }`: the workspace's portal end user's access token (their id, email and name; 401 when invalid, expired, another workspace's or blocked — no identity secret needed).",
      request: {
        headers: keyHeader,
        ...jsonBody(
          z.object({
            visitor_token: z.string().max(200).nullable().optional(),
            identity: identityInputSchema.nullable().optional(),
            name: z.string().trim().max(200).optional(),
            email: z.email().max(320).optional(),
          }),
        ),
      },
      responses: {
        200: jsonResponse(
          z.object({ visitor_token: z.string().nullable(), visitor: visitorSchema }),
          "`visitor_token` is null when the presented one stays valid",
        ),
      },
    },
  ),
  async (c) => {
    const p = await publicChat(c);
    const body = c.req.valid("json");
    const { visitor, token } = await startVisitor(p.db, c.env, p.settings, {
      token: body.visitor_token,
      identity: body.identity,
      verified: await endUserIdentity(c, p.tenantId, body.identity),
      name: body.name,
      email: body.email,
    });
    return c.json({ visitor_token: token, visitor: serializeVisitor(visitor) }, 200);
  },
);

chatPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/public/v1/chat/conversations",
      tags: TAG,
      summary: "The visitor's conversations (identified users: from any device)",
      request: { headers: keyHeader },
      responses: { 200: jsonResponse(z.object({ data: z.array(publicConversationSchema) }), "Most recent first") },
    },
  ),
  async (c) => {
    const p = await publicChat(c);
    const v = await authenticateVisitor(p.db, p.settings, visitorToken(c));
    const rows = await listVisitorConversations(p.db, p.tenantId, v);
    return c.json({ data: rows.map(publicView) }, 200);
  },
);

chatPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/public/v1/chat/conversations",
      tags: TAG,
      summary: "Start a conversation",
      request: {
        headers: keyHeader,
        ...jsonBody(
          z.object({
            page_url: z.url().max(2000).optional(),
            prechat: z.object({ name: z.string().trim().max(200).optional(), email: z.email().max(320).optional() }).optional(),
          }),
        ),
      },
      responses: { 201: jsonResponse(publicConversationSchema, "Created; connect to its WebSocket next") },
    },
  ),
  async (c) => {
    const p = await publicChat(c);
    let v = await authenticateVisitor(p.db, p.settings, visitorToken(c));
    const body = c.req.valid("json");
    const pc = p.settings.prechat;
    if (pc.enabled) {
      if (pc.name === "required" && !body.prechat?.name && !v.name) throw badField("prechat.name", "Enter your name");
      if (pc.email === "required" && !body.prechat?.email && !v.email) throw badField("prechat.email", "Enter your email");
    }
    const prechat =
      body.prechat && (body.prechat.name || body.prechat.email)
        ? (Object.fromEntries(Object.entries(body.prechat).filter(([, x]) => !!x)) as Record<string, string>)
        : null;
    if (prechat) v = await updateVisitorContact(p.db, p.tenantId, v, prechat);
    const row = await createConversation(p.db, c.env, p.settings, v, { pageUrl: body.page_url ?? null, prechat });
    return c.json(publicView(row), 201);
  },
);

const badField = (path: string, message: string) => validationFailed([{ path, message }]);

chatPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/public/v1/chat/conversations/{id}/messages",
      tags: TAG,
      summary: "Transcript of one of the visitor's conversations (the WebSocket is the live path)",
      request: {
        headers: keyHeader,
        params: convParam,
        query: z.object({
          after_seq: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(500).default(200),
        }),
      },
      responses: { 200: jsonResponse(z.object({ data: z.array(messageSchema), next_after_seq: z.number().int().nullable() }), "In order") },
    },
  ),
  async (c) => {
    const p = await publicChat(c);
    const v = await authenticateVisitor(p.db, p.settings, visitorToken(c));
    const conv = await getVisitorConversation(p.db, p.tenantId, v, c.req.valid("param").id);
    const q = c.req.valid("query");
    return c.json(await listMessages(p.db, p.tenantId, conv.id, q.after_seq, q.limit), 200);
  },
);

chatPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/public/v1/chat/conversations/{id}/csat",
      tags: TAG,
      summary: "Rate a conversation (1–5) with an optional comment",
      request: {
        headers: keyHeader,
        params: convParam,
        ...jsonBody(z.object({ rating: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() })),
      },
      responses: { 200: jsonResponse(z.object({ csat_rating: z.number().int() }), "Recorded") },
    },
  ),
  async (c) => {
    const p = await publicChat(c);
    const v = await authenticateVisitor(p.db, p.settings, visitorToken(c));
    const conv = await getVisitorConversation(p.db, p.tenantId, v, c.req.valid("param").id);
    const body = c.req.valid("json");
    await sessionStub(c.env, p.tenantId, conv.id).rate(body.rating, body.comment ?? null);
    return c.json({ csat_rating: body.rating }, 200);
  },
);

chatPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/public/v1/chat/offline",
      tags: TAG,
      summary: "Leave a message when no one is online: becomes a waiting conversation and an email to the team",
      request: {
        headers: keyHeader,
        ...jsonBody(
          z.object({
            name: z.string().trim().max(200).optional(),
            email: z.email("Enter an email so the team can reply").max(320),
            message: z.string().trim().min(1, "Write a message").max(MAX_MESSAGE_CHARS),
            page_url: z.url().max(2000).optional(),
          }),
        ),
      },
      responses: { 201: jsonResponse(z.object({ conversation_id: z.string() }), "Received") },
    },
  ),
  async (c) => {
    const p = await publicChat(c);
    let v = await authenticateVisitor(p.db, p.settings, visitorToken(c));
    const body = c.req.valid("json");
    v = await updateVisitorContact(p.db, p.tenantId, v, { name: body.name ?? null, email: body.email });
    const conv = await createConversation(p.db, c.env, { ...p.settings, aiEnabled: false }, v, {
      pageUrl: body.page_url ?? null,
      prechat: { email: body.email, ...(body.name ? { name: body.name } : {}), source: "offline_form" },
    });
    const stub = sessionStub(c.env, p.tenantId, conv.id);
    const principal: ChatPrincipal = { kind: "visitor", id: v.id, name: v.name, verified: !!v.verifiedAt, ip: p.ip };
    await stub.post(principal, body.message);
    await stub.handoffOffline();
    const recipients = p.settings.notifyEmail
      ? [p.settings.notifyEmail]
      : (await listMembers(p.db, p.tenantId, { limit: 10, role: "owner" })).data.map((m) => m.email);
    const tenant = await getTenant(p.db, p.tenantId);
    for (const to of recipients) {
      await send(p.db, c.env.OUTBOX, {
        tenantId: p.tenantId,
        to: { email: to },
        channels: ["email"],
        template: "chat.offline_message",
        data: {
          workspace: tenant.name,
          name: body.name || body.email,
          email: body.email,
          message: body.message,
          page: body.page_url ?? "",
          link: `${appOrigin(c)}/chat?c=${conv.id}`,
        },
        category: "transactional",
        idempotencyKey: `chat-offline:${conv.id}:${to}`,
      });
    }
    return c.json({ conversation_id: conv.id }, 201);
  },
);

/** WebSocket upgrade for the visitor: key + origin + token checked before the DO sees it. */
export async function visitorSocket(c: Context<AppEnv>): Promise<Response> {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.text("Expected a WebSocket upgrade", 426);
  const p = await publicChat(c);
  const v = await authenticateVisitor(p.db, p.settings, visitorToken(c));
  const conv = await getVisitorConversation(p.db, p.tenantId, v, c.req.param("id")!);
  if (!conv) throw notFound("Conversation");
  const stub = sessionStub(c.env, p.tenantId, conv.id);
  await stub.refreshSettings({ identityRequired: p.settings.identityRequired, aiEnabled: p.settings.aiEnabled });
  const principal: ChatPrincipal = { kind: "visitor", id: v.id, name: v.name, verified: !!v.verifiedAt, ip: p.ip };
  const headers = new Headers(c.req.raw.headers);
  headers.set("X-Chat-Principal", JSON.stringify(principal));
  return stub.fetch(new Request(c.req.raw.url, { headers }));
}
chatPublicRoutes.get("/public/v1/chat/conversations/:id/ws", visitorSocket);

/** Bench baseline only (`npm run bench -- chat`): a bare echo Durable Object; never in production. */
chatPublicRoutes.get("/public/v1/chat/echo", async (c) => {
  if (!getConfig(c.env).isLocal) throw notFound("Route");
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.text("Expected a WebSocket upgrade", 426);
  const ns = chatEnv(c.env).CHAT_ECHO;
  return ns.get(ns.idFromName(c.req.query("n") ?? "echo")).fetch(c.req.raw);
});

/** `{ end_user_token }`: the portal's end user, checked like every end-user token (this workspace, live session, not blocked). */
async function endUserIdentity(
  c: Context<AppEnv>,
  tenantId: string,
  identity: IdentityInput | null | undefined,
): Promise<VerifiedIdentity | null> {
  if (!identity || !("end_user_token" in identity)) return null;
  const u = await endUserFromToken(c, tenantId, identity.end_user_token);
  return { userId: u.id, email: u.email, name: u.name || null, method: "end_user" };
}
