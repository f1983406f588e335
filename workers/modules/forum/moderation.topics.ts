import { and, between, eq, sql } from "drizzle-orm";
import { forumCategories, forumPosts, forumTopics, type ForumPin } from "../../../schema/forum";
import type { ForumModAction } from "../../../schema/forum-moderation";
import type { Db } from "../../platform/db";
import { badRequest, conflict, notFound } from "../../platform/errors";
import {
  loadTopic,
  type ModActionRow,
  type Moderator,
  movedOn,
  type PostStatus,
  postTransition,
  recordAction,
  runBatch,
  type TopicRow,
} from "./moderation.core";
import type { PostRow, Stmt } from "./posting";

export const TOPIC_ACTIONS = ["lock", "unlock", "pin", "unpin", "move", "merge", "hide", "unhide", "delete", "restore"] as const;
export type TopicAction = (typeof TOPIC_ACTIONS)[number];

export interface TopicActionInput {
  reason?: string | null;
  scope?: "category" | "global";
  categoryId?: string;
  intoTopicId?: string;
}

const STATUS_RULES: Record<"hide" | "unhide" | "delete" | "restore", { from: PostStatus[]; to: PostStatus }> = {
  hide: { from: ["visible"], to: "hidden" },
  unhide: { from: ["hidden"], to: "visible" },
  delete: { from: ["visible", "hidden", "pending"], to: "deleted" },
  restore: { from: ["deleted"], to: "visible" },
};

function categoryDelta(db: Db, tenantId: string, categoryId: string, topics: number, posts: number): Stmt {
  return db
    .update(forumCategories)
    .set({
      topicCount: sql`max(0, ${forumCategories.topicCount} + ${topics})`,
      postCount: sql`max(0, ${forumCategories.postCount} + ${posts})`,
    })
    .where(and(eq(forumCategories.tenantId, tenantId), eq(forumCategories.id, categoryId)));
}

async function firstPost(db: Db, tenantId: string, topicId: string): Promise<PostRow> {
  const p = await db
    .select()
    .from(forumPosts)
    .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.topicId, topicId), eq(forumPosts.number, 1)))
    .get();
  if (!p) throw conflict("This topic has no first post to act on.", "invalid-state");
  return p;
}

async function visiblePostCount(db: Db, tenantId: string, topicId: string): Promise<number> {
  const r = await db
    .select({ n: sql<number>`count(*)` })
    .from(forumPosts)
    .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.topicId, topicId), eq(forumPosts.status, "visible")))
    .get();
  return Number(r?.n ?? 0);
}

/**
 * lock · unlock · pin {scope} · unpin · move {category_id} · merge {into_topic_id} · hide · unhide ·
 * delete · restore. Hide/delete act through the first post (it carries its topic's status and counts).
 */
