import { and, asc, desc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import { chatConversations, chatMessages, chatVisitors, type ConversationStatus } from "../../../schema/chat";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { publishEventSafely } from "../webhooks";
import { sessionStub } from "./env";
import type { ChatSettingsRow } from "./settings.service";
import { searchConversations } from "./transcript-search";
import type { VisitorRow } from "./visitors.service";
import { systemOf } from "./system-messages";

export type ConversationRow = typeof chatConversations.$inferSelect;
export const INBOX_VIEWS = ["all", "open", "waiting", "assigned", "mine", "closed"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export const serializeConversation = (r: ConversationRow) => ({
  id: r.id,
  status: r.status,
  assignee_id: r.assigneeId,
  visitor_id: r.visitorId,
  visitor_name: r.visitorName,
  visitor_email: r.visitorEmail,
  user_id: r.userId,
  page_url: r.pageUrl,
  prechat: r.prechat ?? null,
  last_message: r.lastMessage,
  last_message_at: iso(r.lastMessageAt)!,
  message_count: r.messageCount,
  unread: r.unreadAgent,
  csat_rating: r.csatRating,
  csat_comment: r.csatComment,
  closed_at: iso(r.closedAt),
  created_at: iso(r.createdAt)!,
});

export const serializeMessage = (m: typeof chatMessages.$inferSelect) => ({
  seq: m.seq,
  id: m.id,
  role: m.role,
  author_id: m.authorId,
  author_name: m.authorName,
  body: m.body,
  citations: m.citations ?? null,
  system: systemOf(m.role, m.body),
  created_at: iso(m.createdAt)!,
});

/** Creates the D1 row, then initialises the conversation's ChatSession. */
export async function createConversation(
  db: Db,
  env: Env,
  settings: ChatSettingsRow,
  visitor: VisitorRow,
  input: { pageUrl?: string | null; prechat?: Record<string, string> | null; idleMs?: number },
): Promise<ConversationRow> {
  const now = Date.now();
  const row: ConversationRow = {
    tenantId: settings.tenantId,
    id: newId("conv"),
    visitorId: visitor.id,
    userId: visitor.verifiedAt ? visitor.userId : null,
    status: "open",
    assigneeId: null,
    visitorName: visitor.name,
    visitorEmail: visitor.email,
    pageUrl: input.pageUrl ?? null,
    prechat: input.prechat ?? null,
    lastMessage: null,
    lastMessageAt: now,
    messageCount: 0,
    unreadAgent: 0,
    csatRating: null,
    csatComment: null,
    closedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(chatConversations).values(row);
  await sessionStub(env, settings.tenantId, row.id).init({
    tenantId: settings.tenantId,
    conversationId: row.id,
    visitor: { id: visitor.id, name: visitor.name, email: visitor.email, userId: row.userId, verified: !!visitor.verifiedAt },
    identityRequired: settings.identityRequired,
    aiEnabled: settings.aiEnabled,
    pageUrl: row.pageUrl,
    idleMs: input.idleMs,
    createdAt: now,
  });
  await publishEventSafely(db, env.OUTBOX, {
    tenantId: row.tenantId,
    type: "conversation.created",
    data: { conversation_id: row.id, visitor_id: row.visitorId, page_url: row.pageUrl },
  });
  return row;
}

/** A visitor's conversations: this browser's, plus (verified users) those from any device. */
function visitorCondition(v: VisitorRow): SQL {
  return (
    v.verifiedAt && v.userId
      ? or(eq(chatConversations.visitorId, v.id), eq(chatConversations.userId, v.userId))
      : eq(chatConversations.visitorId, v.id)
  ) as SQL;
}

export async function listVisitorConversations(db: Db, tenantId: string, v: VisitorRow) {
  return db
    .select()
    .from(chatConversations)
    .where(tenantScope(db, tenantId).where(chatConversations, visitorCondition(v)))
    .orderBy(desc(chatConversations.lastMessageAt))
    .limit(50)
    .all();
}

export async function getVisitorConversation(db: Db, tenantId: string, v: VisitorRow, id: string): Promise<ConversationRow> {
  const row = await db
    .select()
    .from(chatConversations)
    .where(tenantScope(db, tenantId).where(chatConversations, eq(chatConversations.id, id), visitorCondition(v)))
    .get();
  if (!row) throw notFound("Conversation");
  return row;
}

/** The inbox list, newest first; with `q`, a ranked transcript/name/email search (transcript-search.ts). */
export async function listConversations(db: Db, tenantId: string, q: PageQuery & { view: InboxView; userId: string; q?: string }) {
  if (q.q) {
    const found = await searchConversations(db, tenantId, { q: q.q, view: q.view, userId: q.userId, limit: q.limit, cursor: q.cursor });
    return { data: found.rows.map(serializeConversation), next_cursor: found.nextCursor };
  }
  const page = keyset(chatConversations.createdAt, chatConversations.id, q.cursor);
  const conds: (SQL | undefined)[] = [page.where];
  if (q.view === "mine") conds.push(and(eq(chatConversations.assigneeId, q.userId), sql`${chatConversations.status} != 'closed'`));
  else if (q.view !== "all") conds.push(eq(chatConversations.status, q.view as ConversationStatus));
  const rows = await db
    .select()
    .from(chatConversations)
    .where(tenantScope(db, tenantId).where(chatConversations, ...conds))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeConversation);
}

export async function getConversation(db: Db, tenantId: string, id: string): Promise<ConversationRow> {
  const row = await db
    .select()
    .from(chatConversations)
    .where(tenantScope(db, tenantId).where(chatConversations, eq(chatConversations.id, id)))
    .get();
  if (!row) throw notFound("Conversation");
  return row;
}

export async function getConversationDetail(db: Db, tenantId: string, id: string) {
  const row = await getConversation(db, tenantId, id);
  const visitor = await db
    .select()
    .from(chatVisitors)
    .where(tenantScope(db, tenantId).where(chatVisitors, eq(chatVisitors.id, row.visitorId)))
    .get();
  const previous = await db
    .select({ n: sql<number>`count(*)` })
    .from(chatConversations)
    .where(tenantScope(db, tenantId).where(chatConversations, eq(chatConversations.visitorId, row.visitorId)))
    .get();
  return {
    ...serializeConversation(row),
    visitor: visitor
      ? {
          id: visitor.id,
          name: visitor.name,
          email: visitor.email,
          user_id: visitor.userId,
          verified: !!visitor.verifiedAt,
          first_seen_at: iso(visitor.createdAt)!,
          last_seen_at: iso(visitor.lastSeenAt)!,
          conversations: previous?.n ?? 1,
        }
      : null,
  };
}

export async function listMessages(db: Db, tenantId: string, conversationId: string, afterSeq: number, limit: number) {
  await getConversation(db, tenantId, conversationId);
  const rows = await db
    .select()
    .from(chatMessages)
    .where(tenantScope(db, tenantId).where(chatMessages, eq(chatMessages.conversationId, conversationId), gt(chatMessages.seq, afterSeq)))
    .orderBy(asc(chatMessages.seq))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { data: page.map(serializeMessage), next_after_seq: more ? page[page.length - 1]!.seq : null };
}
