import { aliasedTable, and, asc, desc, eq, gt, inArray, isNotNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import {
  forumBadges,
  forumCategories,
  forumMembers,
  forumPostRevisions,
  forumPosts,
  forumReactions,
  forumTopics,
  forumVotes,
} from "../../../../schema/forum";
import { forumTopicMembers } from "../../../../schema/forum-reading";
import type { Db } from "../../../platform/db";
import { canRead, isModerator, viewerId, type CategoryRow, type Viewer } from "../access";

/**
 * The hosted pages' reads, shaped for one page each and issued as one D1 batch where they can be
 * (a topic page is one round trip: topic, category, the page of posts with their authors, the
 * accepted answer, the reader's reactions/votes and read position). Writes go through the module's
 * services; these only read, always scoped by tenant, and only what the viewer may see.
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

const postFields = {
  id: forumPosts.id,
  number: forumPosts.number,
  authorId: forumPosts.authorId,
  replyToPostId: forumPosts.replyToPostId,
  bodyHtml: forumPosts.bodyHtml,
  bodyMarkdown: forumPosts.bodyMarkdown,
  status: forumPosts.status,
  reactions: forumPosts.reactions,
  upvotes: forumPosts.upvotes,
  downvotes: forumPosts.downvotes,
  revisionCount: forumPosts.revisionCount,
  editedAt: forumPosts.editedAt,
  createdAt: forumPosts.createdAt,
  authorName: author.displayName,
  authorUsername: author.username,
  authorKind: author.kind,
  authorTrust: author.trustLevel,
  authorModerator: author.moderator,
  authorReputation: author.reputation,
};
function postsQuery(db: Db, tenantId: string, topicId: string, cond: SQL | undefined, limit: number, offset = 0) {
  return db
    .select(postFields)
    .from(forumPosts)
    .leftJoin(author, and(eq(author.tenantId, forumPosts.tenantId), eq(author.id, forumPosts.authorId)))
    .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.topicId, topicId), cond))
    .orderBy(asc(forumPosts.number))
    .limit(limit)
    .offset(offset);
}
export type PostRow = Awaited<ReturnType<typeof postsQuery>>[number];

/**
 * A topic page: the topic, its category, one page of posts (by number) with authors, the accepted
 * answer (shown on top whatever page it is on), and the reader's reactions, votes and read position
 * for the posts of this page — one batch. Null when the topic does not exist or the viewer may not
 * see it (private category, held or hidden topic of someone else): the page answers 404.
 */
export async function topicData(db: Db, tenantId: string, v: Viewer, topicId: string, page: number) {
  const me = viewerId(v) ?? "";
  const from = (page - 1) * POSTS_PER_PAGE;
  const postsOf = (cond: SQL | undefined, limit: number, offset = 0) => postsQuery(db, tenantId, topicId, cond, limit, offset);
  // Moderators see every post (marked); others see visible posts and their own held ones.
  const seen = isModerator(v)
    ? ne(forumPosts.status, "deleted")
    : or(eq(forumPosts.status, "visible"), and(eq(forumPosts.status, "pending"), eq(forumPosts.authorId, me)));
  const pagePostIds = db
    .select({ id: forumPosts.id })
    .from(forumPosts)
    .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.topicId, topicId), seen))
    .orderBy(asc(forumPosts.number))
    .limit(POSTS_PER_PAGE)
    .offset(from);
  const shared = [
    db
      .select()
      .from(forumTopics)
      .where(and(eq(forumTopics.tenantId, tenantId), eq(forumTopics.id, topicId))),
    db
      .select()
      .from(forumCategories)
      .where(
        and(
          eq(forumCategories.tenantId, tenantId),
          eq(
            forumCategories.id,
            sql`(select ${forumTopics.categoryId} from ${forumTopics} where ${forumTopics.tenantId} = ${tenantId} and ${forumTopics.id} = ${topicId})`,
          ),
        ),
      ),
    postsOf(seen, POSTS_PER_PAGE + 1, from),
    postsOf(
      and(
        eq(forumPosts.status, "visible"),
        eq(
          forumPosts.id,
          sql`(select ${forumTopics.acceptedPostId} from ${forumTopics} where ${forumTopics.tenantId} = ${tenantId} and ${forumTopics.id} = ${topicId})`,
        ),
      ),
      1,
    ),
  ] as const;
  // A signed-out reader has no reactions, votes or read position: their page is four statements.
  const [topicRows, categoryRows, posts, accepted, reactions, votes, reading] = me
    ? await db.batch([
        ...shared,
        db
          .select({ postId: forumReactions.postId, reaction: forumReactions.reaction })
          .from(forumReactions)
          .where(and(eq(forumReactions.tenantId, tenantId), eq(forumReactions.memberId, me), inArray(forumReactions.postId, pagePostIds))),
        db
          .select({ postId: forumVotes.postId, value: forumVotes.value })
          .from(forumVotes)
          .where(and(eq(forumVotes.tenantId, tenantId), eq(forumVotes.memberId, me), inArray(forumVotes.postId, pagePostIds))),
        db
          .select()
          .from(forumTopicMembers)
          .where(and(eq(forumTopicMembers.tenantId, tenantId), eq(forumTopicMembers.topicId, topicId), eq(forumTopicMembers.memberId, me))),
      ])
    : [...(await db.batch(shared)), [], [], []];
  const topic = topicRows[0];
  const category = categoryRows[0];
  if (!topic || !category || !canRead(category, v)) return null;
  if (topic.status !== "visible" && !isModerator(v) && !(topic.status === "pending" && topic.authorId === me)) return null;
  const mine = new Map<string, Set<string>>();
  for (const r of reactions) mine.set(r.postId, (mine.get(r.postId) ?? new Set()).add(r.reaction));
  return {
    topic,
    category,
    posts: posts.slice(0, POSTS_PER_PAGE),
    more: posts.length > POSTS_PER_PAGE,
    accepted: accepted[0] ?? null,
    myReactions: mine,
    myVotes: new Map(votes.map((r) => [r.postId, r.value])),
    reading: reading[0] ?? null,
  };
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

