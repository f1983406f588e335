import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, timestamp } from "./columns";

/** One row per message per channel; the outbox Queue carries only its id. */
export const outboxMessages = sqliteTable(
  "outbox_messages",
  {
    id: id(),
    tenantId: text("tenant_id"), // null for platform messages to a user (verify, reset)
    channel: text("channel", { enum: ["email", "sms", "push", "in_app", "webhook"] }).notNull(),
    recipient: text("recipient").notNull(),
    template: text("template").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    category: text("category").notNull(),
    idempotencyKey: text("idempotency_key"),
    status: text("status", { enum: ["queued", "sent", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    provider: text("provider"),
    providerMessageId: text("provider_message_id"),
    lastError: text("last_error"),
    sendAt: timestamp("send_at"),
    sentAt: timestamp("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("outbox_idempotency_uq").on(t.idempotencyKey),
    index("outbox_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

/** The local dev mailbox: what the email channel "sent" when no provider is configured. */
export const devMailbox = sqliteTable(
  "dev_mailbox",
  {
    id: id(),
    messageId: text("message_id").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("dev_mailbox_message_uq").on(t.messageId), index("dev_mailbox_to_idx").on(t.toAddress, t.createdAt)],
);

/** Messages that exhausted their retries, kept for inspection and replay. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: id(),
    queue: text("queue").notNull(),
    messageId: text("message_id").notNull(),
    body: text("body", { mode: "json" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("dead_letters_msg_uq").on(t.queue, t.messageId)],
);
