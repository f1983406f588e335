import { z } from "@hono/zod-openapi";

export const activityQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .openapi({ description: "How many UTC days, ending today (inclusive), the figures cover (1–365)" }),
});

const minutes = z.number().nullable();

export const activitySchema = z
  .object({
    enabled: z.boolean().openapi({ description: "Whether the forum is on (its pages and end-user APIs answer)" }),
    title: z.string(),
    community_path: z.string().openapi({ description: "The hosted community's path on this origin", example: "/community/demo" }),
    days: z.number().int(),
    from: z.string().openapi({ description: "The first UTC day counted", example: "2026-11-08" }),
    to: z.string().openapi({ description: "The last UTC day counted (today)", example: "2026-12-07" }),
    series: z.array(
      z.object({
        day: z.string().openapi({ example: "2026-12-07" }),
        topics: z.number().int().openapi({ description: "Topics started that day (visible or later hidden)" }),
        posts: z.number().int().openapi({ description: "Posts written that day, first posts included (visible or later hidden)" }),
        active_members: z.number().int().openapi({ description: "Members who posted or reacted that day" }),
      }),
    ),
    totals: z.object({
      topics: z.number().int(),
      posts: z.number().int(),
      active_members: z.number().int().openapi({ description: "Distinct members who posted or reacted in the period" }),
      new_members: z.number().int().openapi({ description: "Members whose first action was in the period" }),
      questions: z.number().int().openapi({ description: "Question topics started in the period" }),
      solved: z.number().int().openapi({ description: "… of which have an accepted answer" }),
      solved_rate: z.number().nullable().openapi({ description: "solved ÷ questions (0–1); null without questions" }),
      unanswered: z.number().int().openapi({ description: "Topics started in the period that have no reply yet" }),
      median_first_reply_minutes: minutes.openapi({
        description: "Median minutes from a topic's start to its first reply (topics started in the period that have one)",
      }),
      median_first_staff_reply_minutes: minutes.openapi({
        description: "Median minutes to the first reply by staff or a moderator",
      }),
    }),
    attention: z.object({
      pending_flags: z.number().int().openapi({ description: "Flags waiting in the moderation queue" }),
      pending_posts: z.number().int().openapi({ description: "Posts held for approval" }),
    }),
  })
  .openapi("ForumActivity");

export type ForumActivity = z.infer<typeof activitySchema>;
