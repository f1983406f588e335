import { z } from "@hono/zod-openapi";
import { ENROLLMENT_STOP_REASONS, STEP_CONDITIONS } from "../../../schema/sales-sequences";
import { isValidTimeZone } from "./schedule";

/** API shapes of mailboxes, sequences (steps, variants), enrolment and the dev inbox (docs/sales.md). */

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-4]):[0-5]\d$/, "Use HH:MM (24-hour), e.g. 09:00")
  .refine((s) => toMinutes(s) <= 24 * 60, "At most 24:00");
export const toMinutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
export const fromMinutes = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const timezone = z.string().max(64).refine(isValidTimeZone, "Not an IANA time zone (e.g. Europe/Berlin, America/New_York)");

export const mailboxSchema = z
  .object({
    id: z.string(),
    from_email: z.string(),
    from_name: z.string(),
    daily_limit: z.number().int(),
    window_start: z.string().openapi({ example: "09:00" }),
    window_end: z.string().openapi({ example: "17:00" }),
    send_days: z.array(z.number().int()).openapi({ description: "0 = Sunday … 6 = Saturday" }),
    timezone: z.string(),
    signature: z.string(),
    sent_today: z.number().int().openapi({ description: "Emails sent or scheduled for today (the mailbox's day)" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("OutreachMailbox");

const mailboxFields = {
  from_email: z.email().max(254),
  from_name: z.string().trim().min(1).max(100),
  daily_limit: z.number().int().min(1).max(2000),
  window_start: hhmm,
  window_end: hhmm,
  send_days: z
    .array(z.number().int().min(0).max(6))
    .min(1, "Choose at least one sending day")
    .max(7)
    .transform((d) => [...new Set(d)].sort()),
  timezone,
  signature: z.string().max(2000),
};
const windowOrder = (v: { window_start?: string; window_end?: string }) =>
  !v.window_start || !v.window_end || toMinutes(v.window_start) < toMinutes(v.window_end);
const windowIssue = { message: "window_end must be after window_start", path: ["window_end"] };
export const mailboxInput = z
  .object({
    ...mailboxFields,
    daily_limit: mailboxFields.daily_limit.optional(),
    window_start: mailboxFields.window_start.optional(),
    window_end: mailboxFields.window_end.optional(),
    send_days: mailboxFields.send_days.optional(),
    timezone: mailboxFields.timezone.optional(),
    signature: mailboxFields.signature.optional(),
  })
  .refine(windowOrder, windowIssue)
  .openapi("CreateOutreachMailbox");
export const mailboxPatch = z.object(mailboxFields).partial().refine(windowOrder, windowIssue).openapi("UpdateOutreachMailbox");
export type MailboxInput = z.infer<typeof mailboxInput>;
export type MailboxPatch = z.infer<typeof mailboxPatch>;

export const enrolFilterSchema = z
  .object({
    tags: z.array(z.string().max(64)).max(20).optional(),
    statuses: z.array(z.string().max(32)).max(10).optional(),
    min_score: z.number().int().min(0).max(100).optional(),
    owner_id: z.string().max(64).optional(),
    q: z.string().max(200).optional(),
  })
  .openapi("EnrolFilter");

export const variantSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    subject: z.string(),
    body: z.string(),
    instructions: z.string(),
    active: z.boolean(),
    sent: z.number().int(),
    replies: z.number().int(),
    positive_replies: z.number().int(),
  })
  .openapi("OutreachVariant");
export const stepSchema = z
  .object({
    id: z.string(),
    position: z.number().int(),
    kind: z.enum(["email", "task"]),
    delay_minutes: z.number().int(),
    condition: z.enum(STEP_CONDITIONS),
    task_title: z.string().nullable(),
    variants: z.array(variantSchema),
  })
  .openapi("OutreachStep");
export const sequenceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(["draft", "active", "paused", "archived"]),
    mailbox_id: z.string().nullable(),
    auto_send: z.boolean(),
    track_opens: z.boolean().openapi({ description: "A 1×1 open-tracking image in each email (opens are approximate)" }),
    enrol_filter: enrolFilterSchema,
    counts: z.object({ enrolled: z.number().int(), active: z.number().int(), replied: z.number().int() }),
    steps: z.array(stepSchema),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("OutreachSequence");

const variantInput = z.object({
  id: z.string().max(64).optional().openapi({ description: "Keep (and edit) an existing variant; omit to add one" }),
  label: z.string().trim().min(1).max(8).optional(),
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(10_000),
  instructions: z.string().max(2000).optional(),
  active: z.boolean().optional(),
});
const stepInput = z
  .object({
    id: z.string().max(64).optional().openapi({ description: "Keep (and edit) an existing step; omit to add one" }),
    kind: z.enum(["email", "task"]),
    delay_minutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 90),
    condition: z.enum(STEP_CONDITIONS).optional(),
    task_title: z.string().trim().min(1).max(200).optional(),
    variants: z.array(variantInput).max(5).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.kind === "email" && !s.variants?.length)
      ctx.addIssue({ code: "custom", message: "An email step needs at least one variant", path: ["variants"] });
    if (s.kind === "task" && !s.task_title)
      ctx.addIssue({ code: "custom", message: "A task step needs a task_title", path: ["task_title"] });
  });