/** A post's earlier versions (the edit history), oldest first. */
export async function revisionsOf(db: Db, tenantId: string, postId: string) {
  return db
    .select({
      number: forumPostRevisions.number,
      bodyMarkdown: forumPostRevisions.bodyMarkdown,
      createdAt: forumPostRevisions.createdAt,
      reason: forumPostRevisions.reason,
    })
    .from(forumPostRevisions)
    .where(and(eq(forumPostRevisions.tenantId, tenantId), eq(forumPostRevisions.postId, postId)))
    .orderBy(asc(forumPostRevisions.number))
    .limit(50);
}

/**
 * What a signed-out reader's cached topic page depends on, in one small query: null unless the topic
 * is visible in a public, unarchived category (only such pages are cached). Any post added, hidden,
 * accepted, a lock/pin/move/rename or a category change alters it.
 */
export async function publicTopicVersion(db: Db, tenantId: string, topicId: string): Promise<string | null> {
  const row = await db
    .select({
      updatedAt: forumTopics.updatedAt,
      postCount: forumTopics.postCount,
      last: forumTopics.lastPostNumber,
      accepted: forumTopics.acceptedPostId,
      status: forumTopics.status,
      lockedAt: forumTopics.lockedAt,
      pin: forumTopics.pin,
      likes: forumTopics.likeCount,
      score: forumTopics.score,
      categoryId: forumTopics.categoryId,
      readAccess: forumCategories.readAccess,
      archivedAt: forumCategories.archivedAt,
      categoryUpdatedAt: forumCategories.updatedAt,
    })
    .from(forumTopics)
    .innerJoin(forumCategories, and(eq(forumCategories.tenantId, forumTopics.tenantId), eq(forumCategories.id, forumTopics.categoryId)))
    .where(and(eq(forumTopics.tenantId, tenantId), eq(forumTopics.id, topicId)))
    .get();
  if (row?.status !== "visible" || row.readAccess !== "public" || row.archivedAt !== null) return null;
  return [
    row.updatedAt,
    row.postCount,
    row.last,
    row.accepted,
    row.lockedAt,
    row.pin,
    row.likes,
    row.score,
    row.categoryId,
    row.categoryUpdatedAt,
  ].join("|");
}
