// How a topic's posts appear to a viewer: who sees which post, the viewer's own reactions and votes, and the post JSON.
import { eq, inArray } from "drizzle-orm";
import { forumReactions, forumVotes } from "../../../schema/forum";
import { tenantScope, type Db } from "../../platform/db";
import { iso } from "../../platform/request";
import { isModerator, isSuspended, viewerId, type TopicRow, type Viewer } from "./access";
import { DELETED_AUTHOR, type AuthorView } from "./members.service";
import type { PostRow } from "./posting";

export interface Mine {
  reactions: Map<string, string[]>;
  votes: Map<string, number>;
}

export function serializePost(p: PostRow, authors: Map<string, AuthorView>, topic: TopicRow, v: Viewer, mine?: Mine) {
  const own = viewerId(v) === p.authorId;
  const mod = isModerator(v);
  const showBody = p.status === "visible" || p.status === "pending" || mod;
  return {
    id: p.id,
    topic_id: p.topicId,
    number: p.number,
    author: authors.get(p.authorId) ?? DELETED_AUTHOR,
    reply_to_post_id: p.replyToPostId,
    status: p.status,
    awaiting_approval: p.status === "pending",
    hidden_reason: mod ? p.hiddenReason : null,
    body_html: showBody ? p.bodyHtml : "",
    // The source, for editing and quoting (what the author wrote is public where the post is).
    body_markdown: showBody ? p.bodyMarkdown : "",
    reactions: p.reactions as Record<string, number>,
    upvotes: p.upvotes,
    downvotes: p.downvotes,
    score: p.upvotes - p.downvotes,
    accepted: topic.acceptedPostId === p.id,
    revision_count: p.revisionCount,
    edited_at: iso(p.editedAt),
    created_at: new Date(p.createdAt).toISOString(),
    my_reactions: mine?.reactions.get(p.id) ?? [],
    my_vote: mine?.votes.get(p.id) ?? 0,
    can_edit: (own || mod) && !isSuspended(v) && p.status !== "deleted",
  };
}
export type PostJson = ReturnType<typeof serializePost>;

/** Which posts a viewer sees in a topic: visible ones; their own pending ones; moderators everything. */
export function postVisibleTo(p: Pick<PostRow, "status" | "authorId">, v: Viewer): boolean {
  if (p.status === "visible") return true;
  if (isModerator(v)) return true;
  return p.status === "pending" && viewerId(v) === p.authorId;
}

/** The viewer's reactions and votes on some posts. */
export async function mineOn(db: Db, tenantId: string, v: Viewer, postIds: string[]): Promise<Mine> {
  const me = viewerId(v);
  const mine: Mine = { reactions: new Map(), votes: new Map() };
  if (!me || !postIds.length) return mine;
  const [reactions, votes] = await Promise.all([
    db
      .select({ postId: forumReactions.postId, reaction: forumReactions.reaction })
      .from(forumReactions)
      .where(tenantScope(db, tenantId).where(forumReactions, eq(forumReactions.memberId, me), inArray(forumReactions.postId, postIds))),
    db
      .select({ postId: forumVotes.postId, value: forumVotes.value })
      .from(forumVotes)
      .where(tenantScope(db, tenantId).where(forumVotes, eq(forumVotes.memberId, me), inArray(forumVotes.postId, postIds))),
  ]);
  for (const r of reactions) mine.reactions.set(r.postId, [...(mine.reactions.get(r.postId) ?? []), r.reaction]);
  for (const r of votes) mine.votes.set(r.postId, r.value);
  return mine;
}
