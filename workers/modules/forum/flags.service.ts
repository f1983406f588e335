import { and, eq, sql } from "drizzle-orm";
import { forumCategories, forumPosts, forumTopics } from "../../../schema/forum";
import { forumFlags, type ForumFlagReason } from "../../../schema/forum-moderation";
import { auditInsert } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { conflict, notFound, Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { canSeeTopic, type ForumMemberRow, type Viewer } from "./access";
import { loadPost, type Moderator, postTransition, recordAction, runBatch } from "./moderation.core";
import { settleFlags } from "./moderation.service";
import { isSuspended, suspendedProblem } from "./screen";
import type { Stmt } from "./posting";
import type { ForumSettingsRow } from "./settings.service";
import { flagWeight } from "./trust";

/** The system moderator that hides a post when its flags reach the threshold (reversible like any action). */
const flagsSystem = (by: Moderator): Moderator => ({ id: "flags", kind: "system", actor: { ...by.actor, type: "system", id: null } });

/**
 * A member flags a post (spam · off_topic · abusive · other), once per post (409 twice). The flag
 * weighs by the flagger's trust level — staff and moderators weigh the whole threshold — and when
 * the post's pending weight reaches `rules.flagHideThreshold` it is hidden (`hidden_reason:
 * "flags"`, out of the counts) and waits in the moderation queue.
 */
export async function createFlag(
  db: Db,
  tenantId: string,
  settings: ForumSettingsRow,
  viewer: Viewer & { member: ForumMemberRow },
  by: Moderator,
  postId: string,
  input: { reason: ForumFlagReason; note?: string | null },
) {
  const member = viewer.member;
  if (isSuspended(member)) throw suspendedProblem(member);
  const post = await loadPost(db, tenantId, postId);
  const found = await db
    .select({ topic: forumTopics, category: forumCategories })
    .from(forumTopics)
    .innerJoin(forumCategories, and(eq(forumCategories.tenantId, forumTopics.tenantId), eq(forumCategories.id, forumTopics.categoryId)))
    .where(and(eq(forumTopics.tenantId, tenantId), eq(forumTopics.id, post.topicId)))
    .get();
  // A post the flagger cannot see does not exist for them.
  if (!found || !canSeeTopic(found.category, found.topic, viewer) || (post.status !== "visible" && post.status !== "hidden"))
    throw notFound("Post");
  if (post.authorId === member.id)
    throw new Problem(422, "own-post", "Own post", "You cannot flag your own post; edit or delete it instead.");
  const existing = await db
    .select({ id: forumFlags.id })
    .from(forumFlags)
    .where(and(eq(forumFlags.tenantId, tenantId), eq(forumFlags.postId, post.id), eq(forumFlags.flaggerId, member.id)))
    .get();
  if (existing) throw conflict("You already flagged this post.", "already-flagged");

  const weight = flagWeight(member, settings.rules);
  const threshold = Math.max(1, settings.rules.flagHideThreshold);
  const now = Date.now();
  const id = newId("fflag");
  const stmts: Stmt[] = [
    db.insert(forumFlags).values({
      tenantId,
      id,
      postId: post.id,
      flaggerId: member.id,
      reason: input.reason,
      note: input.note ?? null,
      weight,
      createdAt: now,
    }),
    db
      .update(forumPosts)
      .set({ flagWeight: sql`${forumPosts.flagWeight} + ${weight}` })
      .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.id, post.id))),
  ];
  try {
    await runBatch(db, stmts);
  } catch (e) {
    // Two flags by the same member at once: the unique index keeps one.
    if (isUniqueViolation(e)) throw conflict("You already flagged this post.", "already-flagged");
    throw e;
  }
  // The hide is decided on the weight as written (flags arriving together add up); the transition's
  // guard lets only one of them hide the post.
  const now2 = Date.now();
  const after = await loadPost(db, tenantId, post.id);
  let hidden = after.status === "hidden";
  if (after.status === "visible" && after.flagWeight >= threshold) {
    const rec = recordAction(
      db,
      tenantId,
      flagsSystem(by),
      {
        action: "hide",
        targetKind: "post",
        targetId: post.id,
        reason: `Flags reached the threshold (${after.flagWeight}/${threshold})`,
        before: { status: after.status, hidden_reason: after.hiddenReason },
        after: { status: "hidden", hidden_reason: "flags" },
      },
      now2,
    );
    try {
      await runBatch(db, [...postTransition(db, tenantId, after, "hidden", "flags", now2), ...rec.stmts]);
      hidden = true;
    } catch (e) {
      if (!(e instanceof Problem && e.slug === "state-moved-on")) throw e;
      hidden = (await loadPost(db, tenantId, post.id)).status === "hidden";
    }
  }
  return { id, post_id: post.id, reason: input.reason, weight, post_hidden: hidden, created_at: new Date(now).toISOString() };
}

const isUniqueViolation = (e: unknown) =>
  /UNIQUE constraint failed/.test(`${String((e as Error)?.message ?? e)} ${String((e as { cause?: unknown })?.cause ?? "")}`);

export const FLAG_DECISIONS = ["agree", "disagree", "ignore"] as const;
export type FlagDecision = (typeof FLAG_DECISIONS)[number];

/**
 * Resolves a flag — and with it every pending flag on the same post (the queue shows posts):
 * agree hides a post still visible (it stays hidden); disagree restores a post the flags hid and
 * clears its weight; ignore leaves the post as it is and clears its weight.
 */
export async function resolveFlag(db: Db, tenantId: string, by: Moderator, flagId: string, decision: FlagDecision) {
  const flag = await db
    .select()
    .from(forumFlags)
    .where(and(eq(forumFlags.tenantId, tenantId), eq(forumFlags.id, flagId)))
    .get();
  if (!flag) throw notFound("Flag");
  if (flag.status !== "pending") throw conflict(`This flag was already resolved (${flag.status}).`, "already-resolved");
  const post = await loadPost(db, tenantId, flag.postId);
  const now = Date.now();
  const status: "agreed" | "disagreed" | "ignored" = decision === "agree" ? "agreed" : decision === "disagree" ? "disagreed" : "ignored";
  const stmts: Stmt[] = settleFlags(db, tenantId, by, post.id, status, now);
  let actionId: string | null = null;
  const change =
    decision === "agree" && post.status === "visible"
      ? { to: "hidden" as const, action: "hide" as const, reason: "flags" }
      : decision === "disagree" && post.status === "hidden" && post.hiddenReason === "flags"
        ? { to: "visible" as const, action: "unhide" as const, reason: null }
        : null;
  if (change) {
    const rec = recordAction(
      db,
      tenantId,
      by,
      {
        action: change.action,
        targetKind: "post",
        targetId: post.id,
        reason: `Flag ${decision}d`,
        before: { status: post.status, hidden_reason: post.hiddenReason },
        after: { status: change.to, hidden_reason: change.reason },
      },
      now,
    );
    actionId = rec.id;
    stmts.push(...postTransition(db, tenantId, post, change.to, change.reason, now), ...rec.stmts);
  } else {
    // Nothing changes on the post: the decision is recorded in the audit log only.
    stmts.push(
      auditInsert(db, by.actor, {
        tenantId,
        action: `forum.flags.${decision}`,
        target: { type: "forum_post", id: post.id },
        metadata: { flag_id: flag.id, moderator: by.id, post_status: post.status },
      }),
    );
  }
  await runBatch(db, stmts);
  const after = await loadPost(db, tenantId, post.id);
  return { flag_id: flag.id, decision, status, action_id: actionId, post_id: post.id, post_status: after.status };
}
