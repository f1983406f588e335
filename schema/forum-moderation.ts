import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp } from "./columns";

/** The forum's moderation (modules/forum): flags, the reversible action log, AI review decisions. Content tables are in schema/forum.ts. */

// ── moderation ──────────────────────────────────────────────────────────────────────────────────

export const FORUM_FLAG_REASONS = ["spam", "off_topic", "abusive", "other"] as const;
export type ForumFlagReason = (typeof FORUM_FLAG_REASONS)[number];
/** pending (in the queue) · agreed (the post stays hidden/deleted) · disagreed (the post is restored) · ignored */
export const FORUM_FLAG_STATUSES = ["pending", "agreed", "disagreed", "ignored"] as const;
export type ForumFlagStatus = (typeof FORUM_FLAG_STATUSES)[number];

export const forumFlags = sqliteTable(
  "forum_flags",
  {
    tenantId: tenantId(),
    id: id(), // fflag_…
    postId: text("post_id").notNull(),
    flaggerId: text("flagger_id").notNull(),
    reason: text("reason", { enum: FORUM_FLAG_REASONS }).notNull(),
    note: text("note"),
    /** From the flagger's trust level (staff and moderators weigh the hide threshold on their own). */
    weight: integer("weight").notNull(),
    status: text("status", { enum: FORUM_FLAG_STATUSES }).notNull().default("pending"),
    resolvedById: text("resolved_by_id"),
    resolvedAt: timestamp("resolved_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("forum_flags_tenant_post_flagger_uq").on(t.tenantId, t.postId, t.flaggerId),
    index("forum_flags_tenant_status_idx").on(t.tenantId, t.status, t.createdAt),
  ],
);

export const FORUM_MOD_ACTIONS = [
  "approve",
  "reject",
  "hide",
  "unhide",
  "delete",
  "restore",
  "move",
  "merge",
  "unmerge",
  "lock",
  "unlock",
  "pin",
  "unpin",
  "suspend",
  "unsuspend",
  "silence",
  "unsilence",
  "set_trust",
  "promote",
  "demote",
  "ai_hold",
  "ai_override",
] as const;
export type ForumModAction = (typeof FORUM_MOD_ACTIONS)[number];

/**
 * Every moderation action, with what is needed to reverse it (`before`: the state it changed).
 * Reversing writes the opposite action and stamps `reversed_at` here, so the log stays append-only
 * in meaning. Also written to the workspace audit log (`auditInsert`).
 */
export const forumModActions = sqliteTable(
  "forum_mod_actions",
  {
    tenantId: tenantId(),
    id: id(), // fmod_…
    actorId: text("actor_id").notNull(), // staff user id, moderator end-user id, or "ai"
    action: text("action", { enum: FORUM_MOD_ACTIONS }).notNull(),
    targetKind: text("target_kind", { enum: ["post", "topic", "member"] }).notNull(),
    targetId: text("target_id").notNull(),
    reason: text("reason"),
    before: text("before", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    after: text("after", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    reversedById: text("reversed_by_id"),
    reversedAt: timestamp("reversed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("forum_mod_actions_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("forum_mod_actions_tenant_target_idx").on(t.tenantId, t.targetKind, t.targetId, t.createdAt),
  ],
);

/** The optional AI moderation check's decision per post (labelled in the UI; staff can override). */
export const forumAiReviews = sqliteTable(
  "forum_ai_reviews",
  {
    tenantId: tenantId(),
    postId: text("post_id").primaryKey(),
    verdict: text("verdict", { enum: ["allow", "hold"] }).notNull(),
    labels: text("labels", { mode: "json" }).$type<string[]>().notNull(),
    explanation: text("explanation").notNull().default(""),
    model: text("model").notNull(),
    overriddenById: text("overridden_by_id"),
    overriddenAt: timestamp("overridden_at"),
    createdAt: createdAt(),
  },
  (t) => [index("forum_ai_reviews_tenant_created_idx").on(t.tenantId, t.createdAt)],
);
