/**
 * The forwarding Queue message: one destination, one batch of new events (as the ingest consumer
 * stored them) plus the request context the providers map (country, browser, OS).
 */
import { z } from "@hono/zod-openapi";
import { queuedEventSchema } from "../events";

export const forwardEventSchema = queuedEventSchema.extend({
  ctx: z
    .object({
      country: z.string().max(8).nullable(),
      browser: z.string().max(50).nullable(),
      os: z.string().max(50).nullable(),
      device: z.string().max(20).nullable(),
      source: z.enum(["web", "server"]),
    })
    .optional(),
});
export type ForwardEvent = z.infer<typeof forwardEventSchema>;

export const forwardMessageSchema = z.object({
  v: z.literal(1),
  tenantId: z.string().min(1).max(64),
  destinationId: z.string().min(1).max(64),
  batchId: z.string().min(1).max(100),
  events: z.array(forwardEventSchema).min(1),
});
export type ForwardMessage = z.infer<typeof forwardMessageSchema>;
