import { and, asc, desc, eq, gt, inArray, isNotNull, ne, sql, type SQL } from "drizzle-orm";
import { forumPosts, forumTopics, type ForumTopicStatus } from "../../../schema/forum";
import { forumTopicMembers } from "../../../schema/forum-reading";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { keyset, toPage } from "../../platform/pagination";
import { canAccept, canReply, canSeeTopic, viewerId, type CategoryRow, type TopicRow, type Viewer } from "./access";
import { getCategoryRow, readableCategories } from "./categories.service";
import { authorsOf, DELETED_AUTHOR, type AuthorView } from "./members.service";
import type { ForumSite } from "./posting";
import type { ForumSettingsRow } from "./settings.service";
import { mineOn, postVisibleTo, serializePost } from "./topics.posts";

/**
 * Topics: lists (latest, top, unanswered, solved — pinned first), the topic view with a page of
 * posts and view counts. Starting a topic is topics.create.ts; how posts look to a viewer,
 * topics.posts.ts.
 */

/** One forum request's context: the workspace, its settings and where its community lives. */
export interface ForumCtx {
  tenantId: string;
  settings: ForumSettingsRow;
  site: ForumSite;
  ip: string | null;
}

export async function getTopicRow(db: Db, tenantId: string, id: string): Promise<TopicRow> {
  const row = await db
    .select()
    .from(forumTopics)
    .where(tenantScope(db, tenantId).where(forumTopics, eq(forumTopics.id, id)))
    .get();
  if (!row) throw notFound("Topic");
  return row;
}

/** A topic and its category as the viewer may see them; 404 otherwise (never 403). */
export async function loadTopicFor(db: Db, tenantId: string, id: string, v: Viewer): Promise<{ topic: TopicRow; category: CategoryRow }> {
  const topic = await getTopicRow(db, tenantId, id);
  const category = await getCategoryRow(db, tenantId, topic.categoryId);
  if (!canSeeTopic(category, topic, v)) throw notFound("Topic");
  return { topic, category };
}

export const TOPIC_SORTS = ["latest", "top", "unanswered", "solved"] as const;
export type TopicSort = (typeof TOPIC_SORTS)[number];

export interface TopicListQuery {
  category?: string;
  sort?: TopicSort;
  /** Staff lists only: any status (default: visible). */
  status?: ForumTopicStatus;
  /** Staff lists: title contains. */
  q?: string;
  authorId?: string;
  limit: number;
  cursor?: string;
}

export const serializeTopic = (t: TopicRow, authors: Map<string, AuthorView>, category?: CategoryRow) => ({
  id: t.id,
  slug: t.slug,
  title: t.title,
  kind: t.kind,
  status: t.status,
  category_id: t.categoryId,
  ...(category ? { category: { id: category.id, slug: category.slug, name: category.name, color: category.color } } : {}),
  author: authors.get(t.authorId) ?? DELETED_AUTHOR,
  pinned: t.pin,
  locked: t.lockedAt !== null,
  solved: t.acceptedPostId !== null,
  accepted_post_id: t.acceptedPostId,
  merged_into_id: t.mergedIntoId,
  post_count: t.postCount,
  reply_count: Math.max(0, t.postCount - 1),
  last_post_number: t.lastPostNumber,
  view_count: t.viewCount,
  like_count: t.likeCount,
  score: t.score,
  last_posted_at: new Date(t.lastPostedAt).toISOString(),
  last_poster: authors.get(t.lastPosterId) ?? DELETED_AUTHOR,
  created_at: new Date(t.createdAt).toISOString(),
  updated_at: new Date(t.updatedAt).toISOString(),
});
export type TopicJson = ReturnType<typeof serializeTopic>;

/**
 * A page of topics the viewer may read. Pinned topics come first on the first page (global pins,
 * then — inside a category — that category's pins); the rest by the sort, cursor-paged.
 */
