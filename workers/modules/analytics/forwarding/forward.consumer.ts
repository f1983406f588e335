/**
 * The forwarding Queue consumer (weft-analytics-forward): sends one batch to one destination through
 * its provider and records the outcome on the batch, the destination (last success/failure, last
 * error) and the day's counts, in one D1 batch. 2xx → delivered; Mixpanel strict 400 → partial (the
 * rejected events are listed); any other 4xx → failed for good; 429 / 5xx / network errors → retried
 * with backoff (Retry-After when the provider sends one) from where the batch stopped, up to
 * FORWARD_MAX_ATTEMPTS. A redelivered message for a finished batch changes nothing.
 */
import { and, eq, sql } from "drizzle-orm";
import { analyticsDestinations, analyticsForwardBatches, analyticsForwardDaily } from "../../../../schema/analytics-forwarding";
import { getDb, type Db } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { createLogger } from "../../../platform/logger";
import { type BatchRow, destinationSecret, type DestinationRow, utcDay } from "./destinations.service";
import { deliverGa4 } from "./ga4";
import { type ForwardMessage, forwardMessageSchema } from "./message";
import { deliverMixpanel } from "./mixpanel";
import type { AttemptResult } from "./provider";
import { deliverWebhookBatch } from "./webhook";

const log = createLogger({ component: "analytics-forwarding" });

/** Seconds to wait after failed attempt n (1-based); the batch gives up after FORWARD_MAX_ATTEMPTS. */
export const FORWARD_RETRY_SCHEDULE_SECONDS = [2, 30, 120, 600, 1800, 3600, 7200];
export const FORWARD_MAX_ATTEMPTS = FORWARD_RETRY_SCHEDULE_SECONDS.length + 1;
const FINAL = new Set<BatchRow["status"]>(["delivered", "partial", "failed", "skipped"]);

async function attempt(db: Db, env: Env, dest: DestinationRow, batch: BatchRow, m: ForwardMessage): Promise<AttemptResult> {
  if (dest.provider === "webhook") {
    return deliverWebhookBatch(db, env, dest.tenantId, dest.id, dest.config.endpointIds ?? [], batch.id, m.events, batch.requestsDone);
  }
  const secret = await destinationSecret(env, dest);
  if (!secret) {
    return {
      outcome: "permanent",
      sent: 0,
      failed: m.events.length,
      skipped: 0,
      requestsDone: 0,
      statusCode: null,
      error: "No credentials are stored for this destination.",
      details: {},
    };
  }
  return dest.provider === "ga4"
    ? deliverGa4(env, dest.config, secret, m.events, batch.requestsDone)
    : deliverMixpanel(env, dest.config, secret, m.events, batch.requestsDone);
}

