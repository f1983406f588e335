// The topic page's reads: the topic and a page of posts in one batch, a post's edit history, a public page's cache version.
import { aliasedTable, and, asc, eq, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import {
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
import { canRead, isModerator, viewerId, type Viewer } from "../access";
import { POSTS_PER_PAGE } from "./queries";

// The same alias as the topic lists' (queries.ts): a post's author's display fields.
const author = aliasedTable(forumMembers, "author");

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
