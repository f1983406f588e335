import { z } from "@hono/zod-openapi";
import { FUSION_KINDS, FUSION_RUN_STATUSES, FUSION_STATUSES, type fusionRuns } from "../../../schema/fusion";
import { pageQuerySchema } from "../../platform/pagination";
import { iso } from "../../platform/request";
import type { DocRow } from "./documents.service";

export const fusionSourceSchema = z
  .object({
    type: z.enum(["transcript", "thread"]),
    id: z.string(),
    title: z.string(),
    lead_id: z.string().nullable(),
    occurred_at: z.string(),
    quote: z.string(),
    role: z.enum(["evidence", "answer"]).openapi({ description: "evidence: what was heard; answer: what the seller said back" }),
  })
  .openapi("FusionSource");

export const fusionDocumentSchema = z
  .object({
    id: z.string(),
    kind: z.enum(FUSION_KINDS),
    title: z.string(),
    body: z.string().openapi({ description: "Markdown" }),
    status: z.enum(FUSION_STATUSES),
    ai_generated: z.boolean().openapi({ description: "true until a person edits the text" }),
    generator: z.string().openapi({ description: "local-fusion-v1 (offline, from the quotes) or provider/model" }),
    safety_action: z.string().nullable(),
    confidence: z.number(),
    confidence_basis: z.object({
      sources: z.number().int(),
      transcripts: z.number().int(),
      threads: z.number().int(),
      agreement: z.number(),
      note: z.string(),
    }),
    sources: z.array(fusionSourceSchema),
    knowledge_source_id: z.string().nullable(),
    view_count: z.number().int().openapi({ description: "Openings in the dashboard; knowledge retrieval hits are not counted" }),
    edited_by: z.string().nullable(),
    edited_at: z.string().nullable(),
    reviewed_by: z.string().nullable(),
    reviewed_at: z.string().nullable(),
    published_by: z.string().nullable(),
    published_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("FusionDocument");

export const serializeDocument = (d: DocRow) => ({
  id: d.id,
  kind: d.kind,
  title: d.title,
  body: d.body,
  status: d.status,
  ai_generated: d.aiGenerated,
  generator: d.generator,
  safety_action: d.safetyAction,
  confidence: d.confidence,
  confidence_basis: d.confidenceBasis,
  sources: d.sources.map((s) => ({
    type: s.type,
    id: s.id,
    title: s.title,
    lead_id: s.leadId,
    occurred_at: iso(s.occurredAt) ?? "",
    quote: s.quote,
    role: s.role,
  })),
  knowledge_source_id: d.knowledgeSourceId,
  view_count: d.viewCount,
  edited_by: d.editedBy,
  edited_at: iso(d.editedAt),
  reviewed_by: d.reviewedBy,
  reviewed_at: iso(d.reviewedAt),
  published_by: d.publishedBy,
  published_at: iso(d.publishedAt),
  created_at: iso(d.createdAt) ?? "",
  updated_at: iso(d.updatedAt) ?? "",
});

export const documentListQuery = pageQuerySchema.extend({
  kind: z.enum(FUSION_KINDS).optional(),
  status: z.enum(FUSION_STATUSES).optional(),
  q: z.string().trim().max(200).optional().openapi({ description: "Words in the title or body" }),
});

export const documentPatch = z
  .object({
    title: z.string().trim().min(3, "Write a title").max(300).optional(),
    body: z.string().trim().min(1, "Write the document").max(50_000).optional(),
  })
  .refine((p) => p.title !== undefined || p.body !== undefined, { message: "Send a title or a body", path: ["body"] })
  .openapi("FusionDocumentPatch");

const ids = z.array(z.string().min(1).max(64)).max(500);
export const runInput = z
  .object({
    transcripts: ids
      .optional()
      .openapi({ description: "Call ids (voice); with threads: only these sources. Neither: what is new since the last run" }),
    threads: ids.optional().openapi({ description: "Email thread ids (enrolments with replies)" }),
  })
  .openapi("FusionRunInput");

export const fusionRunSchema = z
  .object({
    id: z.string(),
    status: z.enum(FUSION_RUN_STATUSES),
    scope: z.enum(["new", "chosen"]),
    since: z.string().nullable(),
    progress: z.number().int(),
    stage: z.string(),
    transcripts: z.number().int(),
    threads: z.number().int(),
    transcripts_available: z.boolean(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    kept: z.number().int().openapi({ description: "Documents a person edited, reviewed or published: left as they are" }),
    generator: z.string().nullable(),
    error: z.string().nullable(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("FusionRun");

export const serializeRun = (r: typeof fusionRuns.$inferSelect) => ({
  id: r.id,
  status: r.status,
  scope: r.scope,
  since: iso(r.since),
  progress: r.progress,
  stage: r.stage,
  transcripts: r.transcripts,
  threads: r.threads,
  transcripts_available: r.transcriptsAvailable,
  created: r.created,
  updated: r.updated,
  unchanged: r.unchanged,
  kept: r.kept,
  generator: r.generator,
  error: r.error,
  started_at: iso(r.startedAt),
  finished_at: iso(r.finishedAt),
  created_at: iso(r.createdAt) ?? "",
});
