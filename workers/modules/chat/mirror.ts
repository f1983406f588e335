import type { ConversationStatus, MessageRole } from "../../../schema/chat";
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

/** chat_messages has 10 columns and D1 binds at most 100 parameters per statement. */
const ROWS_PER_INSERT = 10;
const INSERT_HEAD =
  "INSERT INTO chat_messages (tenant_id, conversation_id, seq, id, role, author_id, author_name, body, citations, created_at) VALUES ";
const INSERT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const INSERT_TAIL = " ON CONFLICT DO NOTHING";
const UPDATE_SUMMARY = `UPDATE chat_conversations SET status = ?, assignee_id = ?, message_count = ?, unread_agent = ?,
  csat_rating = ?, csat_comment = ?, closed_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`;
const UPDATE_SUMMARY_LAST = `UPDATE chat_conversations SET status = ?, assignee_id = ?, message_count = ?, unread_agent = ?,
  csat_rating = ?, csat_comment = ?, closed_at = ?, updated_at = ?, last_message = ?, last_message_at = ? WHERE tenant_id = ? AND id = ?`;

/**
 * Writes conversations' new messages and summaries to D1 in one batch (one transaction). Inserts
 * are idempotent on (tenant, conversation, seq), so a retried mirror never duplicates a transcript
 * line; updates of the same conversation apply in the order given. Plain prepared statements: this
 * runs for every flush of every live conversation, and building them with drizzle was ~3 % of the
 * local runtime thread at 300 sessions (the citations column holds the JSON text the session
 * stored, as drizzle's JSON mode would write it).
 */
export async function mirrorConversations(env: Env, updates: MirrorUpdate[]): Promise<void> {
  const d1 = env.DB;
  const now = Date.now();
  const statements: D1PreparedStatement[] = [];
  for (const u of updates) {
    const s = u.summary;
    const head = [s.status, s.assigneeId, s.messageCount, s.unreadAgent, s.csatRating, s.csatComment, s.closedAt, now];
    statements.push(
      s.last
        ? d1.prepare(UPDATE_SUMMARY_LAST).bind(...head, s.last.body, s.last.at, u.tenantId, u.conversationId)
        : d1.prepare(UPDATE_SUMMARY).bind(...head, u.tenantId, u.conversationId),
    );
    for (let i = 0; i < u.rows.length; i += ROWS_PER_INSERT) {
      const chunk = u.rows.slice(i, i + ROWS_PER_INSERT);
      const values = chunk.flatMap((r) => [
        u.tenantId,
        u.conversationId,
        r.seq,
        r.id,
        r.role,
        r.author_id,
        r.author_name,
        r.body,
        r.citations,
        r.created_at,
      ]);
      statements.push(d1.prepare(INSERT_HEAD + chunk.map(() => INSERT_ROW).join(", ") + INSERT_TAIL).bind(...values));
    }
  }
  if (!statements.length) return;
  await d1.batch(statements);
  // Once per conversation (the event id is derived from it, so later mirrors publish nothing new).
  for (const u of updates)
    if (u.summary.status === "closed")
      await publishEventSafely(getDb(env.DB), env.OUTBOX, {
        tenantId: u.tenantId,
        type: "conversation.closed",
        eventId: `evt_closed_${u.conversationId}`,
        data: { conversation_id: u.conversationId, csat: u.summary.csatRating },
      });
}
