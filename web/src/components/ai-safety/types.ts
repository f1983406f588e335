/** Shapes of the AI safety console's API (workers/modules/ai: guardrails, holds, calls, evals). */
export const SURFACES = ["chat", "writer", "assistant", "forum", "voice", "fusion", "eval", "other"] as const;
export const ACTIONS = ["allowed", "modified", "held", "blocked"] as const;
export type SafetyAction = (typeof ACTIONS)[number];

export interface ClaimRule {
  id: string;
  kind: "price" | "legal" | "guarantee" | "custom";
  label: string;
  pattern?: string;
}
export interface Disclaimer {
  surface: "writer" | "chat" | "assistant" | "all";
  text: string;
}
export interface Guardrails {
  blocked_topics: string[];
  blocked_phrases: string[];
  disclaimers: Disclaimer[];
  claim_rules: ClaimRule[];
  on_blocked: "hold" | "block";
  daily_send_cap: number | null;
  log_retention_days: number | null;
  plan_log_retention_days?: number;
  effective_log_retention_days?: number;
  can_edit?: boolean;
  updated_at?: string | null;
}
export interface GuardrailTest {
  action: SafetyAction;
  text: string;
  rules: { rule: string; match: string }[];
}

export interface Hold {
  id: string;
  surface: string;
  ref_type: string;
  ref_id: string;
  content: string;
  rules_fired: { rule: string; match: string }[];
  status: "pending" | "approved" | "rejected";
  comment: string | null;
  decided_at: string | null;
  created_at: string;
}

export interface AiCallRow {
  id: string;
  surface?: string | null;
  operation: string;
  provider: string;
  model: string;
  status: "ok" | "error";
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost_micros?: number | null;
  redactions: number;
  rules_fired?: string[];
  action?: SafetyAction | null;
  error: string | null;
  created_at: string;
}

type Count = Record<string, number>;
export interface DaySummary {
  day: string;
  calls: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  p50_latency_ms: number;
  p95_latency_ms: number;
  redactions: number;
  by_surface: Count;
  actions: Count;
  rules_fired: Count;
  redactions_by_kind: Count;
}
export interface CallSummary {
  days: number;
  since: string;
  totals: Omit<DaySummary, "day" | "p50_latency_ms" | "p95_latency_ms">;
  daily: DaySummary[];
}

export interface EvalExpectation {
  kind: "must_cite" | "must_include" | "must_not_include" | "max_words" | "min_words" | "tone";
  value?: string | number;
}
export interface EvalCase {
  id: string;
  name: string;
  prompt: string;
  grounded: boolean;
  expectations: EvalExpectation[];
  created_at: string;
}
export interface EvalRun {
  id: string;
  provider: string;
  model: string;
  status: "running" | "done" | "failed";
  cases: number;
  passed: number;
  pass_rate: number | null;
  results: { case_id: string; pass: boolean; output: string; failures: string[]; latency_ms: number }[];
  created_at: string;
  finished_at: string | null;
}

/** 1234567 micro-dollars → "$1.23". */
export const usd = (micros: number | null | undefined) =>
  micros === null || micros === undefined ? "—" : `$${(micros / 1_000_000).toFixed(micros > 0 && micros < 10_000 ? 4 : 2)}`;
export const ACTION_TONE: Record<SafetyAction, "neutral" | "accent" | "warning" | "danger"> = {
  allowed: "neutral",
  modified: "accent",
  held: "warning",
  blocked: "danger",
};
