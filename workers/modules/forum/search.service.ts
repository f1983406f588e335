import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import type { Viewer } from "./access";
import { readableCategories } from "./categories.service";
import { authorsOf, DELETED_AUTHOR, memberByUsername } from "./members.service";

/**
 * Community search over `forum_posts_fts` (FTS5, migration 0027: the topic title on each topic's
 * first post, every post's plain text). Every word of the query is a required prefix term; the MATCH
 * also requires the tenant's scope token, so a search walks only this workspace's postings.
 * Visibility is joined in: visible posts of visible topics in categories the caller may read.
 *
 * Ranking (documented in docs/forum.md):
 *   score = relevance × recency × answer
 *   relevance = −bm25(title weight 10, body weight 1)   (FTS5's bm25 is negative; higher = better)
 *   recency   = 1 / (1 + age_in_days / 90)              (a 90-day-old post counts half as much)
 *   answer    = 1.5 for a topic's accepted answer, else 1
 * Snippets: FTS5 `snippet()` around the matches, HTML-escaped, matches wrapped in `<mark>`.
 */

const MAX_TERMS = 10;
const BM25 = "10.0, 1.0, 0.0";
const RECENCY_DAYS = 90;
const OPEN = "\u0002";
const CLOSE = "\u0003";

export const scopeToken = (tenantId: string) => `zt${tenantId.toLowerCase().replace(/_/g, "")}`;

