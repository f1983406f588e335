import { z } from "@hono/zod-openapi";
import { FORUM_NOTIFICATION_LEVELS } from "../../../schema/forum-reading";
import {
  FORUM_PIN,
  FORUM_POST_ACCESS,
  FORUM_POST_STATUSES,
  FORUM_READ_ACCESS,
  FORUM_TOPIC_KINDS,
  FORUM_TOPIC_STATUSES,
} from "../../../schema/forum";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { TOPIC_SORTS } from "./topics.service";

/** Request and response schemas of the forum's content APIs (public.routes.ts, staff.routes.ts). */

const hasControl = (s: string) => Array.from(s).some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
const plain = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !hasControl(s), "must not contain control characters or line breaks");

export const idParams = (name: string, example: string) =>
  z.object({
    [name]: z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name, in: "path" }, example }),
  });
export const portalParam = z.object({
  portal: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "portal", in: "path" }, example: "acme", description: "The workspace slug, or a publishable key" }),
});
export const portalIdParams = (name: string, example: string) => portalParam.extend(idParams(name, example).shape);

// ── settings and categories ─────────────────────────────────────────────────────────────────────

const trustSchema = z.object({
  basic: z.object({ topicsEntered: z.number().int().min(0), postsRead: z.number().int().min(0), readMinutes: z.number().int().min(0) }),
  member: z.object({
    daysVisited: z.number().int().min(0),
    postsRead: z.number().int().min(0),
    readMinutes: z.number().int().min(0),
    likesReceived: z.number().int().min(0),
    postsCreated: z.number().int().min(0),
  }),
  regular: z.object({
    daysVisited: z.number().int().min(0),
    postsRead: z.number().int().min(0),
    likesReceived: z.number().int().min(0),
    likesGiven: z.number().int().min(0),
    postsCreated: z.number().int().min(0),
  }),
});
const rulesSchema = z.object({
  holdFirstPosts: z.number().int().min(0).max(100),
  flagHideThreshold: z.number().int().min(1).max(100),
  newUserMaxLinks: z.number().int().min(0).max(100),
  newUserImages: z.boolean(),
  postsPerMinute: z.number().int().min(1).max(1000),
  postsPerMinutePerIp: z.number().int().min(1).max(10_000),
  duplicateWindowMinutes: z.number().int().min(0).max(10_080),
  aiModeration: z.boolean(),
  editGraceMinutes: z.number().int().min(0).max(1440),
});

export const settingsSchema = z
  .object({
    enabled: z.boolean(),
    title: z.string(),
    description: z.string(),
    digest_hours: z.number().int(),
    trust: trustSchema,
    rules: rulesSchema,
    updated_at: z.string().nullable(),
  })
  .openapi("ForumSettings");

export const settingsInput = z
  .object({
    enabled: z.boolean().optional(),
    title: plain(80).min(1).optional(),
    description: z.string().max(2000).optional(),
    digest_hours: z
      .number()
      .int()
      .min(0)
      .max(24 * 30)
      .optional()
      .openapi({ description: "Hours between digest e-mails; 0 turns them off" }),
    trust: z
      .object({
        basic: trustSchema.shape.basic.partial(),
        member: trustSchema.shape.member.partial(),
        regular: trustSchema.shape.regular.partial(),
      })
      .partial()
      .optional(),
    rules: rulesSchema.partial().optional(),
  })
  .openapi("ForumSettingsInput");

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;

export const categorySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    color: z.string(),
    position: z.number().int(),
    read_access: z.enum(FORUM_READ_ACCESS),
    topic_access: z.enum(FORUM_POST_ACCESS),
    reply_access: z.enum(FORUM_POST_ACCESS),
    min_trust_to_topic: z.number().int(),
    questions: z.boolean(),
    topic_count: z.number().int(),
    post_count: z.number().int(),
    last_posted_at: z.string().nullable(),
    archived: z.boolean(),
    can_start_topic: z.boolean().optional(),
    unread: z.number().int().optional(),
    new: z.number().int().optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("ForumCategory");

export const categoryInput = z
  .object({
    name: plain(80).min(1),
    slug: z.string().regex(SLUG, "lower-case letters, digits and inner hyphens, at most 60 characters").optional(),
    description: z.string().max(1000).optional(),
    color: z.string().regex(COLOR, "a #rrggbb colour").optional(),
    read_access: z.enum(FORUM_READ_ACCESS).optional().openapi({ description: "public (default), signed_in, staff" }),
    topic_access: z.enum(FORUM_POST_ACCESS).optional(),
    reply_access: z.enum(FORUM_POST_ACCESS).optional(),
    min_trust_to_topic: z.number().int().min(0).max(4).optional(),
    questions: z.boolean().optional().openapi({ description: "Topics here are questions (accepted answers)" }),
    archived: z.boolean().optional(),
  })
  .openapi("ForumCategoryInput");
export const categoryPatch = categoryInput.partial().openapi("ForumCategoryPatch");
export const reorderInput = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(200) });

// ── topics and posts ────────────────────────────────────────────────────────────────────────────

export const authorSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    display_name: z.string(),
    trust_level: z.number().int(),
    staff: z.boolean(),
    moderator: z.boolean(),
  })
  .openapi("ForumAuthor");

