import { and, eq, ne, sql } from "drizzle-orm";
import { forumModActions, type ForumModAction } from "../../../schema/forum-moderation";
import { forumPosts, forumTopics } from "../../../schema/forum";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { countVisiblePost, uncountVisiblePost, type PostRow, type Stmt } from "./posting";

/**
 * What every moderation action shares: who acts, the `forum_mod_actions` row (with `before`/`after`,
 * what reversing needs) and the workspace audit row, written in the same batch as the change.
 */

/** A staff user (or API key), a promoted end-user moderator, or the system (flags, AI). */
export interface Moderator {
  /** The id written to forum_mod_actions.actor_id: `usr_…`, the moderator's `eu_…`, "flags" or "ai". */
  id: string;
  kind: "staff" | "enduser" | "system";
  actor: Actor;
  /** Staff with `forum:manage` (promote/demote moderators). */
  canManage?: boolean;
}

export type TopicRow = typeof forumTopics.$inferSelect;
export type ModActionRow = typeof forumModActions.$inferSelect;
export type TargetKind = ModActionRow["targetKind"];

export interface Recorded {
  id: string;
  stmts: Stmt[];
}

/** The mod-action row and its audit row for one action; `id` is the action's id. */
export function recordAction(
  db: Db,
  tenantId: string,
  by: Moderator,
  a: {
    action: ForumModAction;
    targetKind: TargetKind;
    targetId: string;
    reason?: string | null;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  },
  now = Date.now(),
): Recorded {
  const id = newId("fmod");
  return {
    id,
    stmts: [
      db.insert(forumModActions).values({
        tenantId,
        id,
        actorId: by.id,
        action: a.action,
        targetKind: a.targetKind,
        targetId: a.targetId,
        reason: a.reason ?? null,
        before: a.before,
        after: a.after,
        createdAt: now,
      }),
      auditInsert(db, by.actor, {
        tenantId,
        action: `forum.moderation.${a.action}`,
        target: { type: `forum_${a.targetKind}`, id: a.targetId },
        metadata: {
          mod_action_id: id,
          moderator: by.id,
          moderator_kind: by.kind,
          reason: a.reason ?? null,
          before: a.before,
          after: a.after,
        },
      }),
    ],
  };
}

/** The error a stale-state guard raises (see `postTransition`); the batch is rolled back. */
const GUARD_FAILED = /NOT NULL constraint failed: forum_posts\.number/;

export async function runBatch(db: Db, stmts: Stmt[]): Promise<void> {
  const [first, ...rest] = stmts;
  if (!first) return;
  try {
    await db.batch([first, ...rest]);
  } catch (e) {
    if (GUARD_FAILED.test(String((e as Error)?.message ?? e)) || GUARD_FAILED.test(String((e as { cause?: unknown })?.cause ?? "")))
      throw movedOn("post");
    throw e;
  }
}

export async function loadPost(db: Db, tenantId: string, postId: string): Promise<PostRow> {
  const p = await db
    .select()
    .from(forumPosts)
    .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.id, postId)))
    .get();
  if (!p) throw notFound("Post");
  return p;
}

export async function loadTopic(db: Db, tenantId: string, topicId: string): Promise<TopicRow> {
  const t = await db
    .select()
    .from(forumTopics)
    .where(and(eq(forumTopics.tenantId, tenantId), eq(forumTopics.id, topicId)))
    .get();
  if (!t) throw notFound("Topic");
  return t;
}

export type PostStatus = PostRow["status"];

/**
 * Statements that move a post from its status to `to` (guarded on the status it had), with the
 * counters: leaving `visible` uncounts it, arriving there counts it (posting.ts helpers). A topic's
 * first post carries its topic: the topic takes the same status (hidden/deleted/pending/visible).
 */
export function postTransition(
  db: Db,
  tenantId: string,
  post: PostRow,
  to: PostStatus,
  hiddenReason: string | null,
  now = Date.now(),
): Stmt[] {
  const stmts: Stmt[] = [
    // Guard: a batch is one transaction, so if another request changed the post's status since it
    // was read, this statement fails (NOT NULL) and nothing — status or counters — is written twice.
    db
      .update(forumPosts)
      .set({ number: sql`null` as unknown as number })
      .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.id, post.id), ne(forumPosts.status, post.status))),
    db
      .update(forumPosts)
      .set({ status: to, hiddenReason: to === "visible" ? null : hiddenReason, updatedAt: now })
      .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.id, post.id), eq(forumPosts.status, post.status))),
  ];
  if (post.status !== "visible" && to === "visible") stmts.push(...countVisiblePost(db, tenantId, post));
  if (post.status === "visible" && to !== "visible") stmts.push(...uncountVisiblePost(db, tenantId, post));
  if (post.number === 1)
    stmts.push(
      db
        .update(forumTopics)
        .set({ status: to, updatedAt: now })
        .where(and(eq(forumTopics.tenantId, tenantId), eq(forumTopics.id, post.topicId), sql`${forumTopics.status} <> 'merged'`)),
    );
  return stmts;
}

/** 409 when the target is no longer in the state an action (or its reversal) expects. */
export const movedOn = (what: string) =>
  conflict(`The ${what} changed since this action; it cannot be reversed automatically. Act on it directly instead.`, "state-moved-on");
