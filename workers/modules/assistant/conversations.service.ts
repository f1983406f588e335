import { and, asc, desc, eq, like, lt, or } from "drizzle-orm";
import {
  type AssistantLocale,
  assistantActions,
  assistantConversations,
  assistantMessages,
  type StoredCitation,
  type StoredToolCall,
} from "../../../schema/assistant";
import type { Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { toPage } from "../../platform/pagination";
import { serializeAction } from "./actions.serialize";

type ConversationRow = typeof assistantConversations.$inferSelect;
const isoOf = (ms: number) => new Date(ms).toISOString();

export function serializeConversation(r: ConversationRow) {
  return {
    id: r.id,
    title: r.title,
    locale: r.locale,
    created_by: r.createdBy,
    created_at: isoOf(r.createdAt),
    updated_at: isoOf(r.updatedAt),
    message_count: r.messageCount,
  };
}

export async function createConversation(
  db: Db,
  tenantId: string,
  ownerId: string,
  input: { title?: string; locale?: AssistantLocale },
): Promise<ConversationRow> {
  const now = Date.now();
  const row: ConversationRow = {
    tenantId,
    id: newId("asc"),
    title: input.title ?? "New conversation",
    locale: input.locale ?? "en",
    createdBy: ownerId,
    messageCount: 0,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(assistantConversations).values(row);
  return row;
}

/** The caller's own conversation in this workspace; anyone else's (or another workspace's) is 404. */
export async function getConversationRow(db: Db, tenantId: string, ownerId: string, id: string): Promise<ConversationRow> {
  const row = await db
    .select()
    .from(assistantConversations)
    .where(
      and(eq(assistantConversations.tenantId, tenantId), eq(assistantConversations.id, id), eq(assistantConversations.createdBy, ownerId)),
    )
    .get();
  if (!row) throw notFound("Conversation");
  return row;
}

/** Newest activity first (keyset on updated_at, id). */
export async function listConversations(db: Db, tenantId: string, ownerId: string, q: { limit: number; cursor?: string; q?: string }) {
  const t = assistantConversations;
  let after: ReturnType<typeof or> | undefined;
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    after = or(lt(t.updatedAt, at), and(eq(t.updatedAt, at), lt(t.id, id)));
  }
  const search = q.q ? like(t.title, `%${q.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`) : undefined;
  const rows = await db
    .select()
    .from(t)
    .where(and(eq(t.tenantId, tenantId), eq(t.createdBy, ownerId), after, search))
    .orderBy(desc(t.updatedAt), desc(t.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => ({ createdAt: r.updatedAt, id: r.id }), serializeConversation);
}

function decodeCursor(cursor: string): [number, string] {
  const raw = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  const sep = raw.indexOf(":");
  return [Number(raw.slice(0, sep)), raw.slice(sep + 1)];
}

export async function conversationDetail(db: Db, row: ConversationRow) {
  const [messages, actions] = await Promise.all([
    db
      .select()
      .from(assistantMessages)
      .where(and(eq(assistantMessages.tenantId, row.tenantId), eq(assistantMessages.conversationId, row.id)))
      .orderBy(asc(assistantMessages.createdAt), asc(assistantMessages.id)),
    db
      .select()
      .from(assistantActions)
      .where(and(eq(assistantActions.tenantId, row.tenantId), eq(assistantActions.conversationId, row.id)))
      .orderBy(asc(assistantActions.createdAt)),
  ]);
  return {
    ...serializeConversation(row),
    messages: messages.map((m) => ({
      id: m.id,
      role: m.role,
      content: m.content,
      locale: m.locale,
      provider: m.provider,
      model: m.model,
      local: m.local,
      created_at: isoOf(m.createdAt),
      tool_calls: m.toolCalls,
      citations: m.citations,
      actions: actions.filter((a) => a.messageId === m.id).map(serializeAction),
    })),
  };
}

/** Renames a conversation (its owner only: the row was looked up by owner). */
export async function renameConversation(db: Db, row: ConversationRow, title: string) {
  const updatedAt = Date.now();
  await db
    .update(assistantConversations)
    .set({ title, updatedAt })
    .where(and(eq(assistantConversations.tenantId, row.tenantId), eq(assistantConversations.id, row.id)));
  return serializeConversation({ ...row, title, updatedAt });
}

export async function deleteConversation(db: Db, row: ConversationRow) {
  const w = (tbl: typeof assistantMessages | typeof assistantActions) =>
    and(eq(tbl.tenantId, row.tenantId), eq(tbl.conversationId, row.id));
  await db.batch([
    db.delete(assistantMessages).where(w(assistantMessages)),
    db.delete(assistantActions).where(w(assistantActions)),
    db.delete(assistantConversations).where(and(eq(assistantConversations.tenantId, row.tenantId), eq(assistantConversations.id, row.id))),
  ]);
}

/** Earlier turns, oldest first (the model's context; the last `limit`). */
export async function recentMessages(db: Db, tenantId: string, conversationId: string, limit = 12) {
  const rows = await db
    .select({ role: assistantMessages.role, content: assistantMessages.content })
    .from(assistantMessages)
    .where(and(eq(assistantMessages.tenantId, tenantId), eq(assistantMessages.conversationId, conversationId)))
    .orderBy(desc(assistantMessages.createdAt), desc(assistantMessages.id))
    .limit(limit);
  return rows.reverse();
}

export function messageInsert(
  db: Db,
  m: {
    tenantId: string;
    id?: string;
    conversationId: string;
    role: "user" | "assistant";
    content: string;
    locale: AssistantLocale;
    provider?: string | null;
    model?: string | null;
    local?: boolean;
    toolCalls?: StoredToolCall[];
    citations?: StoredCitation[];
    createdAt?: number;
  },
) {
  return db.insert(assistantMessages).values({
    tenantId: m.tenantId,
    id: m.id ?? newId("asm"),
    conversationId: m.conversationId,
    role: m.role,
    content: m.content,
    locale: m.locale,
    provider: m.provider ?? null,
    model: m.model ?? null,
    local: m.local ?? false,
    toolCalls: m.toolCalls ?? [],
    citations: m.citations ?? [],
    createdAt: m.createdAt ?? Date.now(),
  });
}

/** Bumps the conversation's activity time and count (and titles an untitled one from its first question). */
export function touchConversation(db: Db, row: ConversationRow, added: number, firstQuestion?: string) {
  const retitle = row.messageCount === 0 && row.title === "New conversation" && firstQuestion;
  return db
    .update(assistantConversations)
    .set({ updatedAt: Date.now(), messageCount: row.messageCount + added, ...(retitle ? { title: firstQuestion.slice(0, 80) } : {}) })
    .where(and(eq(assistantConversations.tenantId, row.tenantId), eq(assistantConversations.id, row.id)));
}