export const topicSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    kind: z.enum(FORUM_TOPIC_KINDS),
    status: z.enum(FORUM_TOPIC_STATUSES),
    category_id: z.string(),
    category: z.object({ id: z.string(), slug: z.string(), name: z.string(), color: z.string() }).optional(),
    author: authorSchema,
    pinned: z.enum(FORUM_PIN),
    locked: z.boolean(),
    solved: z.boolean(),
    accepted_post_id: z.string().nullable(),
    merged_into_id: z.string().nullable(),
    post_count: z.number().int(),
    reply_count: z.number().int(),
    last_post_number: z.number().int(),
    view_count: z.number().int(),
    like_count: z.number().int(),
    score: z.number().int(),
    last_posted_at: z.string(),
    last_poster: authorSchema,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("ForumTopic");

export const postSchema = z
  .object({
    id: z.string(),
    topic_id: z.string(),
    number: z.number().int(),
    author: authorSchema,
    reply_to_post_id: z.string().nullable(),
    status: z.enum(FORUM_POST_STATUSES),
    awaiting_approval: z.boolean(),
    hidden_reason: z.string().nullable(),
    body_html: z.string().openapi({ description: "Sanitised HTML rendered on the server" }),
    body_markdown: z.string(),
    reactions: z.record(z.string(), z.number()),
    upvotes: z.number().int(),
    downvotes: z.number().int(),
    score: z.number().int(),
    accepted: z.boolean(),
    revision_count: z.number().int(),
    edited_at: z.string().nullable(),
    created_at: z.string(),
    my_reactions: z.array(z.string()),
    my_vote: z.number().int(),
    can_edit: z.boolean(),
  })
  .openapi("ForumPost");

export const topicViewSchema = z
  .object({
    topic: topicSchema,
    posts: z.array(postSchema),
    next_after: z.number().int().nullable().openapi({ description: "Pass as `after` for the next page of posts; null at the end" }),
    read_position: z.number().int(),
    notification_level: z.enum(FORUM_NOTIFICATION_LEVELS),
    can_reply: z.boolean(),
    can_accept: z.boolean(),
  })
  .openapi("ForumTopicView");

export const topicListQuery = pageQuerySchema.extend({
  category: z.string().max(64).optional(),
  sort: z.enum(TOPIC_SORTS).default("latest"),
});
export const staffTopicListQuery = topicListQuery.extend({
  status: z.enum(FORUM_TOPIC_STATUSES).optional(),
  q: z.string().max(200).optional().openapi({ description: "Title contains" }),
});
export const topicPageQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "Posts with a number after this one (default 0: from the first)" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const body = z.string().trim().min(1, "write something").max(50_000).openapi({ description: "Markdown; raw HTML shows as text" });
export const newTopicInput = z
  .object({
    category_id: z.string().min(1).max(64),
    title: plain(200).min(3, "at least 3 characters"),
    body,
    kind: z.enum(FORUM_TOPIC_KINDS).optional().openapi({ description: "Default: question in a question category, else discussion" }),
  })
  .openapi("ForumNewTopic");
export const replyInput = z
  .object({
    body: body.openapi({ description: "Markdown; a quote reply starts with `[quote=@user post=ID]…[/quote]`" }),
    reply_to_post_id: z.string().max(64).nullable().optional(),
  })
  .openapi("ForumReply");
export const editInput = z
  .object({
    body,
    title: plain(200).min(3).optional().openapi({ description: "First post only: the topic's title" }),
    reason: plain(200).optional(),
  })
  .openapi("ForumEdit");

export const createdTopicSchema = z
  .object({ topic: topicSchema, post: postSchema, held_for: z.string().nullable() })
  .openapi("ForumCreatedTopic");
export const createdPostSchema = z.object({ post: postSchema, held_for: z.string().nullable() }).openapi("ForumCreatedPost");

export const revisionsSchema = z
  .object({
    post_id: z.string(),
    data: z.array(
      z.object({
        number: z.number().int(),
        title: z.string().nullable(),
        body_markdown: z.string(),
        edited_by: authorSchema,
        reason: z.string().nullable(),
        created_at: z.string().nullable(),
        current: z.boolean(),
      }),
    ),
  })
  .openapi("ForumRevisions");

export const acceptInput = z.object({ post_id: z.string().min(1).max(64) });

export const homeSchema = z
  .object({
    title: z.string(),
    description: z.string(),
    slug: z.string(),
    brand: z.object({ name: z.string(), color: z.string().nullable(), logo_url: z.string().nullable() }).optional(),
    categories: z.array(categorySchema),
    member: z
      .object({
        id: z.string(),
        username: z.string(),
        display_name: z.string(),
        trust_level: z.number().int(),
        moderator: z.boolean(),
        suspended_until: z.string().nullable(),
      })
      .nullable(),
    signed_in: z.boolean(),
  })
  .openapi("ForumHome");

export const knowledgeInput = z.object({ collection: z.string().min(1).max(64).default("community") });
export const knowledgeSchema = z.object({ source_id: z.string(), title: z.string(), status: z.string() }).openapi("ForumKnowledgeSource");
export const topicPageSchema = pageSchema(topicSchema);
