import { and, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { deadLetters, messageAttempts, outboxMessages } from "../../../schema/messaging";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { canOptOut } from "./categories";
import { isSystemTemplate } from "./template-store";
import { deliver } from "./deliver";
import type { DeliveryContext, Outcome, OutboxRow } from "./delivery-attempts";
import { publishMessageFailed } from "./failed-event";
import { messagingHooks } from "./hooks";
import { MAX_QUEUE_DELAY_SECONDS, outboxMessageSchema, type OutboxMessage } from "./message";
import { consumeListSync } from "./list-sync/consumer";
import { isListSyncMessage } from "./list-sync/messages";

const log = createLogger({ component: "outbox" });

/** Messages (email, SMS, push, in-app): exponential backoff 5s, 10s, 20s… capped at 10 minutes. */
export const retryDelaySeconds = (attempt: number) => Math.min(600, 5 * 2 ** Math.max(0, attempt - 1));
export const MESSAGE_MAX_ATTEMPTS = 6;

/** Webhooks retry on their own published schedule (modules/webhooks, plugged in as the webhook channel). */
export const maxAttempts = (channel: string) =>
  channel === "webhook" ? messagingHooks().webhookChannel.maxAttempts : MESSAGE_MAX_ATTEMPTS;
/** Delay before attempt `attempt + 1` after attempt `attempt` failed. */
export function nextDelaySeconds(channel: string, attempt: number): number {
  if (channel !== "webhook") return retryDelaySeconds(attempt);
  const schedule = messagingHooks().webhookChannel.retryScheduleSeconds;
  return schedule[Math.min(attempt - 1, schedule.length - 1)]!;
}

/**
 * Emails a workspace sends (its own templates, marketing, product updates) count against its
 * `emails` quota; the platform's own notices to it (verification, invitations, billing warnings)
 * do not, so a workspace at its limit still hears about it.
 */
export const billable = (row: Pick<OutboxRow, "channel" | "tenantId" | "template" | "category">) =>
  row.channel === "email" && !!row.tenantId && (!isSystemTemplate(row.template) || canOptOut(row.category));

const FINAL = new Set(["sent", "delivered", "failed", "bounced", "suppressed", "cancelled"]);

async function enqueue(queue: Queue<OutboxMessage>, outboxId: string, attempt: number, delaySeconds: number) {
  const delay = Math.max(0, Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil(delaySeconds)));
  await queue.send({ v: 1, outboxId, attempt }, delay ? { delaySeconds: delay } : undefined);
}

async function deadLetter(db: Db, row: OutboxRow, reason: string) {
  await db
    .insert(deadLetters)
    .values({
      id: newId("dlq"),
      queue: "weft-outbox",
      messageId: `${row.id}:${row.attempts}`,
      body: { v: 1, outboxId: row.id },
      tenantId: row.tenantId,
      outboxId: row.id,
      reason,
      createdAt: Date.now(),
    })
    .onConflictDoNothing();
}

/**
 * Processes one outbox message. Idempotent: the row is claimed with a compare-and-set on
 * (status, attempts), so a redelivered or duplicated queue message for an attempt that already
 * ran changes nothing. Returns what happened, for logs and tests.
 *
 * D1 round trips on the common path: 3 — the claim (UPDATE … RETURNING the row), one batch of
 * reads in deliver() (opt-outs, suppression, template, provider accounts), and one batch with
 * the attempt log and the new status. (+1 quota read for billable emails.)
 */
