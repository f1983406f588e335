import { inArray } from "drizzle-orm";
import { outboxMessages } from "../../../schema/messaging";
import type { Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { newId } from "../../platform/ids";
import type { MessageCategory } from "./categories";
import { MAX_QUEUE_DELAY_SECONDS, type Channel, type OutboxMessage } from "./message";
import { E164 } from "./providers/sms";
import { templateExists } from "./template-store";

export interface Recipient {
  email?: string;
  phone?: string; // E.164
  userId?: string; // in-app and push
}

export interface SendRequest {
  tenantId: string | null; // null: the platform writing to a user (verify email, reset password)
  to: Recipient;
  channels: Channel[];
  template: string;
  data: Record<string, unknown>;
  category: MessageCategory;
  sendAt?: number; // epoch ms; later than 12 h waits as `scheduled` for the cron
  idempotencyKey?: string; // a repeated send() with the same key sends nothing new
  batchId?: string;
}

export interface QueuedMessage {
  id: string;
  channel: Channel;
  status: string;
  duplicate: boolean;
}

type Row = typeof outboxMessages.$inferInsert;

function recipientFor(channel: Channel, to: Recipient): string {
  switch (channel) {
    case "email":
      if (to.email && /^[^\s@]+@[^\s@]+$/.test(to.email)) return to.email.trim().toLowerCase();
      throw badRequest("The email channel needs `to.email` (an email address).");
    case "sms":
      if (to.phone && E164.test(to.phone)) return to.phone;
      throw badRequest("The sms channel needs `to.phone` in E.164 form, e.g. +14155550100.");
    case "push":
    case "in_app":
      if (to.userId) return to.userId;
      throw badRequest(`The ${channel} channel needs \`to.user_id\` (a member of the workspace).`);
    case "webhook":
      throw badRequest("Webhooks are sent with publishEvent(), not send().");
  }
}

const scopeKey = (tenantId: string | null, key: string, channel: Channel) => `${tenantId ?? "platform"}:${key}:${channel}`;

/** When a message should enter the queue, and with which delay. */
export function scheduleOf(sendAt: number | null | undefined, now = Date.now()): { status: "queued" | "scheduled"; delaySeconds: number } {
  if (!sendAt || sendAt <= now) return { status: "queued", delaySeconds: 0 };
  const delaySeconds = Math.ceil((sendAt - now) / 1000);
  return delaySeconds > MAX_QUEUE_DELAY_SECONDS ? { status: "scheduled", delaySeconds } : { status: "queued", delaySeconds };
}

/** Inserts outbox rows (duplicates by idempotency key are skipped) and enqueues the new ones. */
export async function enqueueRows(db: Db, queue: Queue<OutboxMessage>, rows: Row[]): Promise<Set<string>> {
  const created = new Set<string>();
  // One statement per row in batches: a row has ~15 bound parameters, D1 allows 100 per statement.
  for (let i = 0; i < rows.length; i += 50) {
    const chunk = rows.slice(i, i + 50);
    const stmts = chunk.map((r) => db.insert(outboxMessages).values(r).onConflictDoNothing().returning({ id: outboxMessages.id }));
    const results = (await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]])) as { id: string }[][];
    for (const r of results) for (const { id } of r) created.add(id);
  }
  const now = Date.now();
  const toQueue = rows.filter((r) => created.has(r.id) && r.status === "queued");
  for (let i = 0; i < toQueue.length; i += 100) {
    await queue.sendBatch(
      toQueue.slice(i, i + 100).map((r) => {
        const { delaySeconds } = scheduleOf(r.sendAt, now);
        return { body: { v: 1 as const, outboxId: r.id }, ...(delaySeconds ? { delaySeconds } : {}) };
      }),
    );
  }
  return created;
}

function rowsFor(req: SendRequest, now: number): Row[] {
  if (!req.channels.length) throw badRequest("Choose at least one channel.");
  if ((req.channels.includes("in_app") || req.channels.includes("push")) && !req.tenantId)
    throw badRequest("In-app and push messages belong to a workspace.");
  const { status } = scheduleOf(req.sendAt, now);
  return [...new Set(req.channels)].map((channel) => ({
    id: newId("msg"),
    tenantId: req.tenantId,
    channel,
    recipient: recipientFor(channel, req.to),
    template: req.template,
    data: req.data,
    category: req.category,
    idempotencyKey: req.idempotencyKey ? scopeKey(req.tenantId, req.idempotencyKey, channel) : null,
    status,
    sendAt: req.sendAt ?? null,
    batchId: req.batchId ?? null,
    createdAt: now,
    updatedAt: now,
  }));
}

/**
 * The one way to tell somebody something: one outbox row per channel, enqueued on the outbox
 * Queue (or held as `scheduled`). Returns every message of the request; with an idempotency key,
 * a repeated send() returns the existing messages marked `duplicate` and enqueues nothing.
 */
export async function sendMessages(db: Db, queue: Queue<OutboxMessage>, req: SendRequest): Promise<QueuedMessage[]> {
  if (!(await templateExists(db, req.tenantId, req.template))) throw badRequest(`There is no template \`${req.template}\`.`);
  const rows = rowsFor(req, Date.now());
  const created = await enqueueRows(db, queue, rows);
  const dupKeys = rows.filter((r) => !created.has(r.id)).map((r) => r.idempotencyKey!);
  const existing = dupKeys.length
    ? await db
        .select({
          id: outboxMessages.id,
          channel: outboxMessages.channel,
          status: outboxMessages.status,
          key: outboxMessages.idempotencyKey,
        })
        .from(outboxMessages)
        .where(inArray(outboxMessages.idempotencyKey, dupKeys))
    : [];
  return rows.map((r) => {
    if (created.has(r.id)) return { id: r.id, channel: r.channel, status: r.status, duplicate: false };
    const e = existing.find((x) => x.key === r.idempotencyKey)!;
    return { id: e.id, channel: e.channel, status: e.status, duplicate: true };
  });
}

/** Compatible form used across modules: the ids of newly queued messages ([] for a duplicate). */
export async function send(db: Db, queue: Queue<OutboxMessage>, req: SendRequest): Promise<string[]> {
  return (await sendMessages(db, queue, req)).filter((m) => !m.duplicate).map((m) => m.id);
}

/** Many recipients of one template (list broadcasts): validated once, inserted and enqueued in batches. */
export async function sendMany(
  db: Db,
  queue: Queue<OutboxMessage>,
  base: Omit<SendRequest, "to">,
  recipients: Recipient[],
): Promise<number> {
  if (!(await templateExists(db, base.tenantId, base.template))) throw badRequest(`There is no template \`${base.template}\`.`);
  const now = Date.now();
  const rows = recipients.flatMap((to, i) =>
    rowsFor(
      { ...base, to, idempotencyKey: base.idempotencyKey ? `${base.idempotencyKey}:${to.email ?? to.phone ?? to.userId ?? i}` : undefined },
      now,
    ),
  );
  return (await enqueueRows(db, queue, rows)).size;
}
