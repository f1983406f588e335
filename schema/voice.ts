import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Voice-to-action (modules/voice, issue 17; docs/sales.md): a sales call — a recording (kept by
 * modules/files) transcribed by a speech adapter, or an uploaded transcript — its segments, the
 * AI's analysis (summary, action items) and the proposals a person accepts or dismisses before
 * anything is created (a sales task, a ticket, an email to the lead).
 */

export const CALL_STATUSES = ["pending", "transcribed", "analysed", "failed"] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** One transcript segment; times in milliseconds from the start of the call (null when the format has none). */
export interface TranscriptSegment {
  speaker: string | null;
  startMs: number | null;
  endMs: number | null;
  text: string;
}

export const salesCalls = sqliteTable(
  "sales_calls",
  {
    tenantId: tenantId(),
    id: id(), // call_…
    title: text("title").notNull(),
    leadId: text("lead_id"),
    dealId: text("deal_id"),
    source: text("source", { enum: ["recording", "transcript"] }).notNull(),
    fileId: text("file_id"), // the recording (modules/files)
    format: text("format", { enum: ["vtt", "srt", "text", "audio"] }).notNull(),
    status: text("status", { enum: CALL_STATUSES }).notNull(),
    failureReason: text("failure_reason"),
    speechProvider: text("speech_provider"), // "workers-ai" | "openai" | "upload" (a transcript)
    segments: text("segments", { mode: "json" }).$type<TranscriptSegment[]>().notNull().default([]),
    // "Speaker: text" lines, one per segment — what fusion, search and the model read.
    transcriptText: text("transcript_text").notNull().default(""),
    durationMs: integer("duration_ms"),
    summary: text("summary"),
    actionItems: text("action_items", { mode: "json" }).$type<string[]>().notNull().default([]),
    // Who analysed it: the gateway's provider/model, `local` when the offline extractor answered.
    analysedBy: text("analysed_by"),
    analysisLocal: integer("analysis_local", { mode: "boolean" }).notNull().default(false),
    aiCallId: text("ai_call_id"),
    activityId: text("activity_id"), // the call on the lead's timeline
    occurredAt: integer("occurred_at").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("sales_calls_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("sales_calls_status_idx").on(t.tenantId, t.status, t.createdAt),
    index("sales_calls_lead_idx").on(t.tenantId, t.leadId, t.occurredAt),
    index("sales_calls_occurred_idx").on(t.tenantId, t.occurredAt),
  ],
);

export const PROPOSAL_KINDS = ["task", "ticket", "email"] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];
export const PROPOSAL_STATUSES = ["proposed", "accepting", "accepted", "dismissed"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** What the AI proposed (and, once edited, what a person changed it to). Fields by kind. */
export interface ProposalPayload {
  title?: string; // task, ticket
  ownerGuess?: string | null; // task: a name from the call ("Dana")
  ownerId?: string | null; // task: the member it goes to
  dueAt?: number | null; // task
  dueText?: string | null; // task: the words it came from ("by Friday")
  body?: string; // ticket: the problem in the customer's words; email: the text
  priority?: "low" | "normal" | "high" | "urgent"; // ticket
  subject?: string; // email
  quote?: string | null; // the transcript line it came from
  safety?: { action: string; rules: string[] } | null; // email: the safety rules' verdict on the draft
}

export const salesCallProposals = sqliteTable(
  "sales_call_proposals",
  {
    tenantId: tenantId(),
    id: id(), // prop_…
    callId: text("call_id").notNull(),
    kind: text("kind", { enum: PROPOSAL_KINDS }).notNull(),
    position: integer("position").notNull().default(0),
    status: text("status", { enum: PROPOSAL_STATUSES }).notNull().default("proposed"),
    proposed: text("proposed", { mode: "json" }).$type<ProposalPayload>().notNull(),
    // The accepted version (a person's edits applied), null until accepted.
    accepted: text("accepted", { mode: "json" }).$type<ProposalPayload>(),
    createdType: text("created_type"), // "task" | "ticket" | "message"
    createdId: text("created_id"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("sales_call_proposals_call_idx").on(t.tenantId, t.callId, t.position),
    uniqueIndex("sales_call_proposals_created_uq").on(t.tenantId, t.createdType, t.createdId),
  ],
);
