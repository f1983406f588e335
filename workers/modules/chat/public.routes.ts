import { z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { notFound } from "../../platform/errors";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { getTenant } from "../../platform/directory";
import { chatEnv, inboxStub, sessionStub } from "./env";
import { getConfig } from "../../platform/env";
import { identityInputSchema, type IdentityInput, type VerifiedIdentity } from "./identity";
import { endUserFromToken } from "../../platform/end-users";
import { MAX_MESSAGE_CHARS, type ChatPrincipal } from "./protocol";
import { publicChat, visitorToken } from "./public.context";
import { chatPublicConversationRoutes } from "./public.conversations.routes";
import { configSchema, keyHeader, TAG, visitorSchema } from "./public.schemas";
import { replyEngine } from "./replies";
import { getVisitorConversation } from "./conversations.service";
import { authenticateVisitor, serializeVisitor, startVisitor } from "./visitors.service";

// The widget's public API: config and visitors here; the visitor's conversations in public.conversations.routes.ts
// (mounted between them and the WebSocket routes, keeping the original route order); shared schemas in public.schemas.ts.
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

// The visitor's conversations, transcript, rating and offline form: after config and visitors, before the sockets (route order kept).
chatPublicRoutes.route("/", chatPublicConversationRoutes);

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