export function termsOf(q: string): string[] {
  return [...new Set(q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, MAX_TERMS);
}

/** The words → a MATCH expression (each quoted, so FTS syntax typed by the caller is inert). */
export function forumMatch(tenantId: string, terms: string[], columns: "title" | "all", join: "AND" | "OR"): string {
  const cols = columns === "title" ? "title" : "{title body}";
  return `fts_scope:"${scopeToken(tenantId)}" AND ${cols}:(${terms.map((t) => `"${t}"*`).join(` ${join} `)})`;
}

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Escapes everything, then turns the match markers into `<mark>`. */
export function markSnippet(raw: string): string {
  return raw
    .replace(/[&<>"']/g, (ch) => ESC[ch] ?? ch)
    .replaceAll(OPEN, "<mark>")
    .replaceAll(CLOSE, "</mark>");
}

const encodeOffset = (n: number) => btoa(`o:${n}`).replace(/=+$/, "");
function decodeOffset(cursor: string): number {
  try {
    const m = /^o:(\d{1,6})$/.exec(atob(cursor));
    if (m?.[1]) return Number(m[1]);
  } catch {
    // fall through
  }
  throw badRequest("The cursor is not valid; pass `next_cursor` from a previous page unchanged.");
}

export interface SearchQuery {
  q: string;
  category?: string;
  /** A username. */
  author?: string;
  solved?: boolean;
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

interface Hit {
  post_id: string;
  number: number;
  author_id: string;
  created_at: number;
  topic_id: string;
  topic_slug: string;
  topic_title: string;
  category_id: string;
  accepted_post_id: string | null;
  snip: string;
  title_hl: string;
  score: number;
}

export async function searchPosts(db: Db, tenantId: string, v: Viewer, q: SearchQuery, now = Date.now()) {
  const terms = termsOf(q.q);
  const empty = { data: [], next_cursor: null };
  if (!terms.length) return empty;
  const readable = (await readableCategories(db, tenantId, v)).map((c) => c.id);
  const cats = q.category ? readable.filter((id) => id === q.category) : readable;
  if (!cats.length) return empty;
  let authorId: string | null = null;
  if (q.author) {
    authorId = (await memberByUsername(db, tenantId, q.author.replace(/^@/, "")))?.id ?? null;
    if (!authorId) return empty;
  }
  const conds: SQL[] = [
    sql`t.category_id IN (${sql.join(
      cats.slice(0, 80).map((c) => sql`${c}`),
      sql`, `,
    )})`,
  ];
  if (authorId) conds.push(sql`p.author_id = ${authorId}`);
  if (q.solved === true) conds.push(sql`t.accepted_post_id IS NOT NULL`);
  if (q.solved === false) conds.push(sql`t.accepted_post_id IS NULL`);
  if (q.from !== undefined) conds.push(sql`p.created_at >= ${q.from}`);
  if (q.to !== undefined) conds.push(sql`p.created_at <= ${q.to}`);
  const offset = q.cursor ? decodeOffset(q.cursor) : 0;
  const rows = await db.all<Hit>(sql`
    SELECT p.id AS post_id, p.number AS number, p.author_id AS author_id, p.created_at AS created_at,
      t.id AS topic_id, t.slug AS topic_slug, t.title AS topic_title, t.category_id AS category_id, t.accepted_post_id AS accepted_post_id,
      snippet(forum_posts_fts, 1, char(2), char(3), '…', 24) AS snip,
      highlight(forum_posts_fts, 0, char(2), char(3)) AS title_hl,
      (-bm25(forum_posts_fts, ${sql.raw(BM25)}))
        * (1.0 / (1.0 + ((${now} - p.created_at) / 86400000.0) / ${sql.raw(`${RECENCY_DAYS}.0`)}))
        * (CASE WHEN t.accepted_post_id = p.id THEN 1.5 ELSE 1.0 END) AS score
    FROM forum_posts_fts
    JOIN forum_posts p ON p.tenant_id = forum_posts_fts.tenant_id AND p.id = forum_posts_fts.post_id
    JOIN forum_topics t ON t.tenant_id = p.tenant_id AND t.id = p.topic_id
    WHERE forum_posts_fts MATCH ${forumMatch(tenantId, terms, "all", "AND")}
      AND forum_posts_fts.tenant_id = ${tenantId}
      AND p.status = 'visible' AND t.status = 'visible'
      AND ${sql.join(conds, sql` AND `)}
    ORDER BY score DESC, p.id
    LIMIT ${q.limit + 1} OFFSET ${offset}`);
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const authors = await authorsOf(
    db,
    tenantId,
    page.map((r) => r.author_id),
  );
  return {
    data: page.map((r) => ({
      topic: {
        id: r.topic_id,
        slug: r.topic_slug,
        title: r.topic_title,
        title_html: markSnippet(r.number === 1 && r.title_hl ? r.title_hl : r.topic_title),
        category_id: r.category_id,
        solved: r.accepted_post_id !== null,
      },
      post: {
        id: r.post_id,
        number: r.number,
        author: authors.get(r.author_id) ?? DELETED_AUTHOR,
        accepted: r.accepted_post_id === r.post_id,
        created_at: new Date(r.created_at).toISOString(),
      },
      snippet: markSnippet(r.snip ?? ""),
      score: Number(Number(r.score).toPrecision(6)),
    })),
    next_cursor: more ? encodeOffset(offset + q.limit) : null,
  };
}

const STOP = new Set([
  "the",
  "and",
  "for",
  "with",
  "how",
  "what",
  "why",
  "can",
  "does",
  "not",
  "you",
  "are",
  "is",
  "to",
  "a",
  "an",
  "of",
  "in",
  "on",
  "my",
  "do",
  "i",
]);

/** Up to 5 topics whose titles share words with `title` (for "similar topics" while typing a new one). */
export async function similarTopics(db: Db, tenantId: string, v: Viewer, title: string, limit = 5) {
  const terms = termsOf(title).filter((t) => t.length > 2 && !STOP.has(t));
  if (!terms.length) return [];
  const cats = (await readableCategories(db, tenantId, v)).map((c) => c.id);
  if (!cats.length) return [];
  const rows = await db.all<{
    id: string;
    slug: string;
    title: string;
    category_id: string;
    accepted_post_id: string | null;
    post_count: number;
  }>(sql`
    SELECT t.id AS id, t.slug AS slug, t.title AS title, t.category_id AS category_id, t.accepted_post_id AS accepted_post_id, t.post_count AS post_count
    FROM forum_posts_fts
    JOIN forum_topics t ON t.tenant_id = forum_posts_fts.tenant_id AND t.id = forum_posts_fts.topic_id
    WHERE forum_posts_fts MATCH ${forumMatch(tenantId, terms, "title", "OR")}
      AND forum_posts_fts.tenant_id = ${tenantId}
      AND t.status = 'visible'
      AND t.category_id IN (${sql.join(
        cats.slice(0, 80).map((c) => sql`${c}`),
        sql`, `,
      )})
    ORDER BY bm25(forum_posts_fts, ${sql.raw(BM25)})
    LIMIT ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    category_id: r.category_id,
    solved: r.accepted_post_id !== null,
    reply_count: Math.max(0, r.post_count - 1),
  }));
}
