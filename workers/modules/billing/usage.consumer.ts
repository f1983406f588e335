import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { quotaState, warnIfCrossed } from "./entitlements";
import { usageMessageSchema, type UsageMessage } from "./meter";
import type { MeterName } from "./plans";
import { applyBatch, currentUsage, insertEvents, type EventRow } from "./usage.store";

const log = createLogger({ component: "usage" });

const toRow = (m: UsageMessage): EventRow => ({
  t: m.tenantId,
  e: m.eventId,
  m: m.meter,
  q: m.quantity,
  u: m.userId ?? null,
  at: m.occurredAt,
});

/** Counter values before the write, for the touched (tenant, meter) pairs: used to detect crossed thresholds. */
async function snapshot(env: Env, pairs: [string, MeterName][]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const [t, m] of pairs) out.set(`${t}|${m}`, await currentUsage(env.DB, t, m));
  return out;
}

/**
 * Usage Queue consumer. Valid messages of the batch are written in ONE D1 batch (one statement
 * inserting all events, deduplicated by tenant + event id, then the counter upserts). Messages
 * that fail validation are retried alone until the queue moves them to the DLQ, so one poisoned
 * message never holds back the others. If the batch write itself fails, messages are written one
 * by one so a single bad one cannot block the batch.
 */
export async function consumeUsage(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const good: { msg: Message<unknown>; body: UsageMessage }[] = [];
  for (const msg of batch.messages) {
    const parsed = usageMessageSchema.safeParse(msg.body);
    if (parsed.success) good.push({ msg, body: parsed.data as UsageMessage });
    else {
      log.error("usage_bad_message", { message_id: msg.id, attempts: msg.attempts, error: parsed.error.issues[0]?.message });
      msg.retry(); // after max_retries the queue delivers it to weft-usage-dlq
    }
  }
  if (!good.length) return;

  const pairs = new Map<string, [string, MeterName]>();
  for (const g of good) pairs.set(`${g.body.tenantId}|${g.body.meter}`, [g.body.tenantId, g.body.meter]);
  const before = await snapshot(env, [...pairs.values()]);

  const now = Date.now();
  try {
    await writeEvents(
      env,
      good.map((g) => toRow(g.body)),
      now,
    );
    for (const g of good) g.msg.ack();
  } catch (e) {
    log.warn("usage_batch_write_failed", { size: good.length, error: String(e) });
    for (const g of good) {
      try {
        await writeEvents(env, [toRow(g.body)], now);
        g.msg.ack();
      } catch (err) {
        log.error("usage_message_write_failed", { message_id: g.msg.id, error: String(err) });
        g.msg.retry({ delaySeconds: 5 });
      }
    }
  }

  // Threshold warnings (80% / 100%), one email per threshold and period (idempotent send()).
  const db = getDb(env.DB);
  for (const [key, [tenantId, meter]] of pairs) {
    try {
      const s = await quotaState(db, env.DB, tenantId, meter);
      await warnIfCrossed(env, db, s, before.get(key) ?? 0);
    } catch (e) {
      log.warn("usage_warning_failed", { tenant_id: tenantId, meter, error: String(e) });
    }
  }
}

/** Insert + aggregate in one transaction. Chunks keep each JSON parameter comfortably small. */
export async function writeEvents(env: Pick<Env, "DB">, rows: EventRow[], now = Date.now()): Promise<void> {
  const stmts: D1PreparedStatement[] = [];
  const batchId = newId("ub");
  for (let i = 0; i < rows.length; i += 500) stmts.push(insertEvents(env.DB, rows.slice(i, i + 500), batchId, now));
  stmts.push(
    ...applyBatch(
      env.DB,
      batchId,
      rows.map((r) => r.t),
      now,
    ),
  );
  await env.DB.batch(stmts);
}
