// Delivery attempts: the delivery context and outcome types, the attempt log, and provider failover with pacing.
import { messageAttempts, type outboxMessages } from "../../../schema/messaging";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import type { Row as ProviderRow } from "./providers.service";
import { ProviderError, type SendResult } from "./providers/http";
import { backOff, takeSlot } from "./providers/limiter";
import type { ChannelTemplate } from "./template-store";
import type { TemplateChannel } from "./message";

export type OutboxRow = typeof outboxMessages.$inferSelect;

export type Outcome =
  | { kind: "done"; status: "sent" | "delivered"; provider: string; providerMessageId: string; subject?: string }
  | { kind: "suppressed"; reason: string; subject?: string }
  | { kind: "retry"; error: string; delaySeconds?: number; countsAttempt: boolean; subject?: string }
  | { kind: "failed"; error: string; status?: "failed" | "bounced"; subject?: string; disableEndpoint?: boolean };

/**
 * `attempts`: when given, attempt-log rows are collected here and the consumer writes them in the
 * same D1 batch as the message's new status (one round trip instead of one per attempt).
 * `prefetched`: what deliver() read in its single batch (template, provider accounts).
 */
export interface DeliveryContext {
  db: Db;
  env: Env;
  row: OutboxRow;
  attempt: number;
  attempts?: (typeof messageAttempts.$inferInsert)[];
  prefetched?: { channel: TemplateChannel; template: ChannelTemplate | null; providerRows?: ProviderRow[] };
}

export async function recordAttempt(
  ctx: DeliveryContext,
  a: {
    provider: string;
    outcome: "success" | "rate_limited" | "transient" | "permanent";
    statusCode?: number | null;
    response?: string | null;
    error?: string | null;
    durationMs: number;
  },
) {
  const values = {
    id: newId("att"),
    tenantId: ctx.row.tenantId,
    messageId: ctx.row.id,
    attempt: ctx.attempt,
    provider: a.provider,
    outcome: a.outcome,
    statusCode: a.statusCode ?? null,
    response: a.response ?? null,
    error: a.error ?? null,
    durationMs: a.durationMs,
    createdAt: Date.now(),
  };
  if (ctx.attempts) ctx.attempts.push(values);
  else await ctx.db.insert(messageAttempts).values(values);
}

interface Sender<M> {
  key: string;
  name: string;
  ratePerSecond: number;
  send(m: M): Promise<SendResult>;
}

/**
 * Tries each provider in order. Provider-side failures (5xx, network, credentials, 429) fail over
 * to the next one; a rejection of the message itself stops. Accounts paced out by their rate
 * limit are skipped too; if nothing was tried, the message is deferred without using an attempt.
 */
export async function withFailover<M>(ctx: DeliveryContext, senders: Sender<M>[], message: M, subject: string): Promise<Outcome> {
  const errors: string[] = [];
  let tried = 0;
  let minWait: number | null = null;
  for (const s of senders) {
    const slot = await takeSlot(ctx.env.PROVIDER_PACER, s.key, s.ratePerSecond);
    if (!slot.ok) {
      minWait = Math.min(minWait ?? Infinity, slot.waitMs);
      continue;
    }
    tried++;
    const started = Date.now();
    try {
      const r = await s.send(message);
      await recordAttempt(ctx, {
        provider: s.name,
        outcome: "success",
        statusCode: r.status,
        response: r.response,
        durationMs: Date.now() - started,
      });
      return { kind: "done", status: "sent", provider: s.name, providerMessageId: r.providerMessageId, subject };
    } catch (e) {
      const err =
        e instanceof ProviderError ? e : new ProviderError("provider", `${s.name}: ${e instanceof Error ? e.message : String(e)}`);
      const outcome = err.kind === "rate_limited" ? "rate_limited" : err.kind === "rejected" ? "permanent" : "transient";
      await recordAttempt(ctx, {
        provider: s.name,
        outcome,
        statusCode: err.status,
        response: err.response,
        error: err.message,
        durationMs: Date.now() - started,
      });
      errors.push(err.message);
      if (err.kind === "rejected")
        return {
          kind: "failed",
          error: err.message,
          status: err.status === 406 || /inactive|bounce/i.test(err.message) ? "bounced" : "failed",
          subject,
        };
      if (err.kind === "rate_limited") {
        const wait = err.retryAfterSeconds ?? 30;
        await backOff(ctx.env.PROVIDER_PACER, s.key, wait);
        minWait = Math.min(minWait ?? Infinity, wait * 1000);
      }
    }
  }
  if (tried === 0 && minWait !== null)
    return {
      kind: "retry",
      error: "Paced by provider rate limits",
      delaySeconds: Math.ceil(minWait / 1000),
      countsAttempt: false,
      subject,
    };
  const onlyRateLimited = errors.length > 0 && errors.every((m) => m.includes("rate limited"));
  return {
    kind: "retry",
    error: errors.join("; ") || "No provider accepted the message",
    delaySeconds: onlyRateLimited && minWait ? Math.ceil(minWait / 1000) : undefined,
    countsAttempt: true,
    subject,
  };
}
