import { z } from "@hono/zod-openapi";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { modActionSchema } from "./moderation.schemas";

const ISO = z.string().openapi({ format: "date-time" });

export const badgeSchema = z
  .object({ badge: z.string(), name: z.string(), description: z.string(), post_id: z.string().nullable(), awarded_at: ISO })
  .openapi("ForumBadge");

export const memberSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["enduser", "staff"]),
    username: z.string(),
    display_name: z.string(),
    trust_level: z.number().int(),
    trust_level_name: z.string(),
    trust_locked: z.boolean(),
    moderator: z.boolean(),
    reputation: z.number().int(),
    topic_count: z.number().int(),
    post_count: z.number().int(),
    likes_given: z.number().int(),
    likes_received: z.number().int(),
    accepted_answers: z.number().int(),
    days_visited: z.number().int(),
    posts_read: z.number().int(),
    read_minutes: z.number().int(),
    suspended_until: ISO.nullable(),
    silenced_until: ISO.nullable(),
    sanction_reason: z.string().nullable(),
    last_posted_at: ISO.nullable(),
    last_seen_at: ISO.nullable(),
    created_at: ISO.nullable(),
  })
  .openapi("ForumMember");
export const memberPageSchema = pageSchema(memberSchema);
export const memberDetailSchema = memberSchema
  .extend({
    badges: z.array(badgeSchema),
    actions: z.array(modActionSchema),
    flags_raised: z.number().int(),
    flags_received: z.number().int(),
  })
  .openapi("ForumMemberDetail");

export const membersQuery = pageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  trust: z.coerce.number().int().min(0).max(4).optional(),
  sanctioned: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "Only members suspended or silenced now (true), or only those not (false)" }),
});

export const sanctionParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "eu_01jd0000000000000000000000" }),
  action: z.enum(["suspend", "silence", "unsuspend", "unsilence"]).openapi({ param: { name: "action", in: "path" } }),
});
export const sanctionInput = z
  .object({
    until: z.string().datetime({ offset: true }).optional().openapi({ description: "suspend/silence: when it ends (ISO, in the future)" }),
    reason: z.string().trim().max(500).optional(),
  })
  .openapi("ForumSanctionInput");
export const trustInput = z.object({ level: z.number().int().min(0).max(4), locked: z.boolean().default(true) }).openapi("ForumTrustInput");
export const moderatorInput = z.object({ moderator: z.boolean() }).openapi("ForumModeratorInput");

export const profileSchema = z
  .object({
    username: z.string(),
    display_name: z.string(),
    bio: z.string(),
    staff: z.boolean(),
    moderator: z.boolean(),
    trust_level: z.number().int(),
    trust_level_name: z.string(),
    reputation: z.number().int(),
    badges: z.array(badgeSchema),
    counts: z.object({
      topics: z.number().int(),
      posts: z.number().int(),
      likes_received: z.number().int(),
      likes_given: z.number().int(),
      accepted_answers: z.number().int(),
      days_visited: z.number().int(),
    }),
    recent_posts: z.array(
      z.object({
        id: z.string(),
        number: z.number().int(),
        excerpt: z.string(),
        topic: z.object({ id: z.string(), title: z.string(), slug: z.string() }),
        created_at: ISO.nullable(),
      }),
    ),
    member_since: ISO.nullable(),
  })
  .openapi("ForumMemberProfile");
