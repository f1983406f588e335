import { and, eq, isNull } from "drizzle-orm";
import { forumAiReviews, forumFlags, forumModActions, type ForumModAction } from "../../../schema/forum-moderation";
import { forumPosts } from "../../../schema/forum";
import type { Db } from "../../platform/db";
import { conflict, Problem } from "../../platform/errors";
import {
  loadPost,
  type ModActionRow,
  type Moderator,
  movedOn,
  type PostStatus,
  postTransition,
  recordAction,
  runBatch,
} from "./moderation.core";
import type { Stmt } from "./posting";
import { memberAction, reverseMemberAction } from "./moderation.members";
import { reverseTopicAction, topicAction } from "./moderation.topics";

export type { Moderator } from "./moderation.core";
export { memberAction, topicAction };

export const POST_ACTIONS = ["approve", "reject", "hide", "unhide", "delete", "restore"] as const;
export type PostAction = (typeof POST_ACTIONS)[number];

/** From which statuses each post action applies, and the status it leaves. */
const POST_RULES: Record<PostAction, { from: PostStatus[]; to: PostStatus; reason: string | null }> = {
  approve: { from: ["pending"], to: "visible", reason: null },
  reject: { from: ["pending"], to: "deleted", reason: "rejected" },
  hide: { from: ["visible"], to: "hidden", reason: "moderator" },
  unhide: { from: ["hidden"], to: "visible", reason: null },
  delete: { from: ["visible", "hidden", "pending"], to: "deleted", reason: "moderator" },
  restore: { from: ["deleted"], to: "visible", reason: null },
};

/**
 * approve · reject (pending posts) · hide · unhide · delete · restore. Counters follow (a post that
 * leaves `visible` leaves its topic's, category's and author's counts); a topic's first post takes
 * its topic along. Pending flags on a post a moderator acted on are settled: agreed when it hid or
 * deleted it, disagreed when it made it visible.
 */
export async function postAction(db: Db, tenantId: string, by: Moderator, postId: string, action: PostAction, reason?: string | null) {
  const post = await loadPost(db, tenantId, postId);
  const rule = POST_RULES[action];
  if (!rule.from.includes(post.status))
    throw conflict(`This post is ${post.status}; \`${action}\` applies to ${rule.from.join(" or ")} posts.`, "invalid-state");
  const now = Date.now();
  const hiddenReason = action === "hide" || action === "delete" ? (reason ?? rule.reason) : rule.reason;
  const rec = recordAction(db, tenantId, by, {
    action,
    targetKind: "post",
    targetId: post.id,
    reason,
    before: { status: post.status, hidden_reason: post.hiddenReason },
    after: { status: rule.to, hidden_reason: rule.to === "visible" ? null : hiddenReason },
  });
  await runBatch(db, [
    ...postTransition(db, tenantId, post, rule.to, hiddenReason, now),
    ...rec.stmts,
    ...settleFlags(db, tenantId, by, post.id, rule.to === "visible" ? "disagreed" : "agreed", now),
  ]);
  return { action_id: rec.id, post_id: post.id, status: rule.to };
}

/** The pending flags of a post a moderator acted on leave the queue with the moderator's verdict. */
export function settleFlags(
  db: Db,
  tenantId: string,
  by: Moderator,
  postId: string,
  status: "agreed" | "disagreed" | "ignored",
  now: number,
): Stmt[] {
  return [
    db
      .update(forumFlags)
      .set({ status, resolvedById: by.id, resolvedAt: now })
      .where(and(eq(forumFlags.tenantId, tenantId), eq(forumFlags.postId, postId), eq(forumFlags.status, "pending"))),
    // Flags a moderator disagreed with (or ignored) stop weighing: later flags start from zero.
    ...(status === "agreed"
      ? []
      : [
          db
            .update(forumPosts)
            .set({ flagWeight: 0 })
            .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.id, postId))),
        ]),
  ];
}

/**
 * Staff override the AI check's decision: `allow` makes the post visible (from pending or hidden),
 * `hold` hides it (`hidden_reason: "ai"`). The review row is stamped; the override is itself a
 * reversible moderation action.
 */
