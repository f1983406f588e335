import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const MESSAGE_STATUSES = [
  "queued",
  "scheduled",
  "sending",
  "retrying",
  "sent",
  "delivered",
  "failed",
  "bounced",
  "complained",
  "suppressed",
  "cancelled",
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

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
    status: text("status", { enum: MESSAGE_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    provider: text("provider"),
    providerMessageId: text("provider_message_id"),
    lastError: text("last_error"),
    sendAt: timestamp("send_at"),
    sentAt: timestamp("sent_at"),
    createdAt: createdAt(),
    // Added by the messaging issue.
    subject: text("subject"), // rendered subject/title, for the delivery log
    nextAttemptAt: timestamp("next_attempt_at"),
    deliveredAt: timestamp("delivered_at"),
    updatedAt: timestamp("updated_at"),
    batchId: text("batch_id"), // a broadcast to an email list
  },
  (t) => [
    uniqueIndex("outbox_idempotency_uq").on(t.idempotencyKey),
    index("outbox_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("outbox_tenant_recipient_idx").on(t.tenantId, t.recipient, t.createdAt),
    index("outbox_status_send_at_idx").on(t.status, t.sendAt),
    index("outbox_provider_message_idx").on(t.providerMessageId),
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
    tenantId: text("tenant_id"),
    outboxId: text("outbox_id"),
    reason: text("reason"),
    replayedAt: timestamp("replayed_at"),
  },
  (t) => [uniqueIndex("dead_letters_msg_uq").on(t.queue, t.messageId), index("dead_letters_tenant_idx").on(t.tenantId, t.createdAt)],
);

/** Every delivery attempt of an outbox message, per provider: the delivery log's detail. */
export const messageAttempts = sqliteTable(
  "message_attempts",
  {
    id: id(),
    tenantId: text("tenant_id"),
    messageId: text("message_id").notNull(),
    attempt: integer("attempt").notNull(),
    provider: text("provider").notNull(),
    outcome: text("outcome", { enum: ["success", "rate_limited", "transient", "permanent"] }).notNull(),
    statusCode: integer("status_code"),
    response: text("response"), // first 2 KB of the provider's/endpoint's answer
    error: text("error"),
    durationMs: integer("duration_ms"),
    createdAt: createdAt(),
  },
  (t) => [index("message_attempts_message_idx").on(t.messageId, t.createdAt)],
);

/** Tenant templates: one row per saved version of (key, channel); the highest version is live. */
export const messageTemplates = sqliteTable(
  "message_templates",
  {
    tenantId: tenantId(),
    id: id(),
    key: text("key").notNull(),
    channel: text("channel", { enum: ["email", "sms", "push", "in_app"] }).notNull(),
    version: integer("version").notNull(),
    subject: text("subject").notNull().default(""), // email subject / push + in-app title
    body: text("body").notNull(), // email text part / SMS / push + in-app body
    html: text("html"), // email only
    description: text("description"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("message_templates_version_uq").on(t.tenantId, t.key, t.channel, t.version),
    index("message_templates_tenant_idx").on(t.tenantId, t.key),
  ],
);

/** Recipient opt-outs per category and channel ("*" = every channel). */
export const messagePreferences = sqliteTable(
  "message_preferences",
  {
    tenantId: tenantId(),
    recipient: text("recipient").notNull(), // lower-cased email, E.164 phone or user id
    category: text("category").notNull(),
    channel: text("channel").notNull(),
    optedOut: integer("opted_out", { mode: "boolean" }).notNull(),
    source: text("source"), // unsubscribe_link, one_click, api, dashboard
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.recipient, t.category, t.channel] })],
);

/** In-app notifications (the dashboard's bell). */
export const notifications = sqliteTable(
  "notifications",
  {
    tenantId: tenantId(),
    id: id(),
    userId: text("user_id").notNull(),
    messageId: text("message_id").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link"),
    category: text("category").notNull(),
    readAt: timestamp("read_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("notifications_message_uq").on(t.messageId),
    index("notifications_user_idx").on(t.tenantId, t.userId, t.createdAt),
    index("notifications_unread_idx").on(t.tenantId, t.userId, t.readAt),
  ],
);

/** The local dev SMS inbox: what the SMS channel "sent" when no SMS provider is configured. */
export const devSms = sqliteTable(
  "dev_sms",
  {
    id: id(),
    messageId: text("message_id").notNull(),
    toNumber: text("to_number").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("dev_sms_message_uq").on(t.messageId), index("dev_sms_to_idx").on(t.toNumber, t.createdAt)],
);

/** Browser push subscriptions (PushSubscription.toJSON()) of a workspace's users. */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    tenantId: tenantId(),
    id: id(),
    userId: text("user_id").notNull(),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("push_subscriptions_endpoint_uq").on(t.tenantId, t.endpoint),
    index("push_subscriptions_user_idx").on(t.tenantId, t.userId),
  ],
);