export async function topicAction(
  db: Db,
  tenantId: string,
  by: Moderator,
  topicId: string,
  action: TopicAction,
  input: TopicActionInput = {},
) {
  const topic = await loadTopic(db, tenantId, topicId);
  if (topic.status === "merged" && action !== "lock" && action !== "unlock")
    throw conflict("This topic was merged into another; reverse the merge first.", "invalid-state");
  const now = Date.now();
  const reason = input.reason ?? null;
  let stmts: Stmt[] = [];
  let before: Record<string, unknown>;
  let after: Record<string, unknown>;
  switch (action) {
    case "lock":
    case "unlock": {
      const lockedAt = action === "lock" ? now : null;
      if ((topic.lockedAt !== null) === (action === "lock")) throw conflict(`This topic is already ${action}ed.`, "invalid-state");
      before = { locked_at: topic.lockedAt };
      after = { locked_at: lockedAt };
      stmts = [setTopic(db, tenantId, topic.id, { lockedAt, updatedAt: now })];
      break;
    }
    case "pin":
    case "unpin": {
      const pin: ForumPin = action === "pin" ? (input.scope ?? "category") : "none";
      if (pin === topic.pin) throw conflict(`This topic's pin is already ${pin}.`, "invalid-state");
      before = { pin: topic.pin };
      after = { pin };
      stmts = [setTopic(db, tenantId, topic.id, { pin, updatedAt: now })];
      break;
    }
    case "move": {
      if (!input.categoryId)
        throw badRequest("`category_id` is required to move a topic.", { errors: [{ path: "category_id", message: "Required" }] });
      const cat = await db
        .select({ id: forumCategories.id, archivedAt: forumCategories.archivedAt })
        .from(forumCategories)
        .where(and(eq(forumCategories.tenantId, tenantId), eq(forumCategories.id, input.categoryId)))
        .get();
      if (!cat) throw notFound("Category");
      if (cat.archivedAt) throw conflict("That category is archived.", "invalid-state");
      if (cat.id === topic.categoryId) throw conflict("The topic is already in that category.", "invalid-state");
      before = { category_id: topic.categoryId };
      after = { category_id: cat.id };
      stmts = await moveStatements(db, tenantId, topic, cat.id, now);
      break;
    }
    case "merge": {
      if (!input.intoTopicId)
        throw badRequest("`into_topic_id` is required to merge.", { errors: [{ path: "into_topic_id", message: "Required" }] });
      if (input.intoTopicId === topic.id)
        throw badRequest("A topic cannot be merged into itself.", { errors: [{ path: "into_topic_id", message: "Same topic" }] });
      const target = await loadTopic(db, tenantId, input.intoTopicId);
      if (target.status === "merged" || target.status === "deleted")
        throw conflict(`The target topic is ${target.status}.`, "invalid-state");
      const moved = await visiblePostCount(db, tenantId, topic.id);
      const offset = target.lastPostNumber;
      before = { status: topic.status, merged_into_id: null, last_post_number: topic.lastPostNumber };
      after = { status: "merged", merged_into_id: target.id, offset, moved_visible: moved, last_post_number: topic.lastPostNumber };
      stmts = [
        // Renumbered after the target's last post, order and gaps kept: number + offset.
        db
          .update(forumPosts)
          .set({ topicId: target.id, number: sql`${forumPosts.number} + ${offset}`, updatedAt: now })
          .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.topicId, topic.id))),
        setTopic(db, tenantId, target.id, {
          postCount: sql`${forumTopics.postCount} + ${moved}`,
          lastPostNumber: offset + topic.lastPostNumber,
          lastPostedAt: sql`max(${forumTopics.lastPostedAt}, ${topic.lastPostedAt})`,
          updatedAt: now,
        }),
        setTopic(db, tenantId, topic.id, { status: "merged", mergedIntoId: target.id, postCount: 0, updatedAt: now }),
        ...mergeCounters(db, tenantId, topic, target, moved, 1),
      ];
      break;
    }
    default: {
      const rule = STATUS_RULES[action];
      const first = await firstPost(db, tenantId, topic.id);
      if (!rule.from.includes(first.status))
        throw conflict(`This topic is ${first.status}; \`${action}\` applies to ${rule.from.join(" or ")} topics.`, "invalid-state");
      const hiddenReason = rule.to === "visible" ? null : (reason ?? "moderator");
      before = { status: first.status, hidden_reason: first.hiddenReason };
      after = { status: rule.to, hidden_reason: hiddenReason };
      stmts = postTransition(db, tenantId, first, rule.to, hiddenReason, now);
    }
  }
  const rec = recordAction(db, tenantId, by, { action, targetKind: "topic", targetId: topic.id, reason, before, after }, now);
  await runBatch(db, [...stmts, ...rec.stmts]);
  return { action_id: rec.id, topic_id: topic.id, ...after };
}

function setTopic(db: Db, tenantId: string, topicId: string, set: Partial<Record<keyof TopicRow, unknown>>): Stmt {
  return db
    .update(forumTopics)
    .set(set as never)
    .where(and(eq(forumTopics.tenantId, tenantId), eq(forumTopics.id, topicId)));
}

/** A visible topic takes its visible posts' counts from one category to the other. */
async function moveStatements(db: Db, tenantId: string, topic: TopicRow, to: string, now: number): Promise<Stmt[]> {
  const stmts: Stmt[] = [setTopic(db, tenantId, topic.id, { categoryId: to, updatedAt: now })];
  if (topic.status === "visible") {
    const n = await visiblePostCount(db, tenantId, topic.id);
    stmts.push(categoryDelta(db, tenantId, topic.categoryId, -1, -n), categoryDelta(db, tenantId, to, 1, n));
  }
  return stmts;
}

