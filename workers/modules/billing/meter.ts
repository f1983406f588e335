import { z } from "zod";
import type { Env } from "../../platform/env";
import { isMeter, type MeterName } from "./plans";

export type { MeterName } from "./plans";

/** A usage event as it travels on the usage Queue. */
export const usageMessageSchema = z.object({
  v: z.literal(1),
  tenantId: z.string().min(1).max(64),
  meter: z.string().refine(isMeter, "unknown meter"),
  quantity: z
    .number()
    .int()
    .refine((q) => q !== 0, "quantity must not be 0"),
  eventId: z.string().min(1).max(200),
  userId: z.string().max(64).nullable().optional(),
  occurredAt: z.number().int().positive(),
});
export type UsageMessage = Omit<z.infer<typeof usageMessageSchema>, "meter"> & { meter: MeterName };

export interface MeterEvent {
  tenantId: string;
  meter: MeterName;
  /** Units used (emails, tokens, bytes…). Running-total meters (storage, leads, campaigns) take negatives to release. */
  quantity: number;
  /** Unique per tenant: a redelivered or repeated event with the same id counts once. */
  eventId: string;
  /** The member the usage is attributed to (per-seat view), if any. */
  userId?: string | null;
  occurredAt?: number;
}

function toMessage(e: MeterEvent): UsageMessage {
  const msg = {
    v: 1 as const,
    tenantId: e.tenantId,
    meter: e.meter,
    quantity: e.quantity,
    eventId: e.eventId,
    userId: e.userId ?? null,
    occurredAt: e.occurredAt ?? Date.now(),
  };
  usageMessageSchema.parse(msg); // fail at the producer, not in the consumer
  return msg;
}

/**
 * Records usage asynchronously: publishes to the usage Queue, whose consumer aggregates batches
 * into per-tenant counters (deduplicated by event id). Use `consumeQuota` instead when the action
 * must be refused over the limit.
 */
export async function meter(env: Pick<Env, "USAGE">, e: MeterEvent): Promise<void> {
  await env.USAGE.send(toMessage(e), { contentType: "json" });
}

/** Many events in one Queue call (≤ 100 per sendBatch, chunked here). */
export async function meterMany(env: Pick<Env, "USAGE">, events: MeterEvent[]): Promise<void> {
  const msgs = events.map(toMessage);
  for (let i = 0; i < msgs.length; i += 100) {
    await env.USAGE.sendBatch(msgs.slice(i, i + 100).map((body) => ({ body, contentType: "json" as const })));
  }
}

/** `YYYY-MM` (UTC): the usage period of a time. */
export const periodOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
