import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Outbound sequences, the adaptive writer and reply detection (modules/sales, issue 17;
 * docs/sales.md). Emails go out through messaging `send()` from a workspace mailbox; every draft passes
 * the AI safety rules (modules/ai guardrails) and waits for a person's approval unless the sequence
 * auto-sends.
 */

export const salesMailboxes = sqliteTable(
  "sales_mailboxes",
  {
    tenantId: tenantId(),
    id: id(), // mbx_…
    fromEmail: text("from_email").notNull(),
    fromName: text("from_name").notNull(),
    dailyLimit: integer("daily_limit").notNull().default(50),
    // Sending window in the lead's local time (their timezone, else this one): minutes after midnight.
    windowStart: integer("window_start")
      .notNull()
      .default(9 * 60),
    windowEnd: integer("window_end")
      .notNull()
      .default(17 * 60),
    sendDays: text("send_days", { mode: "json" }).$type<number[]>().notNull().default([1, 2, 3, 4, 5]), // 0 = Sunday
    timezone: text("timezone").notNull().default("UTC"),
    signature: text("signature").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("sales_mailboxes_email_uq").on(t.tenantId, t.fromEmail)],
);

/** Which leads a sequence enrols (all present conditions must hold). */
export interface EnrolFilter {
  tags?: string[];
  statuses?: string[];
  minScore?: number;
  ownerId?: string;
  q?: string;
}

export const salesSequences = sqliteTable(
  "sales_sequences",
  {
    tenantId: tenantId(),
    id: id(), // seq_…
    name: text("name").notNull(),
    status: text("status", { enum: ["draft", "active", "paused", "archived"] })
      .notNull()
      .default("draft"),
    mailboxId: text("mailbox_id"),
    autoSend: integer("auto_send", { mode: "boolean" }).notNull().default(false),
    // Open tracking: a 1×1 image in each email (outreach/opens.ts). Off: no pixel, so no opens are recorded.
    trackOpens: integer("track_opens", { mode: "boolean" }).notNull().default(true),
    enrolFilter: text("enrol_filter", { mode: "json" }).$type<EnrolFilter>().notNull().default({}),
    // Counters for lists and the salesboard (kept with the change they count).
    enrolled: integer("enrolled").notNull().default(0),
    active: integer("active").notNull().default(0),
    replied: integer("replied").notNull().default(0),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("sales_sequences_status_idx").on(t.tenantId, t.status)],
);

export const STEP_CONDITIONS = ["always", "no_reply", "no_open", "opened_no_reply"] as const;
export type StepCondition = (typeof STEP_CONDITIONS)[number];

export const salesSequenceSteps = sqliteTable(
  "sales_sequence_steps",
  {
    tenantId: tenantId(),
    id: id(), // sstep_…
    sequenceId: text("sequence_id").notNull(),
    position: integer("position").notNull(), // 1-based
    kind: text("kind", { enum: ["email", "task"] }).notNull(),
    delayMinutes: integer("delay_minutes").notNull().default(0), // after the previous step (or enrolment)
    condition: text("condition", { enum: STEP_CONDITIONS }).notNull().default("always"),
    taskTitle: text("task_title"), // kind = task
    createdAt: createdAt(),
  },
  (t) => [index("sales_sequence_steps_seq_idx").on(t.tenantId, t.sequenceId, t.position)],
);

/** An A/B variant of an email step; the bandit (Thompson sampling on positive replies) picks one per send. */
export const salesStepVariants = sqliteTable(
  "sales_step_variants",
  {
    tenantId: tenantId(),
    id: id(), // svar_…
    stepId: text("step_id").notNull(),
    label: text("label").notNull(), // "A", "B", …
    subject: text("subject").notNull(), // template with {{first_name}}, {{company}} …; the writer fills from it
    body: text("body").notNull(),
    instructions: text("instructions").notNull().default(""), // what the writer should emphasise
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    sent: integer("sent").notNull().default(0),
    replies: integer("replies").notNull().default(0),
    positiveReplies: integer("positive_replies").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("sales_step_variants_step_idx").on(t.tenantId, t.stepId)],
);

export const ENROLLMENT_STOP_REASONS = ["replied", "bounced", "unsubscribed", "manual", "completed", "lead_deleted"] as const;

