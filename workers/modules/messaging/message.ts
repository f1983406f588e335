import { z } from "zod";

export const CHANNELS = ["email", "sms", "push", "in_app", "webhook"] as const;
export type Channel = (typeof CHANNELS)[number];

/** What travels on the outbox Queue: a pointer to the outbox row, which holds the content. */
export const outboxMessageSchema = z.object({ v: z.literal(1), outboxId: z.string().min(1) });
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
