import { z } from "@hono/zod-openapi";
import { MESSAGE_STATUSES } from "../../../schema/messaging";
import { CATEGORY_NAMES } from "./categories";
import { CHANNELS, TEMPLATE_CHANNELS } from "./message";

export const channelSchema = z.enum(CHANNELS);
export const templateChannelSchema = z.enum(TEMPLATE_CHANNELS);
export const categorySchema = z
  .enum(CATEGORY_NAMES as [string, ...string[]])
  .openapi({ description: "security and transactional cannot be opted out of; product and marketing can" });

export const messageSchema = z
  .object({
    id: z.string(),
    channel: channelSchema,
    recipient: z.string(),
    template: z.string(),
    category: z.string(),
    subject: z.string().nullable(),
    status: z.enum(MESSAGE_STATUSES),
    attempts: z.number().int(),
    provider: z.string().nullable(),
    provider_message_id: z.string().nullable(),
    last_error: z.string().nullable(),
    batch_id: z.string().nullable(),
    send_at: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    sent_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Message");

export const attemptSchema = z
  .object({
    attempt: z.number().int(),
    provider: z.string(),
    outcome: z.enum(["success", "rate_limited", "transient", "permanent"]),
    status_code: z.number().int().nullable(),
    response: z.string().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    created_at: z.string(),
  })
  .openapi("MessageAttempt");

export const providerEventSchema = z
  .object({
    type: z.enum(["sent", "delivered", "deferred", "bounced", "failed", "complained", "other"]),
    provider: z.string(),
    detail: z.string().nullable(),
    applied: z
      .boolean()
      .openapi({ description: "Whether the event moved the message's status (false for replays and out-of-order events)" }),
    occurred_at: z.string().nullable(),
    received_at: z.string(),
  })
  .openapi("ProviderEvent");
