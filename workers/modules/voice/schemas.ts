import { z } from "@hono/zod-openapi";
import { CALL_STATUSES, type ProposalPayload } from "../../../schema/voice";
import { pageQuerySchema } from "../../platform/pagination";
import { iso } from "../../platform/request";
import type { LeadLabel } from "../sales";
import type { CallRow, ProposalRow } from "./calls.service";

/** The voice API's shapes (snake_case JSON, ISO times) and their serialisers. */

const callStatus = z.enum(CALL_STATUSES);

export const segmentSchema = z
  .object({ speaker: z.string().nullable(), start_ms: z.number().int().nullable(), end_ms: z.number().int().nullable(), text: z.string() })
  .openapi("VoiceTranscriptSegment");

const payloadSchema = z
  .object({
    title: z.string().nullable(),
    owner_guess: z.string().nullable(),
    owner_id: z.string().nullable(),
    due_at: z.string().nullable(),
    due_text: z.string().nullable(),
    body: z.string().nullable(),
    priority: z.enum(["low", "normal", "high", "urgent"]).nullable(),
    subject: z.string().nullable(),
    quote: z.string().nullable(),
    safety: z.object({ action: z.string(), rules: z.array(z.string()) }).nullable(),
  })
  .openapi("VoiceProposalContent");

export const proposalSchema = z
  .object({
    id: z.string(),
    call_id: z.string(),
    kind: z.enum(["task", "ticket", "email"]),
    status: z.enum(["proposed", "accepting", "accepted", "dismissed"]),
    proposed: payloadSchema,
    accepted: payloadSchema.nullable(),
    created: z
      .object({ type: z.string(), id: z.string().nullable() })
      .nullable()
      .openapi({ description: "What accepting created: a sales task, a ticket or the outbox message of the email" }),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("VoiceCallProposal");

const leadRef = z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }).nullable();

export const callSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    lead_id: z.string().nullable(),
    lead: leadRef,
    deal_id: z.string().nullable(),
    source: z.enum(["recording", "transcript"]),
    format: z.enum(["vtt", "srt", "text", "audio"]),
    status: callStatus,
    failure_reason: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    summary: z.string().nullable(),
    analysis_local: z.boolean(),
    open_proposals: z.number().int(),
    occurred_at: z.string(),
    created_at: z.string(),
  })
  .openapi("VoiceCallSummary");

export const callSchema = callSummarySchema
  .extend({
    speech_provider: z.string().nullable(),
    analysed_by: z
      .string()
      .nullable()
      .openapi({ description: '"local/extractor" when the offline extractor answered (no AI model configured)' }),
    action_items: z.array(z.string()),
    segments: z.array(segmentSchema),
    recording_file_id: z.string().nullable(),
    proposals: z.array(proposalSchema),
  })
  .openapi("VoiceCall");

export const speechStatusSchema = z
  .object({
    provider: z.enum(["workers-ai", "openai", "local"]),
    accepts_recordings: z.boolean(),
    note: z.string().nullable(),
    transcript_formats: z.array(z.string()),
    max_recording_bytes: z.number().int(),
  })
  .openapi("VoiceSpeechStatus");

export const callListQuery = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional(),
  status: callStatus.optional(),
  lead_id: z.string().max(64).optional(),
});

const linkFields = {
  title: z.string().trim().max(200).optional(),
  lead_id: z.string().max(64).nullish(),
  deal_id: z.string().max(64).nullish(),
  occurred_at: z.iso.datetime({ offset: true }).optional().openapi({ description: "When the call happened (default: now)" }),
};

export const transcriptInput = z
  .object({
    ...linkFields,
    // Required; optional in the schema only because the JSON validator also runs on multipart requests (it sees {}).
    transcript: z.string().min(1).max(500_000).optional().openapi({ description: "The transcript text (required in JSON)" }),
    format: z.enum(["vtt", "srt", "text"]).optional().openapi({ description: "Detected from the text when left out" }),
  })
  .openapi("VoiceTranscriptInput");

export const multipartInput = z.object({
  file: z
    .any()
    .optional()
    .openapi({ type: "string", format: "binary", description: "A recording (audio) or a transcript file (.vtt, .srt, .txt)" }),
  transcript: z.string().optional().openapi({ description: "A transcript pasted as text (instead of a file)" }),
  format: z.enum(["vtt", "srt", "text"]).optional(),
  title: z.string().optional(),
  lead_id: z.string().optional(),
  deal_id: z.string().optional(),
  occurred_at: z.string().optional(),
});

export const callPatchInput = z.object({ ...linkFields, title: z.string().trim().min(1).max(200).optional() }).openapi("VoiceCallPatch");

export const acceptInput = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    owner_id: z.string().max(64).nullish(),
    due_at: z.iso.datetime({ offset: true }).nullish(),
    body: z.string().trim().min(1).max(10_000).optional(),
    subject: z.string().trim().min(1).max(300).optional(),
    priority: z.enum(["low", "normal", "high", "urgent"]).optional(),
  })
  .openapi("VoiceProposalAccept");

const payloadOut = (p: ProposalPayload) => ({
  title: p.title ?? null,
  owner_guess: p.ownerGuess ?? null,
  owner_id: p.ownerId ?? null,
  due_at: iso(p.dueAt ?? null),
  due_text: p.dueText ?? null,
  body: p.body ?? null,
  priority: p.priority ?? null,
  subject: p.subject ?? null,
  quote: p.quote ?? null,
  safety: p.safety ?? null,
});

export const serializeProposal = (p: ProposalRow) => ({
  id: p.id,
  call_id: p.callId,
  kind: p.kind,
  status: p.status,
  proposed: payloadOut(p.proposed),
  accepted: p.accepted ? payloadOut(p.accepted) : null,
  created: p.createdType ? { type: p.createdType, id: p.createdId } : null,
  decided_by: p.decidedBy,
  decided_at: iso(p.decidedAt),
  created_at: new Date(p.createdAt).toISOString(),
});

type SummaryRow = Pick<
  CallRow,
  | "id"
  | "title"
  | "leadId"
  | "dealId"
  | "source"
  | "format"
  | "status"
  | "failureReason"
  | "durationMs"
  | "summary"
  | "analysisLocal"
  | "occurredAt"
  | "createdAt"
>;

export const serializeCallSummary = (c: SummaryRow, lead: LeadLabel | null, open: number) => ({
  id: c.id,
  title: c.title,
  lead_id: c.leadId,
  lead: lead ? { id: lead.id, name: lead.name, email: lead.email } : null,
  deal_id: c.dealId,
  source: c.source,
  format: c.format,
  status: c.status,
  failure_reason: c.failureReason,
  duration_ms: c.durationMs,
  summary: c.summary,
  analysis_local: c.analysisLocal,
  open_proposals: open,
  occurred_at: new Date(c.occurredAt).toISOString(),
  created_at: new Date(c.createdAt).toISOString(),
});

export const serializeCall = (c: CallRow, lead: LeadLabel | null, proposals: ProposalRow[]) => ({
  ...serializeCallSummary(c, lead, proposals.filter((p) => p.status === "proposed").length),
  speech_provider: c.speechProvider,
  analysed_by: c.analysedBy,
  action_items: c.actionItems,
  segments: c.segments.map((s) => ({ speaker: s.speaker, start_ms: s.startMs, end_ms: s.endMs, text: s.text })),
  recording_file_id: c.fileId,
  proposals: proposals.map(serializeProposal),
});
