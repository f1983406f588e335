import { and, eq } from "drizzle-orm";
import { chatConversations, chatMessages, type Citation, type ConversationStatus, type MessageRole } from "../../../schema/chat";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import type { SessionMeta } from "./session.store";
import { publishEventSafely } from "../webhooks";

export interface MirrorRow {
  seq: number;
  id: string;
  role: MessageRole;
  author_id: string | null;
  author_name: string | null;
  body: string;
  citations: string | null;
  created_at: number;
}

/**
 * One conversation's share of a D1 mirror batch: its transcript lines not mirrored yet and its
 * summary row. Plain data, so a ChatSession can hand it to the TenantInbox, which writes the
 * updates of all the workspace's conversations waiting at that moment in one batch.
 */
export interface MirrorUpdate {
  tenantId: string;
  conversationId: string;
  rows: MirrorRow[];
  summary: {
    status: ConversationStatus;
    assigneeId: string | null;
    /** The latest line of `rows` (absent when there are none: the stored one stays). */
    last: { body: string; at: number } | null;
    messageCount: number;
    unreadAgent: number;
    csatRating: number | null;
    csatComment: string | null;
    closedAt: number | null;
  };
}

export function mirrorUpdate(m: SessionMeta, rows: MirrorRow[], lastSeq: number): MirrorUpdate {
  const last = rows[rows.length - 1];
  return {
    tenantId: m.tenantId,
    conversationId: m.conversationId,
    rows: rows.map((r) => ({
      seq: r.seq,
      id: r.id,
      role: r.role,
      author_id: r.author_id,
      author_name: r.author_name,
      body: r.body,
      citations: r.citations,
      created_at: r.created_at,
    })),
    summary: {
      status: m.status,
      assigneeId: m.assigneeId,
      last: last ? { body: last.body.slice(0, 200), at: last.created_at } : null,
      messageCount: lastSeq,
      unreadAgent: m.unreadAgent,
      csatRating: m.csatRating,
      csatComment: m.csatComment,
      closedAt: m.closedAt,
    },
  };
}

/** chat_messages has 11 columns and D1 binds at most 100 parameters per statement. */
const ROWS_PER_INSERT = 9;

/**
 * Writes conversations' new messages and summaries to D1 in one batch (one transaction). Inserts
 * are idempotent on (tenant, conversation, seq), so a retried mirror never duplicates a transcript
 * line; updates of the same conversation apply in the order given.
 */
export async function mirrorConversations(env: Env, updates: MirrorUpdate[]): Promise<void> {
  const db = getDb(env.DB);
  const now = Date.now();
  const statements = updates.flatMap((u) => {
    const s = u.summary;
    const summary = db
      .update(chatConversations)
      .set({
        status: s.status,
        assigneeId: s.assigneeId,
        ...(s.last ? { lastMessage: s.last.body, lastMessageAt: s.last.at } : {}),
        messageCount: s.messageCount,
        unreadAgent: s.unreadAgent,
        csatRating: s.csatRating,
        csatComment: s.csatComment,
        closedAt: s.closedAt,
        updatedAt: now,
      })
      .where(and(eq(chatConversations.tenantId, u.tenantId), eq(chatConversations.id, u.conversationId)));
    const inserts = [];
    for (let i = 0; i < u.rows.length; i += ROWS_PER_INSERT)
      inserts.push(
        db
          .insert(chatMessages)
          .values(
            u.rows.slice(i, i + ROWS_PER_INSERT).map((r) => ({
              tenantId: u.tenantId,
              conversationId: u.conversationId,
              seq: r.seq,
              id: r.id,
              role: r.role,
              authorId: r.author_id,
              authorName: r.author_name,
              body: r.body,
              citations: r.citations ? (JSON.parse(r.citations) as Citation[]) : null,
              createdAt: r.created_at,
            })),
          )
          .onConflictDoNothing(),
      );
    return [summary, ...inserts];
  });
  const [first, ...rest] = statements;
  if (!first) return;
  await db.batch([first, ...rest]);
  // Once per conversation (the event id is derived from it, so later mirrors publish nothing new).
  for (const u of updates)
    if (u.summary.status === "closed")
      await publishEventSafely(db, env.OUTBOX, {
        tenantId: u.tenantId,
        type: "conversation.closed",
        eventId: `evt_closed_${u.conversationId}`,
        data: { conversation_id: u.conversationId, csat: u.summary.csatRating },
      });
}
