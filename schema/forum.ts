import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Community forum (modules/forum, issue 16; docs/forum.md). Members are the workspace's end users
 * (`eu_…` ids from modules/endusers) and its staff (`usr_…` ids, shown with a staff badge); both get a
 * `forum_members` row the first time they act, keyed by that same id, so every author/actor column
 * below holds an end-user or a staff user id and one join gives the display fields.
 *
 * Counters (topic/post/like counts, scores, member stats) are denormalised and written in the same
 * `db.batch()` as the change they count, so listings never aggregate.
 */

// ── settings and categories ─────────────────────────────────────────────────────────────────────

/** Trust level thresholds (Discourse-like, 0 new … 4 leader; 4 is only granted by staff). */
export interface ForumTrustThresholds {
  /** 0 → 1: basic */
  basic: { topicsEntered: number; postsRead: number; readMinutes: number };
  /** 1 → 2: member */
  member: { daysVisited: number; postsRead: number; readMinutes: number; likesReceived: number; postsCreated: number };
  /** 2 → 3: regular */
  regular: { daysVisited: number; postsRead: number; likesReceived: number; likesGiven: number; postsCreated: number };
}

/** Moderation and spam rules a workspace tunes in the dashboard. */
export interface ForumRules {
  /** Posts of a trust-level-0 member held for approval until this many were approved (0 = never held). */
  holdFirstPosts: number;
  /** Sum of flag weights at which a post is hidden pending review (a staff flag alone weighs enough). */
  flagHideThreshold: number;
  /** Links allowed in one post at trust level 0 (images count as links); TL ≥ 1 has no limit. */
  newUserMaxLinks: number;
  /** Whether TL0 members may embed images. */
  newUserImages: boolean;
  /** Posts per member per minute / per IP per minute. */
  postsPerMinute: number;
  postsPerMinutePerIp: number;
  /** Refuse a post whose body equals one of the member's posts in the last N minutes. */
  duplicateWindowMinutes: number;
  /** Ask the AI gateway whether a post is spam/abuse before it is visible (decision logged, overridable). */
  aiModeration: boolean;
  /** Minutes a member may edit their own post without it being a tracked revision shown to others. */
  editGraceMinutes: number;
}

