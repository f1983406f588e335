import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, tenantId, updatedAt } from "./columns";

/** The forum's per-member state (modules/forum; tables of schema/forum.ts are the content): reading position, notification levels, drafts, notices sent. */

// ── per-member state: reading, subscriptions, drafts, mentions ──────────────────────────────────

/** watching (every post) · tracking (unread counts, mentions and replies to you) · normal · muted */
export const FORUM_NOTIFICATION_LEVELS = ["watching", "tracking", "normal", "muted"] as const;
export type ForumNotificationLevel = (typeof FORUM_NOTIFICATION_LEVELS)[number];

export const forumTopicMembers = sqliteTable(
  "forum_topic_members",
  {
    tenantId: tenantId(),
    topicId: text("topic_id").notNull(),
    memberId: text("member_id").notNull(),
    level: text("level", { enum: FORUM_NOTIFICATION_LEVELS }).notNull().default("normal"),
    lastReadPostNumber: integer("last_read_post_number").notNull().default(0),
    readSeconds: integer("read_seconds").notNull().default(0),
    firstVisitedAt: integer("first_visited_at").notNull(),
    lastVisitedAt: integer("last_visited_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.topicId, t.memberId] }),
    index("forum_topic_members_tenant_member_idx").on(t.tenantId, t.memberId, t.level),
  ],
);

/** Category-level notification levels (a watched category watches each new topic in it). */
export const forumCategoryMembers = sqliteTable(
  "forum_category_members",
  {
    tenantId: tenantId(),
    categoryId: text("category_id").notNull(),
    memberId: text("member_id").notNull(),
    level: text("level", { enum: FORUM_NOTIFICATION_LEVELS }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.categoryId, t.memberId] })],
);

/** Drafts saved as you type; `key` is `topic:<category id>` (a new topic) or `reply:<topic id>`. */
export const forumDrafts = sqliteTable(
  "forum_drafts",
  {
    tenantId: tenantId(),
    memberId: text("member_id").notNull(),
    key: text("key").notNull(),
    title: text("title"),
    bodyMarkdown: text("body_markdown").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.memberId, t.key] })],
);

/**
 * One row per (post, mentioned member): a member is notified of a mention once, however often the
 * post is edited. Also the record of notifications sent for replies and accepted answers
 * (`reason`: mention · reply · watching · accepted), so none is ever sent twice.
 */
export const forumNotices = sqliteTable(
  "forum_notices",
  {
    tenantId: tenantId(),
    postId: text("post_id").notNull(),
    memberId: text("member_id").notNull(),
    reason: text("reason", { enum: ["mention", "reply", "watching", "accepted", "quote"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.postId, t.memberId] }),
    index("forum_notices_tenant_member_idx").on(t.tenantId, t.memberId, t.createdAt),
  ],
);