export type StepInput = z.infer<typeof stepInput>;

const sequenceFields = {
  name: z.string().trim().min(1).max(120),
  mailbox_id: z.string().max(64).nullable(),
  auto_send: z.boolean(),
  track_opens: z.boolean(),
  enrol_filter: enrolFilterSchema,
  steps: z.array(stepInput).max(20),
};
export const sequenceInput = z
  .object({
    ...sequenceFields,
    mailbox_id: sequenceFields.mailbox_id.optional(),
    auto_send: sequenceFields.auto_send.optional(),
    track_opens: sequenceFields.track_opens.optional().openapi({ description: "Default true" }),
    enrol_filter: sequenceFields.enrol_filter.optional(),
    steps: sequenceFields.steps.optional(),
  })
  .openapi("CreateOutreachSequence");
export const sequencePatch = z.object(sequenceFields).partial().openapi("UpdateOutreachSequence", {
  description: "`steps`, when given, is the whole list in order (steps and variants with an id are kept)",
});
export type SequenceInput = z.infer<typeof sequenceInput>;
export type SequencePatch = z.infer<typeof sequencePatch>;

export const enrolInput = z
  .object({
    lead_ids: z.array(z.string().min(1).max(64)).min(1).max(1000).optional(),
    filter: enrolFilterSchema.optional().openapi({ description: "Default: the sequence's enrol_filter" }),
    limit: z.number().int().min(1).max(5000).optional().openapi({ description: "Most leads a filter enrols (default 1000)" }),
  })
  .openapi("EnrolLeads");
export const enrolResult = z
  .object({
    enrolled: z.number().int(),
    skipped: z.object({
      already_enrolled: z.number().int(),
      unsubscribed: z.number().int(),
      bounced: z.number().int(),
      merged_or_missing: z.number().int(),
      no_email: z.number().int(),
    }),
  })
  .openapi("EnrolResult");

export const enrollmentSchema = z
  .object({
    id: z.string(),
    sequence_id: z.string(),
    lead_id: z.string(),
    lead_email: z.string().nullable(),
    lead_name: z.string().nullable(),
    status: z.enum(["active", "paused", "finished"]),
    stop_reason: z.enum(ENROLLMENT_STOP_REASONS).nullable(),
    next_step: z.number().int(),
    next_run_at: z.string().nullable(),
    waiting_on: z.string().nullable(),
    last_sent_at: z.string().nullable(),
    thread_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("OutreachEnrollment");

export const devReplyInput = z
  .object({
    draft_id: z.string().min(1).max(64),
    text: z.string().trim().min(1).max(10_000),
    subject: z.string().max(300).optional(),
  })
  .openapi("DevInboxReply");
export const inboundResult = z
  .object({
    matched: z.boolean(),
    duplicate: z.boolean(),
    inbound_id: z.string().nullable(),
    sentiment: z.enum(["positive", "neutral", "negative", "auto_reply"]).nullable(),
    enrollment_stopped: z.boolean(),
  })
  .openapi("OutreachInboundResult");
