import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import type { Problem } from "../../platform/errors";
import type { DeliveryContext, Outcome, OutboxRow } from "./delivery-attempts";
import type { OutboxMessage } from "./message";

/**
 * What messaging needs from the modules above it. Messaging is the bottom module (everyone sends
 * through its outbox), so it imports none of them: the composition root plugs them in once
 * (workers/compose.ts), and a missing hook is an error, never a silent skip.
 */
export interface MessagingHooks {
  /** The outbox's `webhook` channel (modules/webhooks). */
  webhookChannel: WebhookChannel;
  /** Workspace events messaging raises, published to the workspace's endpoints (modules/webhooks). */
  publishEvent: (db: Db, queue: Queue<OutboxMessage>, e: MessagingEvent) => Promise<unknown>;
  /** Same, but never throws (failures are logged): for reactions after a change is committed. */
  publishEventSafely: (db: Db, queue: Queue<OutboxMessage>, e: MessagingEvent) => Promise<void>;
  /** The workspace's `emails` plan limit (modules/billing). */
  emailQuota: EmailQuota;
}

export interface WebhookChannel {
  /** One signed delivery attempt of the row's event to its endpoint. */
  deliver(ctx: DeliveryContext): Promise<Outcome>;
  /** After a delivery failed for good (retries exhausted, or at once on 410 with `disableNow`). */
  onFailed(db: Db, env: Env, row: OutboxRow, error: string, disableNow?: boolean): Promise<void>;
  maxAttempts: number;
  /** Delay before each retry (seconds); the last one repeats. */
  retryScheduleSeconds: readonly number[];
}

export type MessagingEventType = "message.failed" | "list.subscribed" | "list.unsubscribed";
export interface MessagingEvent {
  tenantId: string;
  type: MessagingEventType;
  data: Record<string, unknown>;
  eventId?: string;
}

export interface EmailQuotaCheck {
  allowed: boolean;
  plan: string;
  used: number;
  limit: number | null;
}
export interface EmailQuota {
  /** Would `n` more emails fit this period? Non-consuming (counting happens in `meter`). */
  check(db: Db, d1: D1Database, tenantId: string, n: number): Promise<EmailQuotaCheck>;
  /** The 402 problem for a refused send. */
  exceeded(q: EmailQuotaCheck, requested: number, origin: string): Problem;
  /** Counts emails handed to a provider (the event id makes a message count once). */
  meter(env: Env, e: { tenantId: string; quantity: number; eventId: string }): Promise<void>;
}

let hooks: MessagingHooks | null = null;

/** Called by the composition root (workers/compose.ts) before anything is sent or consumed. */
export function configureMessaging(h: MessagingHooks): void {
  hooks = h;
}

export function messagingHooks(): MessagingHooks {
  if (!hooks) throw new Error("messaging: hooks are not configured; the composition root (workers/compose.ts) plugs them in at start-up");
  return hooks;
}
