import { and, eq, inArray, sql } from "drizzle-orm";
import { forumAiReviews, forumFlags, forumModActions } from "../../../schema/forum-moderation";
import { forumBadges, forumMembers, forumPostRevisions, forumPosts, forumReactions, forumTopics, forumVotes } from "../../../schema/forum";
import { forumCategoryMembers, forumDrafts, forumNotices, forumTopicMembers } from "../../../schema/forum-reading";
import { getDb, type Db } from "../../platform/db";
import type { EndUserRef } from "../../platform/end-user-hooks";
import type { Env } from "../../platform/env";

/**
 * GDPR erase of an end user's community data (registered in workers/compose.ts; runs before the end
 * user's own rows go). Decided, and documented in docs/forum.md:
 *  - their posts stay in place (numbering, replies and quotes by others keep their context) but lose
 *    everything of theirs: the text becomes a fixed "removed" note, search text empty (the FTS row
 *    follows), IP gone, edit history deleted, and the author becomes the tombstone id `deleted`
 *    (shown as "Deleted user"); topics they started keep their title and are authored by `deleted`;
 *  - their reactions, votes, drafts, reading state, notification levels, notices, flags they raised,
 *    badges, AI reviews of their posts and moderation records about them are deleted, and the
 *    counters those fed (post reactions and votes, topic likes and score, authors' likes received)
 *    are recomputed from what remains;
 *  - their member row (username, name, stats, sanctions) is deleted.
 * Idempotent: a second run finds nothing and changes nothing.
 */

export const TOMBSTONE_ID = "deleted";
const REMOVED_MD = "_This post was removed when its author deleted their account._";
const REMOVED_HTML = "<p><em>This post was removed when its author deleted their account.</em></p>\n";

const chunks = <T>(xs: T[], n = 80) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export async function eraseForumEndUser(env: Env, user: EndUserRef): Promise<number> {
  return eraseForumMember(getDb(env.DB), user.tenantId, user.endUserId);
}

