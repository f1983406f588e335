import { and, eq } from "drizzle-orm";
import { chatConversations, chatMessages, type Citation, type MessageRole } from "../../../schema/chat";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import type { SessionMeta } from "./session.store";
import { publishEventSafely } from "../webhooks";

interface MirrorRow {
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
 * Writes a ChatSession's new messages and its summary to D1 in one batch. Inserts are idempotent
 * on (tenant, conversation, seq), so a retried mirror never duplicates a transcript line.
 */
export async function mirrorConversation(env: Env, m: SessionMeta, rows: MirrorRow[], lastSeq: number): Promise<void> {
  const db = getDb(env.DB);
  const last = rows[rows.length - 1];
  const inserts = rows.map((r) =>
    db
      .insert(chatMessages)
      .values({
        tenantId: m.tenantId,
        conversationId: m.conversationId,
        seq: r.seq,
        id: r.id,
        role: r.role,
        authorId: r.author_id,
        authorName: r.author_name,
        body: r.body,
        citations: r.citations ? (JSON.parse(r.citations) as Citation[]) : null,
        createdAt: r.created_at,
      })
      .onConflictDoNothing(),
  );
  const summary = db
    .update(chatConversations)
    .set({
      status: m.status,
      assigneeId: m.assigneeId,
      ...(last ? { lastMessage: last.body.slice(0, 200), lastMessageAt: last.created_at } : {}),
      messageCount: lastSeq,
      unreadAgent: m.unreadAgent,
      csatRating: m.csatRating,
      csatComment: m.csatComment,
      closedAt: m.closedAt,
      updatedAt: Date.now(),
    })
    .where(and(eq(chatConversations.tenantId, m.tenantId), eq(chatConversations.id, m.conversationId)));
  await db.batch([summary, ...inserts]);
  // Once per conversation (the event id is derived from it, so later mirrors publish nothing new).
  if (m.status === "closed")
    await publishEventSafely(db, env.OUTBOX, {
      tenantId: m.tenantId,
      type: "conversation.closed",
      eventId: `evt_closed_${m.conversationId}`,
      data: { conversation_id: m.conversationId, csat: m.csatRating },
    });
}