/** Per-workspace messaging settings: VAPID key pair (private part sealed), sender identity. */
export const messagingSettings = sqliteTable("messaging_settings", {
  tenantId: text("tenant_id").primaryKey(),
  vapidPublicKey: text("vapid_public_key").notNull(),
  vapidPrivateKey: text("vapid_private_key").notNull(), // encryptSecret(JWK)
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const PROVIDERS = ["resend", "sendgrid", "postmark", "twilio"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** A workspace's own provider accounts, tried in priority order with fail-over. */
export const messagingProviders = sqliteTable(
  "messaging_providers",
  {
    tenantId: tenantId(),
    id: id(),
    channel: text("channel", { enum: ["email", "sms"] }).notNull(),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    priority: integer("priority").notNull(),
    credentials: text("credentials").notNull(), // encryptSecret(JSON)
    fromAddress: text("from_address").notNull(), // email From / SMS sender number
    ratePerSecond: integer("rate_per_second").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("messaging_providers_tenant_idx").on(t.tenantId, t.channel, t.priority)],
);

/** Newsletter lists a workspace runs for its own audience. */
export const emailLists = sqliteTable(
  "email_lists",
  {
    tenantId: tenantId(),
    id: id(),
    name: text("name").notNull(),
    description: text("description"),
    doubleOptIn: integer("double_opt_in", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("email_lists_tenant_idx").on(t.tenantId, t.createdAt)],
);

export const listSubscribers = sqliteTable(
  "list_subscribers",
  {
    tenantId: tenantId(),
    id: id(),
    listId: text("list_id").notNull(),
    email: text("email").notNull(),
    name: text("name"),
    status: text("status", { enum: ["pending", "subscribed", "unsubscribed"] }).notNull(),
    confirmTokenHash: text("confirm_token_hash"),
    source: text("source"), // api, public_form, dashboard
    consentIp: text("consent_ip"),
    confirmedAt: timestamp("confirmed_at"),
    unsubscribedAt: timestamp("unsubscribed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("list_subscribers_email_uq").on(t.tenantId, t.listId, t.email),
    index("list_subscribers_list_idx").on(t.tenantId, t.listId, t.createdAt),
    index("list_subscribers_token_idx").on(t.confirmTokenHash),
  ],
);

/**
 * Delivery events reported by providers' webhooks (Resend, SendGrid, Postmark, Twilio), stored
 * once per provider event id: a replayed callback finds its row and changes nothing.
 */
export const messageEvents = sqliteTable(
  "message_events",
  {
    id: id(),
    tenantId: text("tenant_id"), // null: a platform message
    account: text("account").notNull(), // "platform" or the messaging_providers id whose secret verified the callback
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(), // the provider's event id (or a stable composite where it has none)
    messageId: text("message_id"), // outbox message, when matched
    providerMessageId: text("provider_message_id"),
    type: text("type").notNull(), // delivered, bounced, complained, failed, deferred, sent, other
    recipient: text("recipient"),
    detail: text("detail"),
    applied: integer("applied", { mode: "boolean" }).notNull().default(false), // moved the message's status
    occurredAt: timestamp("occurred_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("message_events_account_event_uq").on(t.account, t.eventId),
    index("message_events_message_idx").on(t.messageId, t.createdAt),
  ],
);

/** The platform's own messages (tenant_id null in the outbox) keep their suppressions under this key. */
export const PLATFORM_SUPPRESSION_SCOPE = "_platform";

/** Addresses that hard-bounced or complained: later sends to them are skipped and logged as suppressed. */
export const messageSuppressions = sqliteTable(
  "message_suppressions",
  {
    tenantId: tenantId(), // or PLATFORM_SUPPRESSION_SCOPE
    recipient: text("recipient").notNull(), // lower-cased email or E.164 phone
    channel: text("channel", { enum: ["email", "sms"] }).notNull(),
    reason: text("reason", { enum: ["hard_bounce", "complaint", "unreachable", "opted_out"] }).notNull(),
    provider: text("provider"),
    messageId: text("message_id"),
    detail: text("detail"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.recipient, t.channel] })],
);
