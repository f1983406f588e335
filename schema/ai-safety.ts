import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * The AI safety console (modules/ai guardrails, issue 17; docs/ai-safety.md): a workspace's rules on
 * every AI output (writer, chat, assistant), the approval queue for what they hold, and a model
 * evaluation harness. The call log itself is `ai_calls` (schema/ai.ts).
 */

/** A claim that needs a person's approval before it goes out (prices, legal terms, custom patterns). */
export interface ClaimRule {
  id: string;
  kind: "price" | "legal" | "guarantee" | "custom";
  label: string;
  pattern?: string; // custom kind: a case-insensitive phrase list separated by "|"
}
export interface Disclaimer {
  surface: "writer" | "chat" | "assistant" | "all";
  text: string;
}

export const aiGuardrails = sqliteTable("ai_guardrails", {
  tenantId: tenantId().primaryKey(),
  blockedTopics: text("blocked_topics", { mode: "json" }).$type<string[]>().notNull().default([]),
  blockedPhrases: text("blocked_phrases", { mode: "json" }).$type<string[]>().notNull().default([]),
  disclaimers: text("disclaimers", { mode: "json" }).$type<Disclaimer[]>().notNull().default([]),
  claimRules: text("claim_rules", { mode: "json" }).$type<ClaimRule[]>().notNull().default([]),
  // What a blocked topic/phrase does: hold for approval (writer/assistant) or refuse (chat answers live).
  onBlocked: text("on_blocked", { enum: ["hold", "block"] })
    .notNull()
    .default("hold"),
  dailySendCap: integer("daily_send_cap"), // AI-written emails per day across the workspace (null: no cap)
  logRetentionDays: integer("log_retention_days"), // null: the plan's
  updatedBy: text("updated_by"),
  updatedAt: updatedAt(),
});

/** What a rule held, waiting for a person: approving releases it to its surface (e.g. the draft is sent). */
export const aiHolds = sqliteTable(
  "ai_holds",
  {
    tenantId: tenantId(),
    id: id(), // hold_…
    surface: text("surface").notNull(), // "writer" | "assistant" | …
    refType: text("ref_type").notNull(), // "sales_draft" | …
    refId: text("ref_id").notNull(),
    content: text("content").notNull(),
    rulesFired: text("rules_fired", { mode: "json" }).$type<{ rule: string; match: string }[]>().notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected"] })
      .notNull()
      .default("pending"),
    comment: text("comment"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [index("ai_holds_status_idx").on(t.tenantId, t.status, t.createdAt), index("ai_holds_ref_idx").on(t.tenantId, t.refType, t.refId)],
);

/** Properties an evaluated answer must have. */
export interface EvalExpectation {
  kind: "must_cite" | "must_include" | "must_not_include" | "max_words" | "min_words" | "tone";
  value?: string | number;
}

export const aiEvalCases = sqliteTable(
  "ai_eval_cases",
  {
    tenantId: tenantId(),
    id: id(), // evc_…
    name: text("name").notNull(),
    prompt: text("prompt").notNull(),
    grounded: integer("grounded", { mode: "boolean" }).notNull().default(false), // answer from the knowledge base
    expectations: text("expectations", { mode: "json" }).$type<EvalExpectation[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("ai_eval_cases_created_idx").on(t.tenantId, t.createdAt)],
);

export interface EvalCaseResult {
  caseId: string;
  pass: boolean;
  output: string;
  failures: string[];
  latencyMs: number;
}
export const aiEvalRuns = sqliteTable(
  "ai_eval_runs",
  {
    tenantId: tenantId(),
    id: id(), // evr_…
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
    cases: integer("cases").notNull().default(0),
    passed: integer("passed").notNull().default(0),
    passRate: real("pass_rate"),
    results: text("results", { mode: "json" }).$type<EvalCaseResult[]>().notNull().default([]),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [index("ai_eval_runs_created_idx").on(t.tenantId, t.createdAt)],
);