export const forumSettings = sqliteTable("forum_settings", {
  tenantId: text("tenant_id").primaryKey(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
  title: text("title").notNull().default("Community"),
  description: text("description").notNull().default(""),
  trust: text("trust", { mode: "json" }).$type<ForumTrustThresholds>().notNull(),
  rules: text("rules", { mode: "json" }).$type<ForumRules>().notNull(),
  // Digest e-mails (through messaging, category `product`): how often, in hours (0 = off).
  digestHours: integer("digest_hours").notNull().default(24),
  updatedAt: updatedAt(),
});

/** Who may read a category: anyone, a signed-in end user, or staff (and promoted moderators) only. */
export const FORUM_READ_ACCESS = ["public", "signed_in", "staff"] as const;
export type ForumReadAccess = (typeof FORUM_READ_ACCESS)[number];
/** Who may start topics in it (replies follow `reply_access`). */
export const FORUM_POST_ACCESS = ["signed_in", "staff"] as const;
export type ForumPostAccess = (typeof FORUM_POST_ACCESS)[number];

export const forumCategories = sqliteTable(
  "forum_categories",
  {
    tenantId: tenantId(),
    id: id(), // fcat_…
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    color: text("color").notNull().default("#6366f1"),
    position: integer("position").notNull().default(0),
    readAccess: text("read_access", { enum: FORUM_READ_ACCESS }).notNull().default("public"),
    topicAccess: text("topic_access", { enum: FORUM_POST_ACCESS }).notNull().default("signed_in"),
    replyAccess: text("reply_access", { enum: FORUM_POST_ACCESS }).notNull().default("signed_in"),
    /** Lowest trust level that may start a topic here (staff and moderators always may). */
    minTrustToTopic: integer("min_trust_to_topic").notNull().default(0),
    /** Topics here are questions by default (accepted answers, "solved"). */
    questions: integer("questions", { mode: "boolean" }).notNull().default(false),
    topicCount: integer("topic_count").notNull().default(0),
    postCount: integer("post_count").notNull().default(0),
    lastPostedAt: timestamp("last_posted_at"),
    archivedAt: timestamp("archived_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("forum_categories_tenant_slug_uq").on(t.tenantId, t.slug),
    index("forum_categories_tenant_position_idx").on(t.tenantId, t.position),
  ],
);

// ── members ─────────────────────────────────────────────────────────────────────────────────────

export const FORUM_MEMBER_KINDS = ["enduser", "staff"] as const;
export type ForumMemberKind = (typeof FORUM_MEMBER_KINDS)[number];

export const forumMembers = sqliteTable(
  "forum_members",
  {
    tenantId: tenantId(),
    id: id(), // the end user's `eu_…` or staff user's `usr_…` id
    kind: text("kind", { enum: FORUM_MEMBER_KINDS }).notNull(),
    /** @handle for mentions: lower-case [a-z0-9_-], unique per workspace. */
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    bio: text("bio").notNull().default(""),
    trustLevel: integer("trust_level").notNull().default(0),
    /** Set by staff: trust level is not recomputed (promotions to 4 and demotions stick). */
    trustLocked: integer("trust_locked", { mode: "boolean" }).notNull().default(false),
    /** An end user promoted to moderator by the workspace (staff are moderators by their role). */
    moderator: integer("moderator", { mode: "boolean" }).notNull().default(false),
    topicCount: integer("topic_count").notNull().default(0),
    postCount: integer("post_count").notNull().default(0),
    approvedPostCount: integer("approved_post_count").notNull().default(0),
    likesGiven: integer("likes_given").notNull().default(0),
    likesReceived: integer("likes_received").notNull().default(0),
    acceptedAnswers: integer("accepted_answers").notNull().default(0),
    topicsEntered: integer("topics_entered").notNull().default(0),
    postsRead: integer("posts_read").notNull().default(0),
    readSeconds: integer("read_seconds").notNull().default(0),
    daysVisited: integer("days_visited").notNull().default(0),
    lastVisitDay: text("last_visit_day"), // YYYY-MM-DD (UTC), to count days visited once
    reputation: integer("reputation").notNull().default(0),
    suspendedUntil: timestamp("suspended_until"), // cannot post, react, vote or flag
    silencedUntil: timestamp("silenced_until"), // may read and react; posts are held for approval
    sanctionReason: text("sanction_reason"),
    lastPostedAt: timestamp("last_posted_at"),
    lastSeenAt: timestamp("last_seen_at"),
    lastDigestAt: timestamp("last_digest_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("forum_members_tenant_username_uq").on(t.tenantId, t.username),
    index("forum_members_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("forum_members_tenant_trust_idx").on(t.tenantId, t.trustLevel),
  ],
);

/** Badges a member earned (first post, helpful answer, accepted answers ×1/×10/×50 …). */
export const forumBadges = sqliteTable(
  "forum_badges",
  {
    tenantId: tenantId(),
    memberId: text("member_id").notNull(),
    badge: text("badge").notNull(),
    postId: text("post_id"), // the post that earned it, when one did
    awardedAt: integer("awarded_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.memberId, t.badge] })],
);

// ── topics and posts ────────────────────────────────────────────────────────────────────────────

export const FORUM_TOPIC_KINDS = ["discussion", "question"] as const;
export type ForumTopicKind = (typeof FORUM_TOPIC_KINDS)[number];
/** visible · pending (held for approval) · hidden (by flags or a moderator) · deleted · merged (into another topic) */
export const FORUM_TOPIC_STATUSES = ["visible", "pending", "hidden", "deleted", "merged"] as const;
export type ForumTopicStatus = (typeof FORUM_TOPIC_STATUSES)[number];
/** none · category (top of its category) · global (top of every list) */
export const FORUM_PIN = ["none", "category", "global"] as const;
export type ForumPin = (typeof FORUM_PIN)[number];

export const forumTopics = sqliteTable(
  "forum_topics",
  {
    tenantId: tenantId(),
    id: id(), // ftop_…
    categoryId: text("category_id").notNull(),
    authorId: text("author_id").notNull(),
    title: text("title").notNull(),
    slug: text("slug").notNull(), // from the title, for URLs: /community/<ws>/t/<slug>/<id>
    kind: text("kind", { enum: FORUM_TOPIC_KINDS }).notNull().default("discussion"),
    status: text("status", { enum: FORUM_TOPIC_STATUSES }).notNull().default("visible"),
    pin: text("pin", { enum: FORUM_PIN }).notNull().default("none"),
    lockedAt: timestamp("locked_at"),
    acceptedPostId: text("accepted_post_id"),
    mergedIntoId: text("merged_into_id"),
    /** Visible posts including the first; the next post's `number` is `last_post_number + 1`. */
    postCount: integer("post_count").notNull().default(1),
    lastPostNumber: integer("last_post_number").notNull().default(1),
    viewCount: integer("view_count").notNull().default(0),
    likeCount: integer("like_count").notNull().default(0),
    /** The first post's vote score (up − down), for "top" sorting. */
    score: integer("score").notNull().default(0),
    lastPostedAt: integer("last_posted_at").notNull(),
    lastPosterId: text("last_poster_id").notNull(),
    /** When a staff member or moderator first replied (time to first reply in the activity figures). */
    firstStaffReplyAt: timestamp("first_staff_reply_at"),
    firstReplyAt: timestamp("first_reply_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("forum_topics_tenant_category_idx").on(t.tenantId, t.categoryId, t.status, t.lastPostedAt),
    index("forum_topics_tenant_latest_idx").on(t.tenantId, t.status, t.lastPostedAt),
    index("forum_topics_tenant_author_idx").on(t.tenantId, t.authorId, t.createdAt),
    index("forum_topics_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

/** visible · pending (held for approval) · hidden (flags or a moderator) · deleted */
export const FORUM_POST_STATUSES = ["visible", "pending", "hidden", "deleted"] as const;
export type ForumPostStatus = (typeof FORUM_POST_STATUSES)[number];

/** Counts per reaction on a post, e.g. `{ like: 3, heart: 1 }`. */
export type ForumReactionCounts = Partial<Record<string, number>>;

export const forumPosts = sqliteTable(
  "forum_posts",
  {
    tenantId: tenantId(),
    id: id(), // fpost_…
    topicId: text("topic_id").notNull(),
    /** 1 for the topic's first post, then increasing; stable (gaps where posts were deleted or moved). */
    number: integer("number").notNull(),
    authorId: text("author_id").notNull(),
    replyToPostId: text("reply_to_post_id"),
    bodyMarkdown: text("body_markdown").notNull(),
    /** Sanitised HTML rendered on the server at write time (workers/platform/markdown.ts rules). */
    bodyHtml: text("body_html").notNull(),
    /** Plain text (for search, snippets, excerpts, duplicate checks). Indexed by forum_posts_fts. */
    searchText: text("search_text").notNull(),
    status: text("status", { enum: FORUM_POST_STATUSES }).notNull().default("visible"),
    hiddenReason: text("hidden_reason"), // "flags" | "moderator" | "ai" | free text
    reactions: text("reactions", { mode: "json" }).$type<ForumReactionCounts>().notNull(),
    upvotes: integer("upvotes").notNull().default(0),
    downvotes: integer("downvotes").notNull().default(0),
    flagWeight: integer("flag_weight").notNull().default(0),
    revisionCount: integer("revision_count").notNull().default(0),
    ip: text("ip"), // for spam review by moderators; erased with the member
    editedAt: timestamp("edited_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("forum_posts_tenant_topic_number_uq").on(t.tenantId, t.topicId, t.number),
    index("forum_posts_tenant_author_idx").on(t.tenantId, t.authorId, t.createdAt),
    index("forum_posts_tenant_status_idx").on(t.tenantId, t.status, t.createdAt),
    index("forum_posts_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

/** Edit history: the text a post had before each edit (the current text is on the post). */
export const forumPostRevisions = sqliteTable(
  "forum_post_revisions",
  {
    tenantId: tenantId(),
    id: id(), // frev_…
    postId: text("post_id").notNull(),
    editorId: text("editor_id").notNull(),
    number: integer("number").notNull(), // 1 = the original text
    title: text("title"), // the topic's title before the edit, when the first post's edit changed it
    bodyMarkdown: text("body_markdown").notNull(),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("forum_post_revisions_tenant_post_number_uq").on(t.tenantId, t.postId, t.number)],
);

/** A fixed set; `like` counts towards likes given/received and trust levels. */
export const FORUM_REACTIONS = ["like", "heart", "laugh", "hooray", "confused", "eyes"] as const;
export type ForumReaction = (typeof FORUM_REACTIONS)[number];

export const forumReactions = sqliteTable(
  "forum_reactions",
  {
    tenantId: tenantId(),
    postId: text("post_id").notNull(),
    memberId: text("member_id").notNull(),
    reaction: text("reaction", { enum: FORUM_REACTIONS }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.postId, t.memberId, t.reaction] }),
    index("forum_reactions_tenant_member_idx").on(t.tenantId, t.memberId, t.createdAt),
  ],
);

export const forumVotes = sqliteTable(
  "forum_votes",
  {
    tenantId: tenantId(),
    postId: text("post_id").notNull(),
    memberId: text("member_id").notNull(),
    value: integer("value").notNull(), // +1 or −1
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.postId, t.memberId] })],
);
