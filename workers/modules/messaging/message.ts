import { z } from "zod";

export const CHANNELS = ["email", "sms", "push", "in_app", "webhook"] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels whose content comes from a template (webhooks carry an event payload instead). */
export const TEMPLATE_CHANNELS = ["email", "sms", "push", "in_app"] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

/**
 * What travels on the outbox Queue: a pointer to the outbox row, which holds the content.
 * `attempt` is the attempt this message authorises (1-based); a redelivered copy of an attempt
 * that already ran is recognised and dropped, which makes the consumer idempotent.
 */
export const outboxMessageSchema = z.object({
  v: z.literal(1),
  outboxId: z.string().min(1),
  attempt: z.number().int().positive().optional(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

/** Longest delay a Queue message can carry (12 hours); later sends wait as `scheduled` rows for the cron. */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;
