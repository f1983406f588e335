import { z } from "@hono/zod-openapi";
import { SURFACES } from "./guardrails";

/** Request and response bodies of the AI safety console (safety.routes.ts, the /ai/calls filters in routes.ts). */
const surface = z.enum(SURFACES as [string, ...string[]]);
const phrase = z.string().trim().min(1, "Empty entries are not allowed").max(200);

export const claimRuleSchema = z.object({
  id: z.string().trim().min(1).max(40),
  kind: z.enum(["price", "legal", "guarantee", "custom"]),
  label: z.string().trim().min(1).max(80),
  pattern: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .openapi({ description: "custom kind: phrases separated by `|`, matched case-insensitively on word boundaries" }),
});
export const disclaimerSchema = z.object({
  surface: z.enum(["writer", "chat", "assistant", "all"]),
  text: z.string().trim().min(1).max(500),
});

export const guardrailsBody = z
  .object({
    blocked_topics: z.array(phrase).max(200).default([]),
    blocked_phrases: z.array(phrase).max(500).default([]),
    disclaimers: z.array(disclaimerSchema).max(20).default([]),
    claim_rules: z
      .array(claimRuleSchema)
      .max(50)
      .default([])
      .superRefine((rules, ctx) => {
        rules.forEach((r, i) => {
          if (r.kind === "custom" && !r.pattern?.split("|").some((p) => p.trim()))
            ctx.addIssue({ code: "custom", path: [i, "pattern"], message: "A custom claim rule needs at least one phrase" });
        });
      }),
    on_blocked: z.enum(["hold", "block"]).default("hold"),
    daily_send_cap: z.number().int().min(0).max(1_000_000).nullable().default(null),
    log_retention_days: z.number().int().min(1).max(3650).nullable().default(null),
  })
  .openapi("AiGuardrailsInput");

export const guardrailsSchema = z
  .object({
    blocked_topics: z.array(z.string()),
    blocked_phrases: z.array(z.string()),
    disclaimers: z.array(disclaimerSchema),
    claim_rules: z.array(claimRuleSchema),
    on_blocked: z.enum(["hold", "block"]),
    daily_send_cap: z.number().int().nullable(),
    log_retention_days: z.number().int().nullable(),
    plan_log_retention_days: z.number().int(),
    effective_log_retention_days: z.number().int(),
    can_edit: z.boolean().openapi({ description: "false when the plan lacks the AI safety console (editing answers 402)" }),
    updated_at: z.string().nullable(),
  })
  .openapi("AiGuardrails");

const firedRule = z.object({ rule: z.string(), match: z.string(), snippet: z.string().optional() });

export const guardrailsTestBody = z
  .object({
    surface,
    text: z.string().min(1).max(20_000),
    guardrails: guardrailsBody.optional().openapi({ description: "Rules to try instead of the saved ones (unsaved edits)" }),
  })
  .openapi("AiGuardrailsTest");
export const guardrailsTestResult = z
  .object({
    action: z.enum(["allowed", "modified", "held", "blocked"]),
    text: z.string(),
    rules: z.array(firedRule),
  })
  .openapi("AiGuardrailsTestResult");