/** Processes one message; returns the delay before a retry, or null when the batch is finished. */
export async function processForwardMessage(env: Env, m: ForwardMessage): Promise<number | null> {
  const db = getDb(env.DB);
  const [dest, batch] = await Promise.all([
    db
      .select()
      .from(analyticsDestinations)
      .where(and(eq(analyticsDestinations.tenantId, m.tenantId), eq(analyticsDestinations.id, m.destinationId)))
      .get(),
    db
      .select()
      .from(analyticsForwardBatches)
      .where(and(eq(analyticsForwardBatches.tenantId, m.tenantId), eq(analyticsForwardBatches.id, m.batchId)))
      .get(),
  ]);
  if (!dest || !batch || FINAL.has(batch.status)) return null; // destination deleted, or already finished
  const now = Date.now();
  const whereBatch = and(eq(analyticsForwardBatches.tenantId, m.tenantId), eq(analyticsForwardBatches.id, m.batchId));
  if (!dest.enabled) {
    await db
      .update(analyticsForwardBatches)
      .set({
        status: "skipped",
        skippedCount: batch.eventCount - batch.sentCount - batch.failedCount,
        error: "The destination was disabled before the batch was sent.",
        nextAttemptAt: null,
        updatedAt: now,
      })
      .where(whereBatch);
    return null;
  }

  const r = await attempt(db, env, dest, batch, m);
  const attempts = batch.attempts + 1;
  const sent = batch.sentCount + r.sent;
  let failed = batch.failedCount + r.failed;
  // Events a provider's mapping leaves out are the same on every attempt: count them once.
  const newlySkipped = batch.attempts === 0 ? r.skipped : 0;
  const skipped = batch.skippedCount + newlySkipped;
  let status: BatchRow["status"];
  let delay: number | null = null;
  let error = r.error;
  let newlyFailed = r.failed;
  if (r.outcome === "retry") {
    if (attempts >= FORWARD_MAX_ATTEMPTS) {
      const left = Math.max(0, batch.eventCount - sent - failed - skipped);
      failed += left;
      newlyFailed += left;
      status = sent > 0 ? "partial" : "failed";
      error = `Gave up after ${attempts} attempts: ${r.error}`;
    } else {
      status = "retrying";
      delay = Math.max(r.retryAfterSeconds ?? 0, FORWARD_RETRY_SCHEDULE_SECONDS[attempts - 1] ?? 7200);
    }
  } else if (r.outcome === "permanent") {
    status = sent > 0 ? "partial" : "failed";
  } else {
    status = failed > 0 ? "partial" : sent === 0 && skipped > 0 ? "skipped" : "delivered";
  }

  const day = utcDay(now);
  const stmts = [
    db
      .update(analyticsForwardBatches)
      .set({
        status,
        attempts,
        sentCount: sent,
        failedCount: failed,
        skippedCount: skipped,
        requestsDone: r.requestsDone,
        lastStatusCode: r.statusCode,
        error,
        details: { ...(batch.details ?? {}), ...r.details },
        nextAttemptAt: delay === null ? null : now + delay * 1000,
        updatedAt: now,
      })
      .where(whereBatch),
  ];
  const destPatch: Partial<DestinationRow> = {};
  if (r.sent > 0) destPatch.lastSuccessAt = now;
  if (error && status !== "delivered") {
    destPatch.lastFailureAt = now;
    destPatch.lastError = error.slice(0, 1000);
  }
  if (Object.keys(destPatch).length) {
    stmts.push(
      db
        .update(analyticsDestinations)
        .set(destPatch)
        .where(and(eq(analyticsDestinations.tenantId, m.tenantId), eq(analyticsDestinations.id, m.destinationId))) as never,
    );
  }
  if (r.sent > 0 || newlyFailed > 0) {
    stmts.push(
      db
        .insert(analyticsForwardDaily)
        .values({ tenantId: m.tenantId, destinationId: m.destinationId, day, sent: r.sent, failed: newlyFailed })
        .onConflictDoUpdate({
          target: [analyticsForwardDaily.tenantId, analyticsForwardDaily.destinationId, analyticsForwardDaily.day],
          set: { sent: sql`${analyticsForwardDaily.sent} + ${r.sent}`, failed: sql`${analyticsForwardDaily.failed} + ${newlyFailed}` },
        }) as never,
    );
  }
  await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
  if (status === "failed" || status === "partial" || status === "retrying")
    log.warn(`forward_batch_${status}`, { tenant_id: m.tenantId, destination_id: m.destinationId, batch_id: m.batchId, attempts, error });
  return delay;
}

export async function consumeForwarding(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = forwardMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      log.error("forward_message_invalid", { message_id: msg.id, error: parsed.error.message.slice(0, 500) });
      msg.retry(); // kept for inspection: the Queue's retries end in the dead-letter queue
      continue;
    }
    try {
      const delay = await processForwardMessage(env, parsed.data);
      if (delay === null) msg.ack();
      else msg.retry({ delaySeconds: delay });
    } catch (e) {
      // Our own failure (D1 …), not the provider's: retry the message with the Queue's backoff.
      log.error("forward_consumer_error", { tenant_id: parsed.data.tenantId, batch_id: parsed.data.batchId, error: String(e) });
      msg.retry({ delaySeconds: Math.min(300, 2 ** Math.min(msg.attempts, 8)) });
    }
  }
}

/** weft-analytics-forward-dlq: messages the consumer itself kept failing on. The batch is marked failed so the log says so. */
export async function consumeForwardDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = getDb(env.DB);
  for (const msg of batch.messages) {
    const parsed = forwardMessageSchema.safeParse(msg.body);
    if (parsed.success) {
      const m = parsed.data;
      await db
        .update(analyticsForwardBatches)
        .set({
          status: "failed",
          error: "Dead-lettered: the forwarding consumer kept failing on this batch.",
          nextAttemptAt: null,
          updatedAt: Date.now(),
        })
        .where(
          and(
            eq(analyticsForwardBatches.tenantId, m.tenantId),
            eq(analyticsForwardBatches.id, m.batchId),
            sql`${analyticsForwardBatches.status} in ('queued','retrying')`,
          ),
        );
    }
    log.error("forward_dead_letter", { message_id: msg.id, attempts: msg.attempts });
    msg.ack();
  }
}
