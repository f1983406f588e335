import { and, asc, eq, inArray, isNull, like, or, type SQL } from "drizzle-orm";
import { deadLetters, messageAttempts, messageEvents, outboxMessages } from "../../../schema/messaging";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import type { EventType } from "./callbacks/parse";
import type { OutboxMessage } from "./message";
import { enqueueRows } from "./send";

type Row = typeof outboxMessages.$inferSelect;
type AttemptRow = typeof messageAttempts.$inferSelect;

export const serializeMessage = (m: Row) => ({
  id: m.id,
  channel: m.channel,
  recipient: m.recipient,
  template: m.template,
  category: m.category,
  subject: m.subject,
  status: m.status,
  attempts: m.attempts,
  provider: m.provider,
  provider_message_id: m.providerMessageId,
  last_error: m.lastError,
  batch_id: m.batchId,
  send_at: iso(m.sendAt),
  next_attempt_at: iso(m.nextAttemptAt),
  sent_at: iso(m.sentAt),
  delivered_at: iso(m.deliveredAt),
  created_at: iso(m.createdAt)!,
});
const serializeAttempt = (a: AttemptRow) => ({
  attempt: a.attempt,
  provider: a.provider,
  outcome: a.outcome,
  status_code: a.statusCode,
  response: a.response,
  error: a.error,
  duration_ms: a.durationMs,
  created_at: iso(a.createdAt)!,
});

export interface MessageFilter {
  status?: string;
  channel?: string;
  q?: string;
  batch_id?: string;
  recipient?: string;
}

export function messageConditions(f: MessageFilter): (SQL | undefined)[] {
  const q = f.q?.trim().toLowerCase();
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return [
    f.status ? eq(outboxMessages.status, f.status as Row["status"]) : undefined,
    f.channel ? eq(outboxMessages.channel, f.channel as Row["channel"]) : undefined,
    f.batch_id ? eq(outboxMessages.batchId, f.batch_id) : undefined,
    f.recipient ? eq(outboxMessages.recipient, f.recipient) : undefined,
    pattern
      ? or(
          like(outboxMessages.recipient, pattern),
          like(outboxMessages.template, pattern),
          like(outboxMessages.subject, pattern),
          eq(outboxMessages.id, q!),
          eq(outboxMessages.providerMessageId, f.q!.trim()),
        )
      : undefined,
  ];
}

/** The delivery log: newest first, searchable by recipient, template, subject or id. */
export async function listMessages(db: Db, tenantId: string, q: PageQuery & MessageFilter) {
  const page = keyset(outboxMessages.createdAt, outboxMessages.id, q.cursor);
  const rows = await db
    .select()
    .from(outboxMessages)
    .where(tenantScope(db, tenantId).where(outboxMessages, ...messageConditions(q), page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeMessage);
}

async function getRow(db: Db, tenantId: string, id: string): Promise<Row> {
  const row = await db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.tenantId, tenantId), eq(outboxMessages.id, id)))
    .get();
  if (!row) throw notFound("Message");
  return row;
}

export async function getMessage(db: Db, tenantId: string, id: string) {
  const row = await getRow(db, tenantId, id);
  const [attempts, events] = await db.batch([
    db.select().from(messageAttempts).where(eq(messageAttempts.messageId, id)).orderBy(asc(messageAttempts.createdAt)),
    db
      .select()
      .from(messageEvents)
      .where(and(eq(messageEvents.messageId, id), eq(messageEvents.tenantId, tenantId)))
      .orderBy(asc(messageEvents.createdAt)),
  ]);
  return {
    ...serializeMessage(row),
    data: row.data,
    attempt_log: attempts.map(serializeAttempt),
    // What the provider reported afterwards (delivery callbacks): delivered, bounced, complained…
    provider_events: events.map((e) => ({
      type: e.type as EventType,
      provider: e.provider,
      detail: e.detail,
      applied: e.applied,
      occurred_at: iso(e.occurredAt),
      received_at: iso(e.createdAt)!,
    })),
  };
}

/**
 * Replays a failed, bounced or suppressed message as a new message with the same content (the
 * original stays in the log). Webhook replays keep the event id, so receivers can deduplicate.
 */
export async function replayMessage(db: Db, queue: Queue<OutboxMessage>, tenantId: string, id: string, actor: Actor) {
  const row = await getRow(db, tenantId, id);
  if (!["failed", "bounced", "suppressed", "cancelled", "delivered", "sent"].includes(row.status))
    throw conflict(`The message is ${row.status}; only finished messages can be replayed.`, "not-replayable");
  const now = Date.now();
  const copy = {
    id: newId("msg"),
    tenantId,
    channel: row.channel,
    recipient: row.recipient,
    template: row.template,
    data: { ...row.data, replay_of: row.id },
    category: row.category,
    idempotencyKey: null,
    status: "queued" as const,
    subject: row.subject,
    batchId: row.batchId,
    createdAt: now,
    updatedAt: now,
  };
  await enqueueRows(db, queue, [copy]);
  await db.batch([
    db
      .update(deadLetters)
      .set({ replayedAt: now })
      .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.outboxId, id), isNull(deadLetters.replayedAt))),
    auditInsert(db, actor, {
      tenantId,
      action: "message.replayed",
      target: { type: "message", id },
      metadata: { replay_id: copy.id, channel: row.channel },
    }),
  ]);
  return serializeMessage({
    ...copy,
    attempts: 0,
    provider: null,
    providerMessageId: null,
    lastError: null,
    sendAt: null,
    sentAt: null,
    nextAttemptAt: null,
    deliveredAt: null,
  });
}

/** Cancels a message that has not gone out yet (scheduled, queued or waiting for a retry). */
export async function cancelMessage(db: Db, tenantId: string, id: string, actor: Actor) {
  const row = await getRow(db, tenantId, id);
  const done = await db
    .update(outboxMessages)
    .set({ status: "cancelled", lastError: "Cancelled", updatedAt: Date.now(), nextAttemptAt: null })
    .where(
      and(
        eq(outboxMessages.tenantId, tenantId),
        eq(outboxMessages.id, id),
        inArray(outboxMessages.status, ["scheduled", "queued", "retrying"]),
      ),
    )
    .returning();
  if (!done.length) throw conflict(`The message is ${row.status}; it can no longer be cancelled.`, "not-cancellable");
  await auditInsert(db, actor, { tenantId, action: "message.cancelled", target: { type: "message", id } });
  return serializeMessage(done[0]!);
}

type DeadRow = typeof deadLetters.$inferSelect;
const serializeDead = (d: DeadRow) => ({
  id: d.id,
  queue: d.queue,
  message_id: d.outboxId,
  reason: d.reason,
  replayed_at: iso(d.replayedAt),
  created_at: iso(d.createdAt)!,
});

export async function listDeadLetters(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(deadLetters.createdAt, deadLetters.id, q.cursor);
  const rows = await db
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeDead);
}

export async function replayDeadLetter(db: Db, queue: Queue<OutboxMessage>, tenantId: string, id: string, actor: Actor) {
  const d = await db
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id)))
    .get();
  if (!d?.outboxId) throw notFound("Dead letter");
  if (d.replayedAt) throw conflict("This dead letter was already replayed.", "already-replayed");
  return replayMessage(db, queue, tenantId, d.outboxId, actor);
}
