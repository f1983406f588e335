import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const ASSISTANT_LOCALES = ["en", "es", "de", "fr", "pt"] as const;
export type AssistantLocale = (typeof ASSISTANT_LOCALES)[number];
export const TOOL_KINDS = ["read", "write", "destructive"] as const;
export type ToolKind = (typeof TOOL_KINDS)[number];
export const ACTION_STATUSES = ["proposed", "done", "failed", "cancelled", "expired"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A read tool the assistant ran while answering (stored on the answer's message). */
export type StoredToolCall = {
  id: string;
  tool: string;
  method: string;
  path: string;
  kind: ToolKind;
  args: Record<string, unknown>;
  status: "ok" | "error" | "refused";
  http_status: number | null;
  summary: string;
};
/** A record an answer rests on: its id, a label and the dashboard page that shows it. */
export type StoredCitation = { type: string; id: string; label: string; href: string };

/**
 * A conversation with the assistant (modules/assistant). It belongs to the person (or API key)
 * who started it: `created_by` is the principal's id, and only they list and read it.
 */
export const assistantConversations = sqliteTable(
  "assistant_conversations",
  {
    tenantId: tenantId(),
    id: id(),
    title: text("title").notNull(),
    locale: text("locale", { enum: ASSISTANT_LOCALES }).notNull(),
    createdBy: text("created_by").notNull(),
    messageCount: integer("message_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("assistant_conversations_owner_updated_idx").on(t.tenantId, t.createdBy, t.updatedAt)],
);

/** One turn: the person's question or the assistant's answer (with the read tools it ran and its citations). */
export const assistantMessages = sqliteTable(
  "assistant_messages",
  {
    tenantId: tenantId(),
    id: id(),
    conversationId: text("conversation_id").notNull(),
    role: text("role", { enum: ["user", "assistant"] }).notNull(),
    content: text("content").notNull(),
    locale: text("locale", { enum: ASSISTANT_LOCALES }).notNull(),
    provider: text("provider"), // answers only: which provider wrote it ("local" offline)
    model: text("model"),
    local: integer("local", { mode: "boolean" }).notNull().default(false),
    toolCalls: text("tool_calls", { mode: "json" }).$type<StoredToolCall[]>().notNull(),
    citations: text("citations", { mode: "json" }).$type<StoredCitation[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("assistant_messages_conversation_idx").on(t.tenantId, t.conversationId, t.createdAt)],
);

/**
 * A write or destructive tool call the assistant proposed: it runs only when a person confirms it
 * (with their own credentials), within 15 minutes. `confirm_phrase` is what a destructive one needs typed.
 */
export const assistantActions = sqliteTable(
  "assistant_actions",
  {
    tenantId: tenantId(),
    id: id(),
    conversationId: text("conversation_id").notNull(),
    messageId: text("message_id").notNull(),
    tool: text("tool").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(), // the concrete path, parameters filled in
    kind: text("kind", { enum: ["write", "destructive"] }).notNull(),
    args: text("args", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    summary: text("summary").notNull(),
    confirmPhrase: text("confirm_phrase"),
    status: text("status", { enum: ACTION_STATUSES }).notNull(),
    httpStatus: integer("http_status"),
    result: text("result", { mode: "json" }).$type<unknown>(),
    proposedBy: text("proposed_by").notNull(),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at"),
    expiresAt: integer("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("assistant_actions_conversation_idx").on(t.tenantId, t.conversationId, t.createdAt)],
);
