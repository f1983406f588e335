import { and, eq, sql } from "drizzle-orm";
import {
  FORUM_REACTIONS,
  forumMembers,
  forumPosts,
  forumReactions,
  forumTopics,
  forumVotes,
  type ForumReaction,
} from "../../../schema/forum";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { forbidden, Problem } from "../../platform/errors";
import { isSuspended, type Viewer } from "./access";
import { actingMember, type MemberIdentity } from "./members.service";
import { standingSafely, type Stmt } from "./posting";
import { loadPostFor } from "./posts.service";
import { suspendedProblem } from "./screen";

/**
 * Reactions (a fixed set; `like` counts towards likes given/received and trust) and up/down votes.
 * Each change and its denormalised counters are one batch (a transaction): the counter statements
 * come first and test the reaction/vote row as it was, then the row is written — so a repeated PUT
 * or DELETE changes nothing, and two at once cannot count twice.
 */

export const isReaction = (r: string): r is ForumReaction => (FORUM_REACTIONS as readonly string[]).includes(r);

async function actor(db: Db, tenantId: string, v: Viewer, postId: string, who?: Pick<MemberIdentity, "name" | "email">) {
  if (v.kind === "anonymous") throw forbidden("Sign in to react.");
  const { post } = await loadPostFor(db, tenantId, postId, v);
  if (post.status !== "visible") throw new Problem(409, "post-not-visible", "Not visible", "Only visible posts take reactions and votes.");
  const acting = await actingMember(db, tenantId, v, who);
  if (isSuspended(acting)) throw suspendedProblem(acting.member);
  return { post, acting };
}

/** Adds (`on`) or removes a reaction of the viewer; returns the post's reaction counts. */
export async function setReaction(
  env: Env,
  db: Db,
  tenantId: string,
  v: Viewer,
  postId: string,
  reaction: ForumReaction,
  on: boolean,
  who?: Pick<MemberIdentity, "name" | "email">,
) {
  const { post, acting } = await actor(db, tenantId, v, postId, who);
  const own = post.authorId === acting.id;
  if (own && reaction === "like") throw new Problem(422, "own-post", "Your own post", "You cannot like your own post.");
  const mine = sql`(select count(*) from ${forumReactions} where ${forumReactions.tenantId} = ${tenantId} and ${forumReactions.postId} = ${post.id} and ${forumReactions.memberId} = ${acting.id} and ${forumReactions.reaction} = ${reaction})`;
  const cond = on ? sql`${mine} = 0` : sql`${mine} = 1`;
  const d = on ? 1 : -1;
  const path = `$.${reaction}`;
  const postWhere = sql`${forumPosts.tenantId} = ${tenantId} and ${forumPosts.id} = ${post.id}`;
  const stmts: Stmt[] = [
    db
      .update(forumPosts)
      .set({
        reactions: sql`json_set(${forumPosts.reactions}, ${path}, max(0, coalesce(json_extract(${forumPosts.reactions}, ${path}), 0) + ${d}))`,
      })
      .where(sql`${postWhere} and ${cond}`),
  ];
  if (reaction === "like") {
    stmts.push(
      db
        .update(forumTopics)
        .set({ likeCount: sql`max(0, ${forumTopics.likeCount} + ${d})` })
        .where(sql`${forumTopics.tenantId} = ${tenantId} and ${forumTopics.id} = ${post.topicId} and ${cond}`),
      db
        .update(forumMembers)
        .set({ likesGiven: sql`max(0, ${forumMembers.likesGiven} + ${d})` })
        .where(sql`${forumMembers.tenantId} = ${tenantId} and ${forumMembers.id} = ${acting.id} and ${cond}`),
      db
        .update(forumMembers)
        .set({ likesReceived: sql`max(0, ${forumMembers.likesReceived} + ${d})` })
        .where(sql`${forumMembers.tenantId} = ${tenantId} and ${forumMembers.id} = ${post.authorId} and ${cond}`),
    );
  }
  const write: Stmt = on
    ? db
        .insert(forumReactions)
        .values({ tenantId, postId: post.id, memberId: acting.id, reaction, createdAt: Date.now() })
        .onConflictDoNothing()
    : db
        .delete(forumReactions)
        .where(
          and(
            eq(forumReactions.tenantId, tenantId),
            eq(forumReactions.postId, post.id),
            eq(forumReactions.memberId, acting.id),
            eq(forumReactions.reaction, reaction),
          ),
        );
  const all: Stmt[] = [...stmts, write]; // counters first: they test the row as it was
  await db.batch(all as [Stmt, ...Stmt[]]);
  if (reaction === "like") {
    await standingSafely(env, db, tenantId, post.authorId);
    await standingSafely(env, db, tenantId, acting.id);
  }
  return countsOf(db, tenantId, post.id);
}