export async function processOutboxMessage(env: Env, body: OutboxMessage): Promise<string> {
  const db = getDb(env.DB);
  const now = Date.now();
  const claimedRow = await db
    .update(outboxMessages)
    .set({ status: "sending", attempts: sql`${outboxMessages.attempts} + 1`, updatedAt: now })
    .where(
      and(
        eq(outboxMessages.id, body.outboxId),
        inArray(outboxMessages.status, ["queued", "retrying"]),
        body.attempt ? eq(outboxMessages.attempts, body.attempt - 1) : undefined,
        or(isNull(outboxMessages.sendAt), lte(outboxMessages.sendAt, now + 1000)),
      ),
    )
    .returning()
    .get();
  if (!claimedRow) {
    // Not claimable: find out why (rare path).
    const row = await db.select().from(outboxMessages).where(eq(outboxMessages.id, body.outboxId)).get();
    if (!row) return "missing";
    if (FINAL.has(row.status) || row.status === "scheduled") return "skipped";
    const before = body.attempt ? body.attempt - 1 : row.attempts;
    if (row.attempts !== before || row.status === "sending") return "stale";
    if (row.sendAt && row.sendAt > now + 1000) {
      await enqueue(env.OUTBOX, row.id, before + 1, (row.sendAt - now) / 1000); // early (e.g. released by the cron): wait the rest
      return "early";
    }
    return "stale";
  }
  const attempt = claimedRow.attempts;
  const before = attempt - 1;
  const row = claimedRow;
  const handBackStatus = before > 0 ? "retrying" : "queued";

  const ctx: DeliveryContext = { db, env, row, attempt, attempts: [] };
  let outcome: Outcome;
  try {
    const quota = billable(row) ? await messagingHooks().emailQuota.check(db, env.DB, row.tenantId!, 1) : null;
    outcome =
      quota && !quota.allowed
        ? { kind: "failed", error: `Plan limit reached: ${quota.used} of ${quota.limit} emails used this period on the ${quota.plan} plan` }
        : await deliver(ctx);
  } catch (e) {
    // A bug or a storage error, not a provider answer: hand the row back and let the Queue retry.
    await db
      .update(outboxMessages)
      .set({ status: handBackStatus, attempts: before, lastError: e instanceof Error ? e.message : String(e) })
      .where(eq(outboxMessages.id, row.id));
    throw e;
  }
  /** The attempt log and the row's new state in one batch. */
  const write = async (set: Partial<typeof outboxMessages.$inferInsert>) => {
    const stmts = [
      ...(ctx.attempts ?? []).map((a) => db.insert(messageAttempts).values(a)),
      db.update(outboxMessages).set(set).where(eq(outboxMessages.id, row.id)),
    ];
    await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
  };
  const set = { updatedAt: Date.now(), ...(outcome.subject ? { subject: outcome.subject } : {}) };
  switch (outcome.kind) {
    case "done": {
      const at = Date.now();
      await write({
        ...set,
        // A provider's delivery callback may already have moved the row on (delivered, bounced): never move it back.
        status:
          sql`CASE WHEN ${outboxMessages.status} = 'sending' THEN ${outcome.status} ELSE ${outboxMessages.status} END` as unknown as "sent",
        provider: outcome.provider,
        providerMessageId: outcome.providerMessageId,
        sentAt: at,
        deliveredAt: sql`COALESCE(${outboxMessages.deliveredAt}, ${outcome.status === "delivered" ? at : null})` as unknown as number,
        lastError: null,
        nextAttemptAt: null,
      });
      if (billable(row)) {
        // Usage meter `emails`: one per email handed to a provider; the event id makes it count once.
        await messagingHooks()
          .emailQuota.meter(env, { tenantId: row.tenantId!, quantity: 1, eventId: `email:${row.id}` })
          .catch((e) => log.error("meter_failed", { error: String(e) }));
      }
      return outcome.status;
    }
    case "suppressed":
      await write({ ...set, status: "suppressed", lastError: outcome.reason, nextAttemptAt: null });
      return "suppressed";
    case "failed":
      await write({ ...set, status: outcome.status ?? "failed", lastError: outcome.error, nextAttemptAt: null });
      if (row.channel === "webhook") await messagingHooks().webhookChannel.onFailed(db, env, row, outcome.error, outcome.disableEndpoint);
      else await publishMessageFailed(db, env, row, outcome.error);
      return outcome.status ?? "failed";
    case "retry": {
      if (!outcome.countsAttempt) {
        // Paced by a rate limit: not an attempt. Hand the attempt number back and come back later.
        await write({
          ...set,
          status: "retrying",
          attempts: before,
          lastError: outcome.error,
          nextAttemptAt: Date.now() + (outcome.delaySeconds ?? 1) * 1000,
        });
        await enqueue(env.OUTBOX, row.id, attempt, outcome.delaySeconds ?? 1);
        return "deferred";
      }
      if (attempt >= maxAttempts(row.channel)) {
        await write({ ...set, status: "failed", lastError: outcome.error, nextAttemptAt: null });
        await deadLetter(db, row, `Gave up after ${attempt} attempts: ${outcome.error}`);
        if (row.channel === "webhook") await messagingHooks().webhookChannel.onFailed(db, env, row, outcome.error);
        else await publishMessageFailed(db, env, row, outcome.error);
        log.warn("outbox_exhausted", { outbox_id: row.id, attempts: attempt, error: outcome.error });
        return "exhausted";
      }
      const delay = outcome.delaySeconds ?? nextDelaySeconds(row.channel, attempt);
      await write({ ...set, status: "retrying", lastError: outcome.error, nextAttemptAt: Date.now() + delay * 1000 });
      await enqueue(env.OUTBOX, row.id, attempt + 1, delay);
      return "retrying";
    }
  }
}

