import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { cancelMessage, getMessage, listDeadLetters, listMessages, replayDeadLetter, replayMessage } from "./messages.service";
import { MESSAGE_STATUSES } from "../../../schema/messaging";
import { idParam } from "../../platform/params";
import { attemptSchema, categorySchema, channelSchema, messageSchema, providerEventSchema } from "./schemas";
import { sendMessages, type SendRequest } from "./send";
import type { MessageCategory } from "./categories";
import { badRequest } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { getMember } from "../../platform/directory";
import { billable } from "./consumer";
import { messagingHooks } from "./hooks";
import { currentTenantId } from "../../platform/auth";
import { problemDoc } from "../../platform/router";
import { recordProductEvent } from "../../platform/product-events";

export const messagesRoutes = createRouter();
const tags = ["Messaging"];

const sendBody = z
  .object({
    to: z.object({
      email: z.email().optional(),
      phone: z.string().optional().openapi({ description: "E.164, e.g. +14155550100" }),
      user_id: z.string().optional().openapi({ description: "A member of the workspace (in_app, push)" }),
    }),
    channels: z
      .array(channelSchema.exclude(["webhook"]))
      .min(1)
      .max(4),
    template: z.string().min(1).max(80),
    data: z.record(z.string(), z.unknown()).default({}),
    category: categorySchema.default("transactional"),
    send_at: z.iso.datetime({ offset: true }).optional().openapi({ description: "Schedule for later (ISO 8601)" }),
    idempotency_key: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "Or the Idempotency-Key header: a retried request sends once" }),
  })
  .openapi("SendMessage");

messagesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:send" },
    {
      method: "post",
      path: "/messages",
      tags,
      summary: "Send a message on one or more channels (queued; optionally scheduled)",
      request: jsonBody(sendBody),
      responses: {
        202: jsonResponse(
          z.object({ data: z.array(z.object({ id: z.string(), channel: channelSchema, status: z.string(), duplicate: z.boolean() })) }),
          "Queued (or found, for a repeated idempotency key)",
        ),
      },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    const tenantId = currentTenantId(c);
    const key = b.idempotency_key ?? c.req.header("Idempotency-Key") ?? undefined;
    const req: SendRequest = {
      tenantId,
      to: { email: b.to.email, phone: b.to.phone, userId: b.to.user_id },
      channels: b.channels,
      template: b.template,
      data: b.data,
      category: b.category as MessageCategory,
      sendAt: b.send_at ? Date.parse(b.send_at) : undefined,
      idempotencyKey: key ? `api:${key}` : undefined,
    };
    const db = getDb(c.env.DB);
    if (b.to.user_id) {
      // In-app and push go to members of this workspace only.
      const member = await getMember(db, tenantId, b.to.user_id).catch(() => null);
      if (!member) throw badRequest("`to.user_id` is not a member of this workspace.");
    }
    if (billable({ channel: b.channels.includes("email") ? "email" : "sms", tenantId, template: b.template, category: b.category })) {
      const { emailQuota } = messagingHooks();
      const quota = await emailQuota.check(db, c.env.DB, tenantId, 1);
      if (!quota.allowed) throw emailQuota.exceeded(quota, 1, appOrigin(c));
    }
    const queued = await sendMessages(db, c.env.OUTBOX, req);
    const p = c.get("principal");
    if (b.channels.includes("email") && queued.some((m) => !m.duplicate))
      await recordProductEvent(c.env, {
        name: "email_sent",
        userId: p.kind === "user" ? p.userId : null,
        tenantId,
        key: `email_sent:${tenantId}`,
      });
    return c.json({ data: queued }, 202);
  },
);

messagesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:read" },
    {
      method: "get",
      path: "/messages",
      tags,
      summary: "Delivery log: messages newest first, filterable and searchable",
      request: {
        query: pageQuerySchema.extend({
          status: z.enum(MESSAGE_STATUSES).optional(),
          channel: channelSchema.optional(),
          q: z.string().max(200).optional().openapi({ description: "Recipient, template, subject, message id or provider message id" }),
          batch_id: z.string().max(64).optional(),
        }),
      },
      responses: { 200: jsonResponse(pageSchema(messageSchema), "Newest first") },
    },
  ),
  async (c) => c.json(await listMessages(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

messagesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:read" },
    {
      method: "get",
      path: "/messages/{id}",
      tags,
      summary: "One message with its data and every delivery attempt",
      request: { params: idParam("id", "msg_01jd0000000000000000000000") },
      responses: {
        200: jsonResponse(
          messageSchema.extend({
            data: z.record(z.string(), z.unknown()),
            attempt_log: z.array(attemptSchema),
            provider_events: z.array(providerEventSchema),
          }),
          "The message",
        ),
      },
    },
  ),
  async (c) => c.json(await getMessage(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string), 200),
);

messagesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:send" },
    {
      method: "post",
      path: "/messages/{id}/replay",
      tags,
      summary: "Send a finished (e.g. failed) message again as a new message",
      request: { params: idParam("id", "msg_01jd0000000000000000000000") },
      responses: { 202: jsonResponse(messageSchema, "The new message"), 409: problemDoc("The message has not finished yet") },
    },
  ),
  async (c) =>
    c.json(await replayMessage(getDb(c.env.DB), c.env.OUTBOX, currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 202),
);

messagesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:send" },
    {
      method: "post",
      path: "/messages/{id}/cancel",
      tags,
      summary: "Cancel a scheduled, queued or retrying message",
      request: { params: idParam("id", "msg_01jd0000000000000000000000") },
      responses: { 200: jsonResponse(messageSchema, "Cancelled"), 409: problemDoc("Already sent or finished") },
    },
  ),
  async (c) => c.json(await cancelMessage(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 200),
);

const deadLetterSchema = z
  .object({
    id: z.string(),
    queue: z.string(),
    message_id: z.string().nullable(),
    reason: z.string().nullable(),
    replayed_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("DeadLetter");

messagesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:read" },
    {
      method: "get",
      path: "/dead-letters",
      tags,
      summary: "Messages that gave up after all retries (the dead-letter queue)",
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(deadLetterSchema), "Newest first") },
    },
  ),
  async (c) => c.json(await listDeadLetters(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

messagesRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "messages:send" },
    {
      method: "post",
      path: "/dead-letters/{id}/replay",
      tags,
      summary: "Replay a dead-lettered message",
      request: { params: idParam("id", "dlq_01jd0000000000000000000000") },
      responses: { 202: jsonResponse(messageSchema, "The new message"), 409: problemDoc("Already replayed") },
    },
  ),
  async (c) =>
    c.json(await replayDeadLetter(getDb(c.env.DB), c.env.OUTBOX, currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 202),
);