export async function aiOverride(db: Db, tenantId: string, by: Moderator, postId: string, verdict: "allow" | "hold") {
  const post = await loadPost(db, tenantId, postId);
  const review = await db
    .select()
    .from(forumAiReviews)
    .where(and(eq(forumAiReviews.tenantId, tenantId), eq(forumAiReviews.postId, postId)))
    .get();
  if (!review) throw new Problem(404, "not-found", "Not found", "This post has no AI review to override.");
  const to: PostStatus = verdict === "allow" ? "visible" : "hidden";
  if (post.status === "deleted") throw conflict("This post is deleted; restore it first.", "invalid-state");
  const now = Date.now();
  const rec = recordAction(db, tenantId, by, {
    action: "ai_override",
    targetKind: "post",
    targetId: post.id,
    reason: `AI verdict ${review.verdict} overridden: ${verdict}`,
    before: { status: post.status, hidden_reason: post.hiddenReason, verdict: review.verdict },
    after: { status: to, hidden_reason: to === "visible" ? null : "ai", verdict },
  });
  await runBatch(db, [
    ...(post.status === to ? [] : postTransition(db, tenantId, post, to, "ai", now)),
    db
      .update(forumAiReviews)
      .set({ overriddenById: by.id, overriddenAt: now })
      .where(and(eq(forumAiReviews.tenantId, tenantId), eq(forumAiReviews.postId, postId))),
    ...rec.stmts,
  ]);
  return { action_id: rec.id, post_id: post.id, status: to };
}

const POST_STATUS_ACTIONS: ForumModAction[] = ["approve", "reject", "hide", "unhide", "delete", "restore", "ai_hold", "ai_override"];
const OPPOSITE: Partial<Record<ForumModAction, ForumModAction>> = {
  hide: "unhide",
  unhide: "hide",
  delete: "restore",
  restore: "delete",
  lock: "unlock",
  unlock: "lock",
  pin: "unpin",
  unpin: "pin",
  suspend: "unsuspend",
  unsuspend: "suspend",
  silence: "unsilence",
  unsilence: "silence",
  promote: "demote",
  demote: "promote",
  merge: "unmerge",
  unmerge: "merge",
};

/** The action written when reversing `a`: its opposite, else the same kind of action (the reason says it reverses). */
export const reversalOf = (a: ForumModAction): ForumModAction => OPPOSITE[a] ?? a;

/**
 * Undoes an action: puts back its `before` state with the opposite action (itself logged and
 * audited) and stamps `reversed_at`. 409 when it was already reversed or the target's state moved
 * on since (it is no longer what the action left).
 */
export async function reverseAction(db: Db, tenantId: string, by: Moderator, actionId: string) {
  const a = await db
    .select()
    .from(forumModActions)
    .where(and(eq(forumModActions.tenantId, tenantId), eq(forumModActions.id, actionId)))
    .get();
  if (!a) throw new Problem(404, "not-found", "Not found", "Moderation action was not found.");
  if (a.reversedAt) throw conflict("This action was already reversed.", "already-reversed");
  if ((a.action === "promote" || a.action === "demote") && !by.canManage)
    throw new Problem(403, "forbidden", "Forbidden", "Reversing a moderator promotion needs `forum:manage`.");
  const now = Date.now();
  const stamp = db
    .update(forumModActions)
    .set({ reversedAt: now, reversedById: by.id })
    .where(and(eq(forumModActions.tenantId, tenantId), eq(forumModActions.id, a.id), isNull(forumModActions.reversedAt)));
  const reason = `Reverses ${a.action} ${a.id}`;
  let result: { stmts: ReturnType<typeof postTransition>; id: string };
  if (a.targetKind === "post" && POST_STATUS_ACTIONS.includes(a.action)) result = await reversePostStatus(db, tenantId, by, a, reason, now);
  else if (a.targetKind === "topic") result = await reverseTopicAction(db, tenantId, by, a, reversalOf(a.action), reason, now);
  else if (a.targetKind === "member") result = await reverseMemberAction(db, tenantId, by, a, reversalOf(a.action), reason, now);
  else throw conflict(`A ${a.action} action cannot be reversed.`, "not-reversible");
  await runBatch(db, [stamp, ...result.stmts]);
  return { reversed_action_id: a.id, action_id: result.id };
}

async function reversePostStatus(db: Db, tenantId: string, by: Moderator, a: ModActionRow, reason: string, now: number) {
  const post = await loadPost(db, tenantId, a.targetId);
  const after = a.after as { status?: PostStatus };
  const before = a.before as { status?: PostStatus; hidden_reason?: string | null; verdict?: "allow" | "hold" };
  if (!before.status || post.status !== after.status) throw movedOn("post");
  const rec = recordAction(db, tenantId, by, {
    action: reversalOf(a.action),
    targetKind: "post",
    targetId: post.id,
    reason,
    before: { status: post.status, hidden_reason: post.hiddenReason },
    after: { status: before.status, hidden_reason: before.hidden_reason ?? null },
  });
  const stmts = [...postTransition(db, tenantId, post, before.status, before.hidden_reason ?? null, now), ...rec.stmts];
  if (a.action === "ai_override")
    stmts.push(
      db
        .update(forumAiReviews)
        .set({ overriddenById: null, overriddenAt: null })
        .where(and(eq(forumAiReviews.tenantId, tenantId), eq(forumAiReviews.postId, post.id))),
    );
  return { stmts, id: rec.id };
}

export { runBatch };
