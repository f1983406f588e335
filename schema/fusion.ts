import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Knowledge fusion (modules/fusion, issue 17; docs/sales.md): call transcripts (voice) and email
 * threads (outreach) become battle cards, playbooks, objection handlers and FAQs — drafts a person
 * reviews and publishes into the knowledge base's `sales` collection.
 */

export const FUSION_KINDS = ["battle_card", "playbook", "objection_handler", "faq"] as const;
export type FusionKind = (typeof FUSION_KINDS)[number];
export const FUSION_STATUSES = ["draft", "reviewed", "published"] as const;
export type FusionStatus = (typeof FUSION_STATUSES)[number];

/** One piece of evidence: where it came from and the passage quoted. */
export interface FusionSourceRef {
  type: "transcript" | "thread";
  id: string; // the transcript's or the thread's id
  title: string;
  leadId: string | null;
  occurredAt: number;
  quote: string;
  role: "evidence" | "answer"; // what was heard (question, objection, mention) / what was said back
}

/** Why the confidence is what it is (shown beside the score). */
export interface FusionConfidenceBasis {
  sources: number; // independent sources (distinct transcripts/threads)
  transcripts: number;
  threads: number;
  agreement: number; // 0–1: share of the answers that agree with the one chosen
  note: string;
}

export const fusionDocuments = sqliteTable(
  "fusion_documents",
  {
    tenantId: tenantId(),
    id: id(), // kdoc_…
    kind: text("kind", { enum: FUSION_KINDS }).notNull(),
    // What the document is about, normalised ("battle_card:acme crm", "faq:<terms>"): a second run with the
    // same evidence updates or skips the document with this key instead of writing a copy.
    topicKey: text("topic_key").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(), // Markdown
    sources: text("sources", { mode: "json" }).$type<FusionSourceRef[]>().notNull().default([]),
    confidence: real("confidence").notNull().default(0),
    confidenceBasis: text("confidence_basis", { mode: "json" }).$type<FusionConfidenceBasis>().notNull(),
    aiGenerated: integer("ai_generated", { mode: "boolean" }).notNull().default(true), // false once a person edits it
    generator: text("generator").notNull(), // "local-fusion-v1" or provider/model
    safetyAction: text("safety_action"), // the guardrails' decision on the generated text (null: not checked)
    status: text("status", { enum: FUSION_STATUSES }).notNull().default("draft"),
    knowledgeSourceId: text("knowledge_source_id"), // the knowledge source while published
    viewCount: integer("view_count").notNull().default(0), // opened in the dashboard
    runId: text("run_id"), // the run that last wrote it
    editedBy: text("edited_by"),
    editedAt: timestamp("edited_at"),
    reviewedBy: text("reviewed_by"),
    reviewedAt: timestamp("reviewed_at"),
    publishedBy: text("published_by"),
    publishedAt: timestamp("published_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("fusion_documents_topic_uq").on(t.tenantId, t.kind, t.topicKey),
    index("fusion_documents_list_idx").on(t.tenantId, t.createdAt),
    index("fusion_documents_status_idx").on(t.tenantId, t.status, t.createdAt),
  ],
);

export const FUSION_RUN_STATUSES = ["queued", "running", "done", "failed"] as const;

export const fusionRuns = sqliteTable(
  "fusion_runs",
  {
    tenantId: tenantId(),
    id: id(), // frun_…
    status: text("status", { enum: FUSION_RUN_STATUSES }).notNull().default("queued"),
    // "new": sources since the last finished run; "chosen": the transcript/thread ids given.
    scope: text("scope", { enum: ["new", "chosen"] }).notNull(),
    since: timestamp("since"), // scope "new": sources after this time
    chosen: text("chosen", { mode: "json" }).$type<{ transcripts: string[]; threads: string[] }>(),
    progress: integer("progress").notNull().default(0), // 0–100
    stage: text("stage").notNull().default("queued"), // what it is doing, for the progress bar
    transcripts: integer("transcripts").notNull().default(0),
    threads: integer("threads").notNull().default(0),
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    kept: integer("kept").notNull().default(0), // edited, reviewed or published by a person: left alone
    generator: text("generator"),
    transcriptsAvailable: integer("transcripts_available", { mode: "boolean" }).notNull().default(true),
    latestSourceAt: timestamp("latest_source_at"), // the next "new" run starts after this
    error: text("error"),
    createdBy: text("created_by"),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
    createdAt: createdAt(),
  },
  (t) => [index("fusion_runs_list_idx").on(t.tenantId, t.createdAt)],
);
