import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const CONVERSATION_STATUSES = ["open", "waiting", "assigned", "closed"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const MESSAGE_ROLES = ["visitor", "agent", "ai", "system"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export interface PrechatConfig {
  enabled: boolean;
  name: "off" | "optional" | "required";
  email: "off" | "optional" | "required";
}
export interface Citation {
  title: string;
  url?: string | null;
  snippet?: string | null;
}

/** Per-tenant widget configuration (one row per tenant). */
export const chatSettings = sqliteTable("chat_settings", {
  tenantId: text("tenant_id").primaryKey(),
  color: text("color").notNull().default("#4f46e5"),
  position: text("position", { enum: ["right", "left"] })
    .notNull()
    .default("right"),
  theme: text("theme", { enum: ["auto", "light", "dark"] })
    .notNull()
    .default("auto"),
  locale: text("locale").notNull().default("auto"),
  title: text("title"),
  logoUrl: text("logo_url"),
  greeting: text("greeting").notNull().default("Hi! How can we help?"),
  prechat: text("prechat", { mode: "json" }).$type<PrechatConfig>().notNull(),
  aiEnabled: integer("ai_enabled", { mode: "boolean" }).notNull().default(true),
  notifyEmail: text("notify_email"),
  identitySecretEnc: text("identity_secret_enc"),
  identityRequired: integer("identity_required", { mode: "boolean" }).notNull().default(false),
  updatedAt: updatedAt(),
});

/** A browser (or identified end user) talking to a tenant; the token is stored only as a hash. */
export const chatVisitors = sqliteTable(
  "chat_visitors",
  {
    tenantId: tenantId(),
    id: id(),
    tokenHash: text("token_hash").notNull(),
    userId: text("user_id"), // the tenant's own user id, set only after identity verification
    email: text("email"),
    name: text("name"),
    verifiedAt: timestamp("verified_at"),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at").notNull(),
  },
  (t) => [uniqueIndex("chat_visitors_token_uq").on(t.tokenHash), index("chat_visitors_tenant_user_idx").on(t.tenantId, t.userId)],
);

/** D1 mirror of each ChatSession DO, for listing and search (the DO's SQLite is the source of truth). */
export const chatConversations = sqliteTable(
  "chat_conversations",
  {
    tenantId: tenantId(),
    id: id(),
    visitorId: text("visitor_id").notNull(),
    userId: text("user_id"), // verified end-user id (history on any device)
    status: text("status", { enum: CONVERSATION_STATUSES }).notNull(),
    assigneeId: text("assignee_id"),
    visitorName: text("visitor_name"),
    visitorEmail: text("visitor_email"),
    pageUrl: text("page_url"),
    prechat: text("prechat", { mode: "json" }).$type<Record<string, string>>(),
    lastMessage: text("last_message"),
    lastMessageAt: integer("last_message_at").notNull(),
    messageCount: integer("message_count").notNull().default(0),
    unreadAgent: integer("unread_agent").notNull().default(0),
    csatRating: integer("csat_rating"),
    csatComment: text("csat_comment"),
    closedAt: timestamp("closed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("chat_conversations_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("chat_conversations_tenant_status_idx").on(t.tenantId, t.status, t.lastMessageAt),
    index("chat_conversations_tenant_visitor_idx").on(t.tenantId, t.visitorId),
    index("chat_conversations_tenant_user_idx").on(t.tenantId, t.userId),
  ],
);

/** Transcript mirror: one row per persisted message, keyed by the DO's sequence number. */
export const chatMessages = sqliteTable(
  "chat_messages",
  {
    tenantId: tenantId(),
    conversationId: text("conversation_id").notNull(),
    seq: integer("seq").notNull(),
    id: text("id").notNull(),
    role: text("role", { enum: MESSAGE_ROLES }).notNull(),
    authorId: text("author_id"),
    authorName: text("author_name"),
    body: text("body").notNull(),
    citations: text("citations", { mode: "json" }).$type<Citation[]>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.conversationId, t.seq] }),
    index("chat_messages_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

/** Saved replies agents insert with a shortcut; also the local answerer's FAQ. */
export const chatCannedResponses = sqliteTable(
  "chat_canned_responses",
  {
    tenantId: tenantId(),
    id: id(),
    shortcut: text("shortcut").notNull(),
    body: text("body").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("chat_canned_tenant_created_idx").on(t.tenantId, t.createdAt),
    uniqueIndex("chat_canned_tenant_shortcut_uq").on(t.tenantId, t.shortcut),
  ],
);