export async function eraseForumMember(db: Db, tenantId: string, memberId: string): Promise<number> {
  const t = tenantId;
  // Posts whose counters their reactions/votes fed (recomputed after the rows go).
  const touched = new Set<string>();
  for (const r of await db
    .select({ postId: forumReactions.postId })
    .from(forumReactions)
    .where(and(eq(forumReactions.tenantId, t), eq(forumReactions.memberId, memberId))))
    touched.add(r.postId);
  for (const r of await db
    .select({ postId: forumVotes.postId })
    .from(forumVotes)
    .where(and(eq(forumVotes.tenantId, t), eq(forumVotes.memberId, memberId))))
    touched.add(r.postId);
  const own = await db
    .select({ id: forumPosts.id })
    .from(forumPosts)
    .where(and(eq(forumPosts.tenantId, t), eq(forumPosts.authorId, memberId)));
  const ownIds = own.map((p) => p.id);

  let changed = 0;
  const count = (r: unknown) => {
    const meta = (r as { meta?: { changes?: number } }).meta;
    changed += meta?.changes ?? 0;
  };
  const results = await db.batch([
    db.delete(forumReactions).where(and(eq(forumReactions.tenantId, t), eq(forumReactions.memberId, memberId))),
    db.delete(forumVotes).where(and(eq(forumVotes.tenantId, t), eq(forumVotes.memberId, memberId))),
    db.delete(forumDrafts).where(and(eq(forumDrafts.tenantId, t), eq(forumDrafts.memberId, memberId))),
    db.delete(forumNotices).where(and(eq(forumNotices.tenantId, t), eq(forumNotices.memberId, memberId))),
    db.delete(forumTopicMembers).where(and(eq(forumTopicMembers.tenantId, t), eq(forumTopicMembers.memberId, memberId))),
    db.delete(forumCategoryMembers).where(and(eq(forumCategoryMembers.tenantId, t), eq(forumCategoryMembers.memberId, memberId))),
    db.delete(forumFlags).where(and(eq(forumFlags.tenantId, t), eq(forumFlags.flaggerId, memberId))),
    db.delete(forumBadges).where(and(eq(forumBadges.tenantId, t), eq(forumBadges.memberId, memberId))),
    db
      .delete(forumModActions)
      .where(and(eq(forumModActions.tenantId, t), eq(forumModActions.targetKind, "member"), eq(forumModActions.targetId, memberId))),
    db
      .update(forumPostRevisions)
      .set({ editorId: TOMBSTONE_ID })
      .where(and(eq(forumPostRevisions.tenantId, t), eq(forumPostRevisions.editorId, memberId))),
    db
      .update(forumTopics)
      .set({ authorId: TOMBSTONE_ID })
      .where(and(eq(forumTopics.tenantId, t), eq(forumTopics.authorId, memberId))),
    db
      .update(forumTopics)
      .set({ lastPosterId: TOMBSTONE_ID })
      .where(and(eq(forumTopics.tenantId, t), eq(forumTopics.lastPosterId, memberId))),
    db.delete(forumMembers).where(and(eq(forumMembers.tenantId, t), eq(forumMembers.id, memberId))),
  ]);
  for (const r of results) count(r);

  for (const ids of chunks(ownIds)) {
    const res = await db.batch([
      db.delete(forumPostRevisions).where(and(eq(forumPostRevisions.tenantId, t), inArray(forumPostRevisions.postId, ids))),
      db.delete(forumAiReviews).where(and(eq(forumAiReviews.tenantId, t), inArray(forumAiReviews.postId, ids))),
      db
        .update(forumPosts)
        .set({
          authorId: TOMBSTONE_ID,
          bodyMarkdown: REMOVED_MD,
          bodyHtml: REMOVED_HTML,
          searchText: "",
          ip: null,
          revisionCount: 0,
          updatedAt: Date.now(),
        })
        .where(and(eq(forumPosts.tenantId, t), inArray(forumPosts.id, ids))),
    ]);
    for (const r of res) count(r);
  }

  // Counters their reactions and votes fed, recomputed from the rows that remain.
  for (const ids of chunks([...touched])) {
    const posts = await db
      .select({ id: forumPosts.id, topicId: forumPosts.topicId, authorId: forumPosts.authorId })
      .from(forumPosts)
      .where(and(eq(forumPosts.tenantId, t), inArray(forumPosts.id, ids)));
    const topics = [...new Set(posts.map((p) => p.topicId))];
    const authors = [...new Set(posts.map((p) => p.authorId))].filter((a) => a !== TOMBSTONE_ID);
    await db.batch([
      db
        .update(forumPosts)
        .set({
          reactions: sql`(select coalesce(json_group_object(reaction, n), '{}') from (select ${forumReactions.reaction} as reaction, count(*) as n from ${forumReactions} where ${forumReactions.tenantId} = ${t} and ${forumReactions.postId} = ${forumPosts.id} group by ${forumReactions.reaction}))`,
          upvotes: sql`(select count(*) from ${forumVotes} where ${forumVotes.tenantId} = ${t} and ${forumVotes.postId} = ${forumPosts.id} and ${forumVotes.value} = 1)`,
          downvotes: sql`(select count(*) from ${forumVotes} where ${forumVotes.tenantId} = ${t} and ${forumVotes.postId} = ${forumPosts.id} and ${forumVotes.value} = -1)`,
        })
        .where(and(eq(forumPosts.tenantId, t), inArray(forumPosts.id, ids))),
      ...chunks(topics).map((tids) =>
        db
          .update(forumTopics)
          .set({
            likeCount: sql`(select count(*) from ${forumReactions} r join ${forumPosts} p on p.tenant_id = r.tenant_id and p.id = r.post_id where r.tenant_id = ${t} and p.topic_id = ${forumTopics.id} and r.reaction = 'like')`,
            score: sql`coalesce((select p.upvotes - p.downvotes from ${forumPosts} p where p.tenant_id = ${t} and p.topic_id = ${forumTopics.id} and p.number = 1), 0)`,
          })
          .where(and(eq(forumTopics.tenantId, t), inArray(forumTopics.id, tids))),
      ),
      ...chunks(authors).map((aids) =>
        db
          .update(forumMembers)
          .set({
            likesReceived: sql`(select count(*) from ${forumReactions} r join ${forumPosts} p on p.tenant_id = r.tenant_id and p.id = r.post_id where r.tenant_id = ${t} and p.author_id = ${forumMembers.id} and r.reaction = 'like')`,
          })
          .where(and(eq(forumMembers.tenantId, t), inArray(forumMembers.id, aids))),
      ),
    ]);
  }
  return changed;
}
