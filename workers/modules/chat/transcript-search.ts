/**
 * Inbox search: transcripts through FTS5 (`chat_messages_fts`, custom migration `chat_fts`; BM25
 * ranking, porter stemming) plus the visitor's name/email. Every MATCH requires the tenant's scope
 * token, so a search only walks the calling tenant's postings, and the join on tenant_id is
 * defence in depth. Results are ranked (name/email matches, then best-matching transcript line,
 * then newest), so pages are numbered by position: the cursor is an opaque offset.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { containsPattern } from "../../platform/db";
import type { ConversationRow, InboxView } from "./conversations.service";

const MAX_TERMS = 16;
/** Transcript lines considered per search (the best-ranked ones). */
const MAX_LINES = 2000;
const STOP = new Set(
  "a an and are as at be by can do does for from how i in is it me my of on or our so the this to was we what when where which who why with you your".split(
    " ",
  ),
);

/** The FTS token for a tenant; the migration's triggers compute the same ('zt' + id without '_'). */
export const scopeToken = (tenantId: string) => `zt${tenantId.toLowerCase().replace(/[^a-z0-9]/g, "")}`;

/**
 * Text from the search box → a safe MATCH expression: every word must occur (as a prefix, so
 * "refu" finds "refunds"), each quoted so FTS syntax in the input is inert. Function words are
 * dropped unless nothing else is left. Null when there is no word at all.
 */
export function transcriptMatch(query: string, tenantId: string): string | null {
  const all = [
    ...new Set(
      query
        .toLowerCase()
        .normalize("NFKD")
        .match(/[\p{L}\p{N}]+/gu) ?? [],
    ),
  ];
  const content = all.filter((w) => !STOP.has(w));
  const terms = (content.length ? content : all).slice(0, MAX_TERMS);
  if (!terms.length) return null;
  return `fts_scope:"${scopeToken(tenantId)}" AND body:(${terms.map((t) => `"${t}"*`).join(" AND ")})`;
}

const encodeOffset = (n: number) => btoa(`rank:${n}`).replace(/=+$/, "");
function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const m = /^rank:(\d{1,7})$/.exec(atob(cursor));
    if (m) return Number(m[1]);
  } catch {
    /* fall through */
  }
  throw badRequest("The cursor is not valid; pass `next_cursor` from a previous page unchanged.");
}

interface RawConversation {
  tenant_id: string;
  id: string;
  visitor_id: string;
  user_id: string | null;
  status: ConversationRow["status"];
  assignee_id: string | null;
  visitor_name: string | null;
  visitor_email: string | null;
  page_url: string | null;
  prechat: string | null;
  last_message: string | null;
  last_message_at: number;
  message_count: number;
  unread_agent: number;
  csat_rating: number | null;
  csat_comment: string | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

const toRow = (r: RawConversation): ConversationRow => ({
  tenantId: r.tenant_id,
  id: r.id,
  visitorId: r.visitor_id,
  userId: r.user_id,
  status: r.status,
  assigneeId: r.assignee_id,
  visitorName: r.visitor_name,
  visitorEmail: r.visitor_email,
  pageUrl: r.page_url,
  prechat: r.prechat ? (JSON.parse(r.prechat) as Record<string, string>) : null,
  lastMessage: r.last_message,
  lastMessageAt: r.last_message_at,
  messageCount: r.message_count,
  unreadAgent: r.unread_agent,
  csatRating: r.csat_rating,
  csatComment: r.csat_comment,
  closedAt: r.closed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** One page of the tenant's conversations matching `q`, best first; `next_cursor` when more. */
export async function searchConversations(
  db: Db,
  tenantId: string,
  opts: { q: string; view: InboxView; userId: string; limit: number; cursor?: string },
): Promise<{ rows: ConversationRow[]; nextCursor: string | null }> {
  const offset = decodeOffset(opts.cursor);
  const match = transcriptMatch(opts.q, tenantId);
  const pat = containsPattern(opts.q);
  let view: SQL = sql``;
  if (opts.view === "mine") view = sql` AND c.assignee_id = ${opts.userId} AND c.status != 'closed'`;
  else if (opts.view !== "all") view = sql` AND c.status = ${opts.view}`;
  // Best (lowest) BM25 per conversation among the tenant's best-matching transcript lines. bm25()
  // cannot sit inside an aggregate, so it is computed in a subquery; its LIMIT keeps SQLite from
  // flattening it and caps the work at MAX_LINES lines.
  const hits = match
    ? sql`SELECT conversation_id, MIN(score) AS rank FROM (
            SELECT conversation_id, bm25(chat_messages_fts) AS score FROM chat_messages_fts
            WHERE chat_messages_fts MATCH ${match} AND tenant_id = ${tenantId}
            ORDER BY score LIMIT ${MAX_LINES}
          ) GROUP BY conversation_id`
    : sql`SELECT NULL AS conversation_id, NULL AS rank WHERE 0`;
  const rows = await db.all<RawConversation & { name_hit: number; rank: number | null }>(sql`
    WITH hits AS (${hits})
    SELECT c.*, (c.visitor_name LIKE ${pat} ESCAPE '\\' OR c.visitor_email LIKE ${pat} ESCAPE '\\') AS name_hit, h.rank AS rank
    FROM chat_conversations c LEFT JOIN hits h ON h.conversation_id = c.id
    WHERE c.tenant_id = ${tenantId}${view}
      AND (h.conversation_id IS NOT NULL OR c.visitor_name LIKE ${pat} ESCAPE '\\' OR c.visitor_email LIKE ${pat} ESCAPE '\\')
    ORDER BY name_hit DESC, h.rank IS NULL, h.rank, c.created_at DESC, c.id DESC
    LIMIT ${opts.limit + 1} OFFSET ${offset}`);
  const more = rows.length > opts.limit;
  return { rows: rows.slice(0, opts.limit).map(toRow), nextCursor: more ? encodeOffset(offset + opts.limit) : null };
}
