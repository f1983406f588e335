import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import type { Context } from "hono";
import { cancelAction, confirmAction } from "./actions.service";
import {
  conversationDetail,
  createConversation,
  deleteConversation,
  getConversationRow,
  listConversations,
  renameConversation,
  serializeConversation,
} from "./conversations.service";
import { callerOf } from "./dispatch";
import { runTurn } from "./engine";
import { toSse } from "../ai";
import {
  actionSchema,
  confirmInput,
  confirmResultSchema,
  conversationDetailSchema,
  conversationInput,
  conversationListQuery,
  conversationRename,
  conversationSchema,
  messageInput,
  toolSchema,
} from "./schemas";
import { mayUse, toolCatalogue } from "./tools";
import { detectLocale } from "./local-answerer";

/** The assistant (mounted at /api/v1): conversations, the streamed turn, confirmations, the tool list. */
export const assistantRoutes = createRouter();

const tags = ["Assistant"];
const USE = { auth: "tenant", permission: "assistant:use" } as const;
const conversationParam = idParam("id", "asc_01jd0000000000000000000000");
const actionParam = idParam("id", "asa_01jd0000000000000000000000");

/** A conversation belongs to whoever started it: the user, or the API key. */
function ownerOf(c: Context<AppEnv>): string {
  const p = c.get("principal");
  return p.kind === "api_key" ? p.keyId : p.userId;
}

assistantRoutes.openapi(
  defineRoute(USE, {
    method: "get",
    path: "/assistant/tools",
    tags,
    summary: "The tools the assistant may use for this caller (from the OpenAPI document, filtered by role or API-key scopes)",
    responses: { 200: jsonResponse(z.object({ data: z.array(toolSchema) }), "Tools, by path") },
  }),
  async (c) => {
    const tools = (await toolCatalogue(c.env, new URL(c.req.url).origin)).filter((t) => mayUse(t, c.get("principal"), c.get("tenant")));
    return c.json(
      {
        data: tools.map((t) => ({
          name: t.name,
          description: t.description,
          kind: t.kind,
          method: t.method,
          path: t.path,
          permission: t.permission,
        })),
      },
      200,
    );
  },
);

assistantRoutes.openapi(
  defineRoute(USE, {
    method: "post",
    path: "/assistant/conversations",
    tags,
    summary: "Start a conversation with the assistant",
    request: { body: { required: false, content: { "application/json": { schema: conversationInput } } } },
    responses: { 201: jsonResponse(conversationSchema, "Created") },
  }),
  async (c) => {
    const input = c.req.valid("json") ?? {};
    return c.json(serializeConversation(await createConversation(getDb(c.env.DB), currentTenantId(c), ownerOf(c), input)), 201);
  },
);

assistantRoutes.openapi(
  defineRoute(USE, {
    method: "get",
    path: "/assistant/conversations",
    tags,
    summary: "Your conversations with the assistant, latest activity first; search by title",
    request: { query: conversationListQuery },
    responses: { 200: jsonResponse(pageSchema(conversationSchema), "A page of conversations") },
  }),
  async (c) => c.json(await listConversations(getDb(c.env.DB), currentTenantId(c), ownerOf(c), c.req.valid("query")), 200),
);

assistantRoutes.openapi(
  defineRoute(USE, {
    method: "get",
    path: "/assistant/conversations/{id}",
    tags,
    summary: "A conversation with its messages, tool calls, proposals and citations",
    request: { params: conversationParam },
    responses: { 200: jsonResponse(conversationDetailSchema, "The conversation") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const row = await getConversationRow(db, currentTenantId(c), ownerOf(c), c.req.valid("param").id as string);
    return c.json(await conversationDetail(db, row), 200);
  },
);

assistantRoutes.openapi(
  defineRoute(USE, {
    method: "patch",
    path: "/assistant/conversations/{id}",
    tags,
    summary: "Rename a conversation",
    request: { params: conversationParam, ...jsonBody(conversationRename) },
    responses: { 200: jsonResponse(conversationSchema, "The renamed conversation"), 400: problemDoc("Invalid title") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const row = await getConversationRow(db, currentTenantId(c), ownerOf(c), c.req.valid("param").id as string);
    return c.json(await renameConversation(db, row, c.req.valid("json").title), 200);
  },
);

assistantRoutes.openapi(
  defineRoute(USE, {
    method: "delete",
    path: "/assistant/conversations/{id}",
    tags,
    summary: "Delete a conversation (its messages and pending proposals)",
    request: { params: conversationParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    await deleteConversation(db, await getConversationRow(db, currentTenantId(c), ownerOf(c), c.req.valid("param").id as string));
    return c.body(null, 204);
  },
);

assistantRoutes.openapi(
  defineRoute(USE, {
    method: "post",
    path: "/assistant/conversations/{id}/messages",
    tags,
    summary: "Ask the assistant: the answer streams as server-sent events (tool_call, tool_result, token, proposal, done | error)",
    request: { params: conversationParam, ...jsonBody(messageInput) },
    responses: { 200: { description: "text/event-stream of assistant events", content: { "text/event-stream": { schema: z.string() } } } },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const owner = ownerOf(c);
    const conversation = await getConversationRow(db, tenantId, owner, c.req.valid("param").id as string);
    const input = c.req.valid("json");
    // The conversation's language unless the question says otherwise (or the caller names one).
    const locale =
      input.locale ?? (conversation.messageCount === 0 ? (detectLocale(input.content) ?? conversation.locale) : conversation.locale);
    const events = runTurn({
      db,
      caller: callerOf(c, tenantId),
      principal: c.get("principal"),
      tenant: c.get("tenant"),
      actor: actorOf(c),
      conversation,
      content: input.content,
      locale,
      ownerId: owner,
    });
    return new Response(toSse(events), {
      headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
    });
  },
);

assistantRoutes.openapi(
  defineRoute(USE, {
    method: "post",
    path: "/assistant/actions/{id}/confirm",
    tags,
    summary: "Confirm a proposed action: it runs now with your credentials (destructive ones need the phrase typed)",
    request: { params: actionParam, body: { required: false, content: { "application/json": { schema: confirmInput } } } },
    responses: {
      200: jsonResponse(confirmResultSchema, "Ran (status done or failed, with the route's answer)"),
      409: problemDoc("Already confirmed or cancelled"),
      410: problemDoc("Expired (15 minutes)"),
      422: problemDoc("The typed phrase does not match confirm_phrase"),
    },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const typed = c.req.valid("json")?.typed;
    return c.json(await confirmAction(getDb(c.env.DB), callerOf(c, tenantId), actorOf(c), c.req.valid("param").id as string, typed), 200);
  },
);

assistantRoutes.openapi(
  defineRoute(USE, {
    method: "post",
    path: "/assistant/actions/{id}/cancel",
    tags,
    summary: "Cancel a proposed action",
    request: { params: actionParam },
    responses: { 200: jsonResponse(actionSchema, "Cancelled"), 409: problemDoc("Already decided"), 410: problemDoc("Expired") },
  }),
  async (c) => c.json(await cancelAction(getDb(c.env.DB), currentTenantId(c), actorOf(c), c.req.valid("param").id as string), 200),
);