export const salesEnrollments = sqliteTable(
  "sales_enrollments",
  {
    tenantId: tenantId(),
    id: id(), // enr_…
    sequenceId: text("sequence_id").notNull(),
    leadId: text("lead_id").notNull(),
    status: text("status", { enum: ["active", "paused", "finished"] })
      .notNull()
      .default("active"),
    stopReason: text("stop_reason", { enum: ENROLLMENT_STOP_REASONS }),
    // The step whose draft/task is due next (1-based), and when it is due (already inside the sending window).
    nextStep: integer("next_step").notNull().default(1),
    nextRunAt: timestamp("next_run_at"),
    lastSentAt: timestamp("last_sent_at"),
    // RFC 5322 Message-ID of the first email: replies' In-Reply-To/References match it (the thread).
    threadId: text("thread_id"),
    // What the current step waits for before the enrolment moves on: "draft:drf_…" (approval and send)
    // or "task:tsk_…" (a manual step's task being done); null when the step has not run yet.
    waitingOn: text("waiting_on"),
    enrolledBy: text("enrolled_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sales_enrollments_lead_uq").on(t.tenantId, t.sequenceId, t.leadId),
    index("sales_enrollments_due_idx").on(t.status, t.nextRunAt),
    index("sales_enrollments_lead_idx").on(t.tenantId, t.leadId),
  ],
);

export const DRAFT_STATUSES = ["pending", "held", "approved", "scheduled", "sent", "rejected", "failed", "cancelled"] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

/** Which knowledge the writer used (shown beside the draft). */
export interface DraftSource {
  sourceId: string;
  title: string;
  chunkId: string;
}

export const salesDrafts = sqliteTable(
  "sales_drafts",
  {
    tenantId: tenantId(),
    id: id(), // drf_…
    enrollmentId: text("enrollment_id").notNull(),
    sequenceId: text("sequence_id").notNull(),
    stepId: text("step_id").notNull(),
    variantId: text("variant_id").notNull(),
    leadId: text("lead_id").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    sources: text("sources", { mode: "json" }).$type<DraftSource[]>().notNull().default([]),
    writer: text("writer").notNull(), // provider/model that wrote it, or "local-writer-v1"
    status: text("status", { enum: DRAFT_STATUSES }).notNull(),
    heldFor: text("held_for", { mode: "json" }).$type<string[]>().notNull().default([]), // safety rules that held it
    editedBy: text("edited_by"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at"),
    rejectReason: text("reject_reason"), // why a person rejected it (the queue shows it)
    sendAt: timestamp("send_at"), // inside the lead's sending window
    sentAt: timestamp("sent_at"),
    messageId: text("message_id"), // messaging outbox id
    outcome: text("outcome", { enum: ["replied", "positive", "negative", "bounced", "unsubscribed"] }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("sales_drafts_status_idx").on(t.tenantId, t.status, t.createdAt),
    index("sales_drafts_enrollment_idx").on(t.tenantId, t.enrollmentId),
    index("sales_drafts_send_idx").on(t.status, t.sendAt),
  ],
);

/** Inbound email (a reply), from the provider's inbound webhook or the local dev inbox. Unique per provider message: a replay changes nothing. */
export const salesInbound = sqliteTable(
  "sales_inbound",
  {
    tenantId: tenantId(),
    id: id(), // inb_…
    provider: text("provider").notNull(), // "mailgun" | "dev"
    providerMessageId: text("provider_message_id").notNull(),
    fromEmail: text("from_email").notNull(),
    toEmail: text("to_email").notNull(),
    subject: text("subject").notNull().default(""),
    text: text("text").notNull().default(""),
    inReplyTo: text("in_reply_to"),
    leadId: text("lead_id"),
    enrollmentId: text("enrollment_id"),
    draftId: text("draft_id"),
    sentiment: text("sentiment", { enum: ["positive", "neutral", "negative", "auto_reply"] }),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    uniqueIndex("sales_inbound_message_uq").on(t.tenantId, t.provider, t.providerMessageId),
    index("sales_inbound_lead_idx").on(t.tenantId, t.leadId, t.receivedAt),
  ],
);

/** The writer's voice for a workspace. */
export const salesWriterSettings = sqliteTable("sales_writer_settings", {
  tenantId: tenantId().primaryKey(),
  tone: text("tone", { enum: ["friendly", "formal", "direct", "playful"] })
    .notNull()
    .default("friendly"),
  persona: text("persona").notNull().default(""), // who is writing, what the company sells
  valueProps: text("value_props", { mode: "json" }).$type<string[]>().notNull().default([]),
  maxWords: integer("max_words").notNull().default(120),
  useKnowledge: integer("use_knowledge", { mode: "boolean" }).notNull().default(true),
  collection: text("collection"), // knowledge collection to ground on (null: all)
  updatedAt: updatedAt(),
});
