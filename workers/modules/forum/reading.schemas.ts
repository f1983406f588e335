import { z } from "@hono/zod-openapi";
import { FORUM_NOTIFICATION_LEVELS } from "../../../schema/forum-reading";
import { FORUM_REACTIONS } from "../../../schema/forum";
import { pageSchema } from "../../platform/pagination";
import { authorSchema, portalParam } from "./content.schemas";

/** Schemas of the community API's reactions and votes, reading state (levels, timings, drafts), search, similar topics and mentions. */

// ── reactions, votes, reading ───────────────────────────────────────────────────────────────────

export const reactionParams = portalParam.extend({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "fpost_01jd0000000000000000000000" }),
  reaction: z.enum(FORUM_REACTIONS).openapi({ param: { name: "reaction", in: "path" }, example: "like" }),
});
export const countsSchema = z
  .object({
    post_id: z.string(),
    reactions: z.record(z.string(), z.number()),
    upvotes: z.number().int(),
    downvotes: z.number().int(),
    score: z.number().int(),
    my_vote: z.number().int().optional(),
  })
  .openapi("ForumPostCounts");
export const voteInput = z.object({
  value: z.union([z.literal(1), z.literal(-1), z.literal(0)]).openapi({ description: "1 up, -1 down, 0 removes" }),
});
export const levelInput = z.object({ level: z.enum(FORUM_NOTIFICATION_LEVELS) });
export const timingsInput = z.object({
  read_to: z.number().int().min(0).max(1_000_000).openapi({ description: "The highest post number read" }),
  seconds: z.number().int().min(0).max(86_400).openapi({ description: "Seconds spent reading since the last report (capped at 600)" }),
});
export const timingsSchema = z.object({ topic_id: z.string(), read_position: z.number().int(), seconds_counted: z.number().int() });
export const draftParams = portalParam.extend({
  key: z
    .string()
    .min(1)
    .max(80)
    .openapi({ param: { name: "key", in: "path" }, example: "reply:ftop_01jd0000000000000000000000" }),
});
export const draftInput = z.object({ title: z.string().max(200).nullable().optional(), body: z.string().max(100_000) });
export const draftSchema = z
  .object({ key: z.string(), title: z.string().nullable(), body: z.string(), updated_at: z.string().nullable() })
  .openapi("ForumDraft");

// ── search ──────────────────────────────────────────────────────────────────────────────────────

export const searchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  category: z.string().max(64).optional(),
  author: z.string().max(40).optional().openapi({ description: "A username" }),
  solved: z
    .enum(["true", "false"])
    .transform((s) => s === "true")
    .optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(100).optional(),
});
export const searchResultsSchema = pageSchema(
  z.object({
    topic: z.object({
      id: z.string(),
      slug: z.string(),
      title: z.string(),
      title_html: z.string().openapi({ description: "The title, escaped, with matches in <mark>" }),
      category_id: z.string(),
      solved: z.boolean(),
    }),
    post: z.object({ id: z.string(), number: z.number().int(), author: authorSchema, accepted: z.boolean(), created_at: z.string() }),
    snippet: z.string().openapi({ description: "Escaped text around the matches, matches in <mark>" }),
    score: z.number(),
  }),
).openapi("ForumSearchResults");
export const similarQuery = z.object({ title: z.string().trim().min(1).max(200) });
export const similarSchema = z
  .object({
    data: z.array(
      z.object({
        id: z.string(),
        slug: z.string(),
        title: z.string(),
        category_id: z.string(),
        solved: z.boolean(),
        reply_count: z.number().int(),
      }),
    ),
  })
  .openapi("ForumSimilarTopics");
export const mentionsQuery = z.object({ q: z.string().trim().min(1).max(40) });
export const mentionsSchema = z.object({ data: z.array(authorSchema) }).openapi("ForumMentionCandidates");