/** Messages of one batch processed at the same time (providers are still paced per account). */
export const CONSUMER_CONCURRENCY = 8;

/** Outbox Queue consumer. Provider failures are retried by re-enqueueing with the channel's schedule; unexpected errors use the Queue's own retry (then its DLQ). */
export async function consumeOutbox(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // Email-list sync work shares this Queue (list-sync/messages.ts); it is handled beside the outbox messages.
  const listSync = batch.messages.filter((m) => isListSyncMessage(m.body));
  const pending = batch.messages.filter((m) => !isListSyncMessage(m.body));
  const worker = async () => {
    for (let msg = pending.shift(); msg; msg = pending.shift()) {
      const parsed = outboxMessageSchema.safeParse(msg.body);
      if (!parsed.success) {
        log.error("outbox_bad_message", { message_id: msg.id });
        msg.ack(); // malformed messages can never succeed; retrying would only delay the DLQ
        continue;
      }
      try {
        await processOutboxMessage(env, parsed.data);
        msg.ack();
      } catch (e) {
        log.warn("outbox_processing_error", {
          outbox_id: parsed.data.outboxId,
          attempt: msg.attempts,
          error: e instanceof Error ? e.message : String(e),
        });
        msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
      }
    }
  };
  await Promise.all([
    ...(listSync.length ? [consumeListSync(listSync, env)] : []),
    ...Array.from({ length: Math.min(CONSUMER_CONCURRENCY, pending.length) }, worker),
  ]);
}

/** Dead-letter consumer for any queue: keep the message for inspection/replay; mark outbox rows failed. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = getDb(env.DB);
  for (const msg of batch.messages) {
    const parsed = outboxMessageSchema.safeParse(msg.body);
    const row = parsed.success
      ? await db.select({ tenantId: outboxMessages.tenantId }).from(outboxMessages).where(eq(outboxMessages.id, parsed.data.outboxId)).get()
      : undefined;
    await db
      .insert(deadLetters)
      .values({
        id: newId("dlq"),
        queue: batch.queue,
        messageId: msg.id,
        body: msg.body as object,
        tenantId: row?.tenantId ?? null,
        outboxId: parsed.success ? parsed.data.outboxId : null,
        reason: "Queue retries exhausted",
        createdAt: Date.now(),
      })
      .onConflictDoNothing();
    if (parsed.success) {
      await db
        .update(outboxMessages)
        .set({ status: "failed", lastError: "Dead-lettered after the queue's retries", updatedAt: Date.now() })
        .where(and(eq(outboxMessages.id, parsed.data.outboxId), inArray(outboxMessages.status, ["queued", "retrying", "sending"])));
    }
    log.error("dead_letter", { queue: batch.queue, message_id: msg.id });
    msg.ack();
  }
}

/**
 * Cron: releases `scheduled` messages due within the queue's delay horizon, and recovers rows
 * stuck in `sending` (a consumer died mid-delivery) as a next attempt.
 */
export async function releaseScheduled(env: Env, now = Date.now()): Promise<{ released: number; recovered: number }> {
  const db = getDb(env.DB);
  const due = await db
    .select({ id: outboxMessages.id, attempts: outboxMessages.attempts, sendAt: outboxMessages.sendAt })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.status, "scheduled"), lte(outboxMessages.sendAt, now + (MAX_QUEUE_DELAY_SECONDS - 600) * 1000)))
    .limit(500);
  let released = 0;
  for (const r of due) {
    const ok = await db
      .update(outboxMessages)
      .set({ status: "queued", updatedAt: now })
      .where(and(eq(outboxMessages.id, r.id), eq(outboxMessages.status, "scheduled")))
      .returning({ id: outboxMessages.id });
    if (!ok.length) continue;
    await enqueue(env.OUTBOX, r.id, r.attempts + 1, ((r.sendAt ?? now) - now) / 1000);
    released++;
  }
  const stuck = await db
    .select({ id: outboxMessages.id, attempts: outboxMessages.attempts })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.status, "sending"), lt(outboxMessages.updatedAt, now - 10 * 60_000)))
    .limit(500);
  let recovered = 0;
  for (const r of stuck) {
    const ok = await db
      .update(outboxMessages)
      .set({ status: "retrying", lastError: "Recovered after an interrupted delivery", updatedAt: now })
      .where(and(eq(outboxMessages.id, r.id), eq(outboxMessages.status, "sending"), eq(outboxMessages.attempts, r.attempts)))
      .returning({ id: outboxMessages.id });
    if (!ok.length) continue;
    await enqueue(env.OUTBOX, r.id, r.attempts + 1, 0);
    recovered++;
  }
  return { released, recovered };
}
