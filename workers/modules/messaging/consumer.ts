import { eq } from "drizzle-orm";
import { deadLetters, outboxMessages } from "../../../schema/messaging";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { deliver, markSent } from "./deliver";
import { outboxMessageSchema } from "./message";

const log = createLogger({ component: "outbox" });
/** Exponential backoff: 5s, 10s, 20s… capped at 10 minutes. */
export const retryDelaySeconds = (attempt: number) => Math.min(600, 5 * 2 ** Math.max(0, attempt - 1));

/** Delivers outbox messages. Safe to receive twice: a row already `sent` is acknowledged untouched. */
export async function consumeOutbox(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = getDb(env.DB);
  for (const msg of batch.messages) {
    const parsed = outboxMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      log.error("outbox_bad_message", { message_id: msg.id });
      msg.ack(); // malformed messages can never succeed; retrying would only delay the DLQ
      continue;
    }
    const row = await db.select().from(outboxMessages).where(eq(outboxMessages.id, parsed.data.outboxId)).get();
    if (!row || row.status === "sent") {
      msg.ack();
      continue;
    }
    try {
      const result = await deliver(db, row);
      await markSent(db, row.id, result, msg.attempts);
      msg.ack();
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      await db.update(outboxMessages).set({ attempts: msg.attempts, lastError: error }).where(eq(outboxMessages.id, row.id));
      log.warn("outbox_delivery_failed", { outbox_id: row.id, attempt: msg.attempts, error });
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
    }
  }
}

/** Dead-letter consumer for any queue: keep the message for inspection/replay; mark outbox rows failed. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = getDb(env.DB);
  for (const msg of batch.messages) {
    await db
      .insert(deadLetters)
      .values({ id: newId("dlq"), queue: batch.queue, messageId: msg.id, body: msg.body as object, createdAt: Date.now() })
      .onConflictDoNothing();
    const parsed = outboxMessageSchema.safeParse(msg.body);
    if (parsed.success) await db.update(outboxMessages).set({ status: "failed" }).where(eq(outboxMessages.id, parsed.data.outboxId));
    log.error("dead_letter", { queue: batch.queue, message_id: msg.id });
    msg.ack();
  }
}