export const holdSchema = z
  .object({
    id: z.string(),
    surface: z.string(),
    ref_type: z.string(),
    ref_id: z.string(),
    content: z.string(),
    rules_fired: z.array(z.object({ rule: z.string(), match: z.string() })),
    status: z.enum(["pending", "approved", "rejected"]),
    comment: z.string().nullable(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("AiHold");
export const holdsQuery = z.object({
  status: z.enum(["pending", "approved", "rejected"]).optional(),
  ref_type: z.string().max(40).optional(),
});
export const decideBody = z.object({ comment: z.string().trim().max(2000).optional() }).openapi("AiHoldDecision");

/** A day ("2026-12-07", the whole UTC day) or an instant (ISO 8601). */
const when = z
  .string()
  .max(40)
  .refine((s) => Number.isFinite(Date.parse(s)), "Use a date (YYYY-MM-DD) or an ISO 8601 time");
export const callFiltersQuery = z.object({
  surface: surface.optional(),
  provider: z.string().max(40).optional(),
  model: z.string().max(200).optional(),
  status: z.enum(["ok", "error"]).optional(),
  action: z.enum(["allowed", "modified", "held", "blocked"]).optional(),
  rule: z.string().max(300).optional().openapi({ description: "A rule (`claim_price:Prices`) or a rule kind (`blocked_topic`)" }),
  from: when.optional().openapi({ description: "From this day or time (inclusive)" }),
  to: when.optional().openapi({ description: "Up to this day (inclusive) or time (exclusive)" }),
});
export type CallFiltersQuery = z.infer<typeof callFiltersQuery>;

/** Query → service filters (a date-only `to` includes that whole day). */
export function toCallFilters(q: CallFiltersQuery) {
  const dateOnly = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
  return {
    surface: q.surface,
    provider: q.provider,
    model: q.model,
    status: q.status,
    action: q.action,
    rule: q.rule,
    from: q.from ? Date.parse(q.from) : undefined,
    to: q.to ? Date.parse(q.to) + (dateOnly(q.to) ? 86_400_000 : 0) : undefined,
  };
}

export const callSchema = z
  .object({
    id: z.string(),
    operation: z.string(),
    provider: z.string(),
    model: z.string(),
    status: z.enum(["ok", "error"]),
    latency_ms: z.number().int(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    fallback: z.boolean(),
    redactions: z.number().int(),
    redaction_kinds: z.record(z.string(), z.number()),
    surface: z.string(),
    cost_micros: z.number().int().openapi({ description: "USD millionths, from the model price list (0: local or unknown model)" }),
    rules_fired: z.array(z.string()),
    action: z.enum(["allowed", "modified", "held", "blocked"]),
    attempts: z.array(z.object({ provider: z.string(), model: z.string(), outcome: z.string(), ms: z.number() })),
    error: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("AiCall");

const counts = z.record(z.string(), z.number());
const summaryNumbers = {
  calls: z.number(),
  errors: z.number(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cost_micros: z.number(),
  redactions: z.number(),
  by_surface: counts,
  actions: counts,
  rules_fired: counts,
  redactions_by_kind: counts,
};
export const callSummarySchema = z
  .object({
    days: z.number().int(),
    since: z.string(),
    totals: z.object(summaryNumbers),
    daily: z.array(z.object({ day: z.string(), ...summaryNumbers, p50_latency_ms: z.number(), p95_latency_ms: z.number() })),
  })
  .openapi("AiCallSummary");

const expectation = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("must_cite") }),
  z.object({ kind: z.literal("must_include"), value: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal("must_not_include"), value: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal("max_words"), value: z.number().int().min(1).max(5000) }),
  z.object({ kind: z.literal("min_words"), value: z.number().int().min(1).max(5000) }),
  z.object({ kind: z.literal("tone"), value: z.enum(["formal", "friendly", "neutral"]) }),
]);
export const evalCaseBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    prompt: z.string().trim().min(1).max(4000),
    grounded: z.boolean().default(false).openapi({ description: "Answer from the knowledge base (as the chat widget does)" }),
    expectations: z.array(expectation).min(1, "Add at least one expectation").max(20),
  })
  .openapi("AiEvalCaseInput");
export const evalCasePatch = evalCaseBody.partial().openapi("AiEvalCasePatch");
export const evalCaseSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prompt: z.string(),
    grounded: z.boolean(),
    expectations: z.array(z.object({ kind: z.string(), value: z.union([z.string(), z.number()]).optional() })),
    created_at: z.string(),
  })
  .openapi("AiEvalCase");
export const evalRunBody = z
  .object({ provider: z.enum(["openai", "anthropic", "workers-ai", "local"]), model: z.string().trim().min(1).max(200) })
  .openapi("AiEvalRunInput");
export const evalRunSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    model: z.string(),
    status: z.enum(["running", "done", "failed"]),
    cases: z.number().int(),
    passed: z.number().int(),
    pass_rate: z.number().nullable(),
    results: z.array(
      z.object({ case_id: z.string(), pass: z.boolean(), output: z.string(), failures: z.array(z.string()), latency_ms: z.number() }),
    ),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi("AiEvalRun");
export const evalRunsSchema = z
  .object({
    data: z.array(evalRunSchema),
    next_cursor: z.string().nullable(),
    models: z.array(
      z.object({
        provider: z.string(),
        model: z.string(),
        runs: z.number().int(),
        last_pass_rate: z.number().nullable(),
        last_run_at: z.string(),
      }),
    ),
  })
  .openapi("AiEvalRuns");
