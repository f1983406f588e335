import { z } from "@hono/zod-openapi";
import { FORUM_FLAG_REASONS, FORUM_MOD_ACTIONS } from "../../../schema/forum-moderation";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { FLAG_DECISIONS } from "./flags.service";
import { POST_ACTIONS } from "./moderation.service";
import { TOPIC_ACTIONS } from "./moderation.topics";
import { QUEUE_KINDS } from "./moderation.queue";

const ISO = z.string().openapi({ format: "date-time" });

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

export const idPath = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: "path" }, example });

export const postActionParams = z.object({
  id: idPath("id", "fpost_01jd0000000000000000000000"),
  action: z.enum(POST_ACTIONS).openapi({ param: { name: "action", in: "path" } }),
});
export const topicActionParams = z.object({
  id: idPath("id", "ftop_01jd0000000000000000000000"),
  action: z.enum(TOPIC_ACTIONS).openapi({ param: { name: "action", in: "path" } }),
});
export const flagDecisionParams = z.object({
  id: idPath("id", "fflag_01jd0000000000000000000000"),
  decision: z.enum(FLAG_DECISIONS).openapi({ param: { name: "decision", in: "path" } }),
});
export const idParams = (example: string) => z.object({ id: idPath("id", example) });

export const reasonInput = z.object({ reason: z.string().trim().max(500).optional() }).openapi("ForumModerationReason");
export const topicActionInput = z
  .object({
    reason: z.string().trim().max(500).optional(),
    scope: z.enum(["category", "global"]).optional().openapi({ description: "pin: where (default category)" }),
    category_id: z.string().min(1).max(64).optional().openapi({ description: "move: the new category" }),
    into_topic_id: z.string().min(1).max(64).optional().openapi({ description: "merge: the topic that receives the posts" }),
  })
  .openapi("ForumTopicActionInput");
export const aiOverrideInput = z.object({ verdict: z.enum(["allow", "hold"]) }).openapi("ForumAiOverrideInput");

export const flagInput = z
  .object({ reason: z.enum(FORUM_FLAG_REASONS), note: z.string().trim().max(500).optional() })
  .openapi("ForumFlagInput");
export const flagCreatedSchema = z
  .object({
    id: z.string(),
    post_id: z.string(),
    reason: z.enum(FORUM_FLAG_REASONS),
    weight: z.number().int(),
    post_hidden: z.boolean(),
    created_at: ISO,
  })
  .openapi("ForumFlagCreated");

export const actionResultSchema = z.object({ action_id: z.string() }).catchall(z.unknown()).openapi("ForumModerationResult");
export const reverseResultSchema = z.object({ reversed_action_id: z.string(), action_id: z.string() }).openapi("ForumModerationReversed");
export const flagResolvedSchema = z
  .object({
    flag_id: z.string(),
    decision: z.enum(FLAG_DECISIONS),
    status: z.enum(["agreed", "disagreed", "ignored"]),
    action_id: z.string().nullable(),
    post_id: z.string(),
    post_status: z.string(),
  })
  .openapi("ForumFlagResolved");

export const aiReviewSchema = z
  .object({
    verdict: z.enum(["allow", "hold"]),
    labels: z.array(z.string()),
    explanation: z.string(),
    model: z.string().openapi({ description: "provider/model, or local-spam-rules-v1 (the built-in rules)" }),
    overridden_by_id: z.string().nullable(),
    overridden_at: ISO.nullable(),
    created_at: ISO.nullable(),
  })
  .openapi("ForumAiReview");

export const modPostSchema = z
  .object({
    id: z.string(),
    topic_id: z.string(),
    number: z.number().int(),
    status: z.string(),
    hidden_reason: z.string().nullable(),
    body_html: z.string(),
    excerpt: z.string(),
    author: authorSchema,
    flag_weight: z.number().int(),
    ip: z.string().nullable(),
    created_at: ISO.nullable(),
  })
  .openapi("ForumModerationPost");

export const queueQuery = pageQuerySchema.extend({ kind: z.enum(QUEUE_KINDS).default("flagged") });
export const queuePageSchema = pageSchema(
  z
    .object({
      kind: z.enum(QUEUE_KINDS),
      post: modPostSchema,
      topic: z.object({ id: z.string(), title: z.string(), slug: z.string(), category_id: z.string(), status: z.string() }),
      flags: z.array(
        z.object({
          id: z.string(),
          reason: z.enum(FORUM_FLAG_REASONS),
          note: z.string().nullable(),
          weight: z.number().int(),
          flagger: authorSchema,
          created_at: ISO.nullable(),
        }),
      ),
      ai_review: aiReviewSchema.nullable(),
    })
    .openapi("ForumQueueItem"),
);

export const modActionSchema = z
  .object({
    id: z.string(),
    actor_id: z.string().openapi({ description: "Staff user, moderator end user, `flags` (the hide threshold) or `ai`" }),
    action: z.enum(FORUM_MOD_ACTIONS),
    target_kind: z.enum(["post", "topic", "member"]),
    target_id: z.string(),
    reason: z.string().nullable(),
    before: z.record(z.string(), z.unknown()),
    after: z.record(z.string(), z.unknown()),
    reversed_by_id: z.string().nullable(),
    reversed_at: ISO.nullable(),
    created_at: ISO.nullable(),
  })
  .openapi("ForumModAction");
export const actionsQuery = pageQuerySchema.extend({
  target: z.string().max(64).optional().openapi({ description: "A post, topic or member id" }),
});
export const actionsPageSchema = pageSchema(modActionSchema.extend({ actor: authorSchema.nullable() }));
