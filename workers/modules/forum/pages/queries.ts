import { aliasedTable, and, asc, desc, eq, gt, inArray, isNotNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { forumBadges, forumCategories, forumMembers, forumPosts, forumTopics } from "../../../../schema/forum";
import { forumTopicMembers } from "../../../../schema/forum-reading";
import type { Db } from "../../../platform/db";
import { canRead, viewerId, type CategoryRow, type Viewer } from "../access";

/**
 * The hosted pages' reads, shaped for one page each and issued as one D1 batch where they can be
 * (a topic page is one round trip: topic, category, the page of posts with their authors, the
 * accepted answer, the reader's reactions/votes and read position — topic.queries.ts). Writes go
 * through the module's services; these only read, always scoped by tenant, and only what the
 * viewer may see. This file: the topic lists (home, category, sitemap) and a member's profile.
 */

export const TOPICS_PER_PAGE = 30;
export const POSTS_PER_PAGE = 50;
export type TopicSort = "latest" | "top" | "unanswered" | "solved";
export const SORTS: TopicSort[] = ["latest", "top", "unanswered", "solved"];

const author = aliasedTable(forumMembers, "author");
const lastPoster = aliasedTable(forumMembers, "last_poster");

const topicListFields = {
  id: forumTopics.id,
  slug: forumTopics.slug,
  title: forumTopics.title,
  kind: forumTopics.kind,
  status: forumTopics.status,
  pin: forumTopics.pin,
  lockedAt: forumTopics.lockedAt,
  acceptedPostId: forumTopics.acceptedPostId,
  categoryId: forumTopics.categoryId,
  postCount: forumTopics.postCount,
  lastPostNumber: forumTopics.lastPostNumber,
  viewCount: forumTopics.viewCount,
  likeCount: forumTopics.likeCount,
  score: forumTopics.score,
  lastPostedAt: forumTopics.lastPostedAt,
  createdAt: forumTopics.createdAt,
  authorName: author.displayName,
  authorUsername: author.username,
  lastPosterName: lastPoster.displayName,
};

/** Topic list rows with the author and last poster's display names (one query). */
function topicList(db: Db, tenantId: string, where: SQL | undefined, order: SQL[], limit: number, offset = 0) {
  return db
    .select(topicListFields)
    .from(forumTopics)
    .leftJoin(author, and(eq(author.tenantId, forumTopics.tenantId), eq(author.id, forumTopics.authorId)))
    .leftJoin(lastPoster, and(eq(lastPoster.tenantId, forumTopics.tenantId), eq(lastPoster.id, forumTopics.lastPosterId)))
    .where(and(eq(forumTopics.tenantId, tenantId), where))
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
}
export type TopicListRow = Awaited<ReturnType<typeof topicList>>[number];

const categoriesOf = (db: Db, tenantId: string) =>
  db
    .select()
    .from(forumCategories)
    .where(eq(forumCategories.tenantId, tenantId))
    .orderBy(asc(forumCategories.position), asc(forumCategories.createdAt));

/** Topics a viewer sees in lists: visible ones, plus their own held ones. */
function listable(v: Viewer): SQL | undefined {
  const me = viewerId(v);
  return me
    ? or(eq(forumTopics.status, "visible"), and(eq(forumTopics.status, "pending"), eq(forumTopics.authorId, me)))
    : eq(forumTopics.status, "visible");
}

/** Unread replies per category for a reader: topics they have opened with posts after their read position. */
function unreadByCategory(db: Db, tenantId: string, memberId: string) {
  return db
    .select({ categoryId: forumTopics.categoryId, n: sql<number>`count(*)` })
    .from(forumTopicMembers)
    .innerJoin(forumTopics, and(eq(forumTopics.tenantId, forumTopicMembers.tenantId), eq(forumTopics.id, forumTopicMembers.topicId)))
    .where(
      and(
        eq(forumTopicMembers.tenantId, tenantId),
        eq(forumTopicMembers.memberId, memberId),
        ne(forumTopicMembers.level, "muted"),
        eq(forumTopics.status, "visible"),
        lt(forumTopicMembers.lastReadPostNumber, forumTopics.lastPostNumber),
      ),
    )
    .groupBy(forumTopics.categoryId);
}

export async function homeData(db: Db, tenantId: string, v: Viewer) {
  const me = viewerId(v);
  // Categories first: the latest topics are limited to the readable ones.
  const categories = (await categoriesOf(db, tenantId)).filter((c) => canRead(c, v) && c.archivedAt === null);
  const ids = categories.map((c) => c.id);
  if (!ids.length) return { categories, topics: [], unread: new Map<string, number>() };
  const inReadable = inArray(forumTopics.categoryId, ids.slice(0, 90));
  const latest = topicList(
    db,
    tenantId,
    and(inReadable, listable(v)),
    [sql`case when ${forumTopics.pin} = 'global' then 0 else 1 end`, desc(forumTopics.lastPostedAt)],
    TOPICS_PER_PAGE,
  );
  if (!me) return { categories, topics: await latest, unread: new Map<string, number>() };
  const [topics, unread] = await db.batch([latest, unreadByCategory(db, tenantId, me)]);
  return { categories, topics, unread: new Map(unread.map((r) => [r.categoryId, Number(r.n)])) };
}

const SORT_ORDER: Record<TopicSort, { where?: SQL; order: SQL[] }> = {
  latest: { order: [desc(forumTopics.lastPostedAt)] },
  top: { order: [desc(forumTopics.score), desc(forumTopics.likeCount), desc(forumTopics.lastPostedAt)] },
  unanswered: { where: eq(forumTopics.postCount, 1), order: [desc(forumTopics.createdAt)] },
  solved: { where: isNotNull(forumTopics.acceptedPostId), order: [desc(forumTopics.lastPostedAt)] },
};

export async function categoryData(db: Db, tenantId: string, v: Viewer, slug: string, sort: TopicSort, page: number) {
  const categories = await categoriesOf(db, tenantId);
  const category = categories.find((c) => c.slug === slug && canRead(c, v));
  if (!category) return null;
  const s = SORT_ORDER[sort];
  const pinnedFirst = sql`case when ${forumTopics.pin} = 'none' then 1 else 0 end`;
  const topics = await topicList(
    db,
    tenantId,
    and(eq(forumTopics.categoryId, category.id), listable(v), s.where),
    sort === "latest" ? [pinnedFirst, ...s.order] : s.order,
    TOPICS_PER_PAGE + 1,
    (page - 1) * TOPICS_PER_PAGE,
  );
  return { category, topics: topics.slice(0, TOPICS_PER_PAGE), more: topics.length > TOPICS_PER_PAGE };
}

/** Topics for the sitemap: visible topics in public, unarchived categories (newest activity first). */
export async function sitemapTopics(db: Db, tenantId: string, limit = 5000) {
  return db
    .select({ id: forumTopics.id, slug: forumTopics.slug, lastPostedAt: forumTopics.lastPostedAt })
    .from(forumTopics)
    .innerJoin(forumCategories, and(eq(forumCategories.tenantId, forumTopics.tenantId), eq(forumCategories.id, forumTopics.categoryId)))
    .where(
      and(
        eq(forumTopics.tenantId, tenantId),
        eq(forumTopics.status, "visible"),
        eq(forumCategories.readAccess, "public"),
        sql`${forumCategories.archivedAt} is null`,
      ),
    )
    .orderBy(desc(forumTopics.lastPostedAt))
    .limit(limit);
}

export async function publicCategories(db: Db, tenantId: string): Promise<CategoryRow[]> {
  return (await categoriesOf(db, tenantId)).filter((c) => c.readAccess === "public" && c.archivedAt === null);
}

/** A member's profile: their row, badges and recent visible posts in categories the viewer may read. */
export async function profileData(db: Db, tenantId: string, v: Viewer, username: string) {
  const member = await db
    .select()
    .from(forumMembers)
    .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.username, username.toLowerCase())))
    .get();
  if (!member) return null;
  const [badges, categories, recent] = await db.batch([
    db
      .select()
      .from(forumBadges)
      .where(and(eq(forumBadges.tenantId, tenantId), eq(forumBadges.memberId, member.id))),
    categoriesOf(db, tenantId),
    db
      .select({
        postId: forumPosts.id,
        number: forumPosts.number,
        text: sql<string>`substr(${forumPosts.searchText}, 1, 200)`,
        createdAt: forumPosts.createdAt,
        topicId: forumTopics.id,
        topicSlug: forumTopics.slug,
        topicTitle: forumTopics.title,
        categoryId: forumTopics.categoryId,
      })
      .from(forumPosts)
      .innerJoin(forumTopics, and(eq(forumTopics.tenantId, forumPosts.tenantId), eq(forumTopics.id, forumPosts.topicId)))
      .where(
        and(
          eq(forumPosts.tenantId, tenantId),
          eq(forumPosts.authorId, member.id),
          eq(forumPosts.status, "visible"),
          eq(forumTopics.status, "visible"),
          gt(forumPosts.createdAt, 0),
        ),
      )
      .orderBy(desc(forumPosts.createdAt))
      .limit(40),
  ]);
  const readable = new Set(categories.filter((c) => canRead(c, v)).map((c) => c.id));
  return { member, badges, recent: recent.filter((r) => readable.has(r.categoryId)).slice(0, 20) };
}