export async function listTopics(db: Db, tenantId: string, v: Viewer, q: TopicListQuery) {
  const sort = q.sort ?? "latest";
  const readable = await readableCategories(db, tenantId, v);
  const cats = new Map(readable.map((c) => [c.id, c]));
  if (q.category && !cats.has(q.category)) throw notFound("Category");
  const ids = q.category ? [q.category] : [...cats.keys()];
  if (!ids.length) return { data: [], next_cursor: null };
  const base: (SQL | undefined)[] = [
    inArray(forumTopics.categoryId, ids),
    eq(forumTopics.status, q.status ?? "visible"),
    q.authorId ? eq(forumTopics.authorId, q.authorId) : undefined,
    q.q ? sql`${forumTopics.title} like ${`%${q.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} escape '\\'` : undefined,
    sort === "unanswered" ? eq(forumTopics.postCount, 1) : undefined,
    sort === "solved" ? isNotNull(forumTopics.acceptedPostId) : undefined,
  ];
  // Pins lead only the plain lists (not a status filter, a search or an author's topics).
  const pinsApply = !q.status && !q.q && !q.authorId && (sort === "latest" || sort === "top");
  const pinned = (t: { pin: string }) => t.pin === "global" || (q.category !== undefined && t.pin === "category");
  let pins: TopicRow[] = [];
  if (pinsApply && !q.cursor) {
    pins = await db
      .select()
      .from(forumTopics)
      .where(tenantScope(db, tenantId).where(forumTopics, ...base, ne(forumTopics.pin, "none")))
      .orderBy(desc(forumTopics.lastPostedAt))
      .limit(50);
    pins = pins.filter(pinned).sort((a, b) => (a.pin === b.pin ? 0 : a.pin === "global" ? -1 : 1));
  }
  const notPinned = pinsApply ? (q.category ? eq(forumTopics.pin, "none") : ne(forumTopics.pin, "global")) : undefined;
  const order = sort === "top" ? forumTopics.score : forumTopics.lastPostedAt;
  const ks = keyset(order, forumTopics.id, q.cursor);
  const rows = await db
    .select()
    .from(forumTopics)
    .where(tenantScope(db, tenantId).where(forumTopics, ...base, notPinned, ks.where))
    .orderBy(...ks.orderBy)
    .limit(q.limit + 1);
  const authors = await authorsOf(
    db,
    tenantId,
    [...pins, ...rows].flatMap((t) => [t.authorId, t.lastPosterId]),
  );
  const page = toPage(
    rows,
    q.limit,
    (t) => ({ createdAt: sort === "top" ? t.score : t.lastPostedAt, id: t.id }),
    (t) => serializeTopic(t, authors, cats.get(t.categoryId)),
  );
  return { data: [...pins.map((t) => serializeTopic(t, authors, cats.get(t.categoryId))), ...page.data], next_cursor: page.next_cursor };
}

/**
 * A topic with a page of its posts (numbers after `after`, in order), the viewer's reactions and
 * votes on them, their read position and notification level, and what they may do.
 */
export async function topicView(db: Db, tenantId: string, v: Viewer, id: string, page: { after?: number; limit?: number } = {}) {
  const { topic, category } = await loadTopicFor(db, tenantId, id, v);
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 100);
  const rows = await db
    .select()
    .from(forumPosts)
    .where(tenantScope(db, tenantId).where(forumPosts, eq(forumPosts.topicId, topic.id), gt(forumPosts.number, page.after ?? 0)))
    .orderBy(asc(forumPosts.number))
    .limit(limit + 1);
  const more = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  const posts = pageRows.filter((p) => postVisibleTo(p, v));
  const me = viewerId(v);
  const [authors, mine, state] = await Promise.all([
    authorsOf(db, tenantId, [topic.authorId, topic.lastPosterId, ...posts.map((p) => p.authorId)]),
    mineOn(
      db,
      tenantId,
      v,
      posts.map((p) => p.id),
    ),
    me
      ? db
          .select()
          .from(forumTopicMembers)
          .where(
            tenantScope(db, tenantId).where(forumTopicMembers, eq(forumTopicMembers.topicId, topic.id), eq(forumTopicMembers.memberId, me)),
          )
          .get()
      : Promise.resolve(undefined),
  ]);
  return {
    topic: serializeTopic(topic, authors, category),
    posts: posts.map((p) => serializePost(p, authors, topic, v, mine)),
    next_after: more ? (pageRows[pageRows.length - 1]?.number ?? null) : null,
    read_position: state?.lastReadPostNumber ?? 0,
    notification_level: state?.level ?? "normal",
    can_reply: canReply(category, topic, v),
    can_accept: canAccept(topic, v),
    // Raw rows for server-rendered pages (they format on their own).
    rows: { topic, category, posts, authors },
  };
}

/** Counts a view (pages and the API's topic read call it once per request). */
export async function recordTopicView(db: Db, tenantId: string, id: string): Promise<void> {
  await db
    .update(forumTopics)
    .set({ viewCount: sql`${forumTopics.viewCount} + 1` })
    .where(and(eq(forumTopics.tenantId, tenantId), eq(forumTopics.id, id)));
}
