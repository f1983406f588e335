// The visitor's conversations on the public chat API: list, start, transcript, rating and the offline form (mounted by public.routes.ts).
import { z } from "@hono/zod-openapi";
import { validationFailed } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { getTenant, listMembers } from "../../platform/directory";
import { send } from "../messaging";
import { sessionStub } from "./env";
import { MAX_MESSAGE_CHARS, type ChatPrincipal } from "./protocol";
import { publicChat, visitorToken } from "./public.context";
import { keyHeader, publicConversationSchema, publicView, TAG } from "./public.schemas";
import { convParam, messageSchema } from "./schemas";
import { createConversation, getVisitorConversation, listMessages, listVisitorConversations } from "./conversations.service";
import { authenticateVisitor, updateVisitorContact } from "./visitors.service";

export const chatPublicConversationRoutes = createRouter();

chatPublicConversationRoutes.openapi(
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

chatPublicConversationRoutes.openapi(
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

chatPublicConversationRoutes.openapi(
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

chatPublicConversationRoutes.openapi(
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

chatPublicConversationRoutes.openapi(
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