/** Merging (d = 1) or unmerging (d = −1): the source topic leaves its category's topic count while merged; posts change category. */
function mergeCounters(db: Db, tenantId: string, source: TopicRow, target: TopicRow, moved: number, d: 1 | -1): Stmt[] {
  if (source.status !== "visible") return [];
  if (source.categoryId === target.categoryId) return [categoryDelta(db, tenantId, source.categoryId, -d, 0)];
  return [categoryDelta(db, tenantId, source.categoryId, -d, -d * moved), categoryDelta(db, tenantId, target.categoryId, 0, d * moved)];
}

/** Reversal of a topic action (see moderation.service reverseAction). */
export async function reverseTopicAction(
  db: Db,
  tenantId: string,
  by: Moderator,
  a: ModActionRow,
  action: ForumModAction,
  reason: string,
  now: number,
) {
  const topic = await loadTopic(db, tenantId, a.targetId);
  const before = a.before as Record<string, unknown>;
  const after = a.after as Record<string, unknown>;
  let stmts: Stmt[];
  let undoBefore: Record<string, unknown>;
  switch (a.action) {
    case "lock":
    case "unlock":
      if (topic.lockedAt !== after.locked_at) throw movedOn("topic");
      stmts = [setTopic(db, tenantId, topic.id, { lockedAt: before.locked_at ?? null, updatedAt: now })];
      undoBefore = { locked_at: topic.lockedAt };
      break;
    case "pin":
    case "unpin":
      if (topic.pin !== after.pin) throw movedOn("topic");
      stmts = [setTopic(db, tenantId, topic.id, { pin: before.pin, updatedAt: now })];
      undoBefore = { pin: topic.pin };
      break;
    case "move": {
      if (topic.categoryId !== after.category_id || typeof before.category_id !== "string") throw movedOn("topic");
      const back = await db
        .select({ id: forumCategories.id })
        .from(forumCategories)
        .where(and(eq(forumCategories.tenantId, tenantId), eq(forumCategories.id, before.category_id)))
        .get();
      if (!back) throw movedOn("topic's old category");
      stmts = await moveStatements(db, tenantId, topic, back.id, now);
      undoBefore = { category_id: topic.categoryId };
      break;
    }
    case "merge": {
      if (topic.status !== "merged" || topic.mergedIntoId !== after.merged_into_id) throw movedOn("topic");
      const target = await loadTopic(db, tenantId, String(after.merged_into_id));
      const offset = Number(after.offset);
      const last = Number(after.last_post_number);
      const status = before.status as TopicRow["status"];
      const moved = await db
        .select({ n: sql<number>`count(*)` })
        .from(forumPosts)
        .where(
          and(
            eq(forumPosts.tenantId, tenantId),
            eq(forumPosts.topicId, target.id),
            between(forumPosts.number, offset + 1, offset + last),
            eq(forumPosts.status, "visible"),
          ),
        )
        .get();
      const n = Number(moved?.n ?? 0);
      stmts = [
        // The merged posts are exactly the target's numbers offset+1 … offset+last (later replies come after).
        db
          .update(forumPosts)
          .set({ topicId: topic.id, number: sql`${forumPosts.number} - ${offset}`, updatedAt: now })
          .where(
            and(
              eq(forumPosts.tenantId, tenantId),
              eq(forumPosts.topicId, target.id),
              between(forumPosts.number, offset + 1, offset + last),
            ),
          ),
        setTopic(db, tenantId, target.id, { postCount: sql`max(1, ${forumTopics.postCount} - ${n})`, updatedAt: now }),
        setTopic(db, tenantId, topic.id, { status, mergedIntoId: null, postCount: n, updatedAt: now }),
        ...mergeCounters(db, tenantId, { ...topic, status }, target, n, -1),
      ];
      undoBefore = { status: "merged", merged_into_id: target.id };
      break;
    }
    case "hide":
    case "unhide":
    case "delete":
    case "restore": {
      const first = await firstPost(db, tenantId, topic.id);
      if (first.status !== after.status) throw movedOn("topic");
      stmts = postTransition(db, tenantId, first, before.status as PostStatus, (before.hidden_reason as string | null) ?? null, now);
      undoBefore = { status: first.status, hidden_reason: first.hiddenReason };
      break;
    }
    default:
      throw conflict(`A ${a.action} action cannot be reversed.`, "not-reversible");
  }
  const rec = recordAction(
    db,
    tenantId,
    by,
    { action, targetKind: "topic", targetId: topic.id, reason, before: undoBefore, after: before },
    now,
  );
  return { stmts: [...stmts, ...rec.stmts], id: rec.id };
}