async function countsOf(db: Db, tenantId: string, postId: string) {
  const row = await db
    .select({ reactions: forumPosts.reactions, upvotes: forumPosts.upvotes, downvotes: forumPosts.downvotes })
    .from(forumPosts)
    .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.id, postId)))
    .get();
  return {
    post_id: postId,
    reactions: (row?.reactions ?? {}) as Record<string, number>,
    upvotes: row?.upvotes ?? 0,
    downvotes: row?.downvotes ?? 0,
    score: (row?.upvotes ?? 0) - (row?.downvotes ?? 0),
  };
}

/** The viewer's vote on a post: 1, −1, or 0 (removes it). A first post's score is its topic's score ("top"). */
export async function vote(
  env: Env,
  db: Db,
  tenantId: string,
  v: Viewer,
  postId: string,
  value: -1 | 0 | 1,
  who?: Pick<MemberIdentity, "name" | "email">,
) {
  const { post, acting } = await actor(db, tenantId, v, postId, who);
  if (post.authorId === acting.id && value !== 0) throw new Problem(422, "own-post", "Your own post", "You cannot vote on your own post.");
  const old = sql`coalesce((select ${forumVotes.value} from ${forumVotes} where ${forumVotes.tenantId} = ${tenantId} and ${forumVotes.postId} = ${post.id} and ${forumVotes.memberId} = ${acting.id}), 0)`;
  const postWhere = sql`${forumPosts.tenantId} = ${tenantId} and ${forumPosts.id} = ${post.id}`;
  const stmts: Stmt[] = [
    db
      .update(forumPosts)
      .set({
        upvotes: sql`${forumPosts.upvotes} - (${old} = 1) + (${value} = 1)`,
        downvotes: sql`${forumPosts.downvotes} - (${old} = -1) + (${value} = -1)`,
      })
      .where(postWhere),
  ];
  if (post.number === 1) {
    stmts.push(
      db
        .update(forumTopics)
        .set({ score: sql`${forumTopics.score} + ${value} - ${old}` })
        .where(sql`${forumTopics.tenantId} = ${tenantId} and ${forumTopics.id} = ${post.topicId}`),
    );
  }
  const write: Stmt =
    value === 0
      ? db
          .delete(forumVotes)
          .where(and(eq(forumVotes.tenantId, tenantId), eq(forumVotes.postId, post.id), eq(forumVotes.memberId, acting.id)))
      : db
          .insert(forumVotes)
          .values({ tenantId, postId: post.id, memberId: acting.id, value, createdAt: Date.now() })
          .onConflictDoUpdate({ target: [forumVotes.tenantId, forumVotes.postId, forumVotes.memberId], set: { value } });
  const all: Stmt[] = [...stmts, write]; // counters first: they test the row as it was
  await db.batch(all as [Stmt, ...Stmt[]]);
  await standingSafely(env, db, tenantId, post.authorId);
  return { ...(await countsOf(db, tenantId, post.id)), my_vote: value };
}
