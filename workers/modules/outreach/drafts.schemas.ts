import { z } from "@hono/zod-openapi";
import { DRAFT_STATUSES } from "../../../schema/sales-sequences";
import { pageQuerySchema } from "../../platform/pagination";

/** API shapes of the writer part: drafts, their decisions, the writer's settings, the bandit's figures. */

const hasControl = (s: string) => Array.from(s).some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

export const draftSchema = z
  .object({
    id: z.string(),
    enrollment_id: z.string(),
    sequence_id: z.string(),
    step_id: z.string(),
    variant_id: z.string(),
    variant_label: z.string().nullable(),
    lead_id: z.string(),
    lead_name: z.string().nullable(),
    lead_email: z.string().nullable(),
    lead_company: z.string().nullable(),
    subject: z.string(),
    body: z.string(),
    sources: z
      .array(z.object({ source_id: z.string(), title: z.string(), chunk_id: z.string() }))
      .openapi({ description: "Knowledge documents the writer grounded this draft on" }),
    writer: z.string().openapi({ description: 'The model that wrote it ("provider/model"), or "local-writer-v1"' }),
    local_writer: z
      .boolean()
      .openapi({ description: "Written by the local writer (no AI model): the template filled plus one knowledge sentence" }),
    status: z.enum(DRAFT_STATUSES),
    held_for: z.array(z.string()).openapi({ description: "The AI safety rules that fired on it" }),
    edited_by: z.string().nullable(),
    decided_by: z.string().nullable().openapi({ description: 'Who approved or rejected it; "auto-send" when the sequence approved it' }),
    decided_at: z.string().nullable(),
    reject_reason: z.string().nullable().openapi({ description: "Why the person who rejected it did (the reject input's reason)" }),
    send_at: z.string().nullable(),
    sent_at: z.string().nullable(),
    outcome: z.enum(["replied", "positive", "negative", "bounced", "unsubscribed"]).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("SalesDraft");

export const draftListQuery = pageQuerySchema.extend({
  status: z.enum(DRAFT_STATUSES).optional(),
  sequence_id: z.string().max(64).optional(),
  lead_id: z.string().max(64).optional(),
});

export const draftEditInput = z
  .object({
    subject: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((s) => !hasControl(s), "must not contain control characters or line breaks")
      .optional(),
    body: z.string().trim().min(1).max(10_000).optional(),
  })
  .refine((x) => x.subject !== undefined || x.body !== undefined, { message: "give a subject, a body or both", path: ["body"] })
  .openapi("SalesDraftEdit");

export const draftRejectInput = z
  .object({
    reason: z.string().trim().max(500).nullable().optional(),
    enrollment: z
      .enum(["skip", "stop"])
      .default("skip")
      .openapi({ description: '"skip": the enrolment moves on to the next step (default); "stop": the enrolment ends' }),
  })
  .openapi("SalesDraftReject");

export const WRITER_TONES = ["friendly", "formal", "direct", "playful"] as const;

export const writerSettingsSchema = z
  .object({
    tone: z.enum(WRITER_TONES),
    persona: z.string(),
    value_props: z.array(z.string()),
    max_words: z.number().int(),
    use_knowledge: z.boolean(),
    collection: z.string().nullable(),
    updated_at: z.string().nullable().openapi({ description: "null: never saved (these are the defaults)" }),
  })
  .openapi("WriterSettings");

export const writerSettingsInput = z
  .object({
    tone: z.enum(WRITER_TONES).optional(),
    persona: z.string().trim().max(1000).optional().openapi({ description: "Who is writing and what the company sells" }),
    value_props: z.array(z.string().trim().min(1).max(200)).max(10).optional(),
    max_words: z.number().int().min(30).max(400).optional(),
    use_knowledge: z.boolean().optional(),
    collection: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .openapi({ description: "Knowledge collection to ground on (null: all)" }),
  })
  .openapi("WriterSettingsInput");

const armSchema = z.object({
  variant_id: z.string(),
  label: z.string(),
  active: z.boolean(),
  subject: z.string(),
  sent: z.number().int(),
  replies: z.number().int(),
  positive_replies: z.number().int(),
  reply_rate: z.number().nullable().openapi({ description: "replies / sent (null before the first send)" }),
  positive_rate: z.number().nullable().openapi({ description: "positive replies / sent" }),
  posterior_mean: z.number().openapi({ description: "Mean of Beta(1 + positive, 1 + sent − positive)" }),
  probability_best: z
    .number()
    .nullable()
    .openapi({ description: "Share of Monte Carlo draws in which this arm is best (active arms only)" }),
  winner: z
    .boolean()
    .openapi({ description: "Its subject and opening line are given to the writer as an example for new drafts of the step" }),
});

export const variantsSchema = z
  .object({
    sequence_id: z.string(),
    method: z.literal("thompson_sampling"),
    draws: z.number().int(),
    steps: z.array(z.object({ step_id: z.string(), position: z.number().int(), arms: z.array(armSchema) })),
  })
  .openapi("SequenceVariantFigures");
