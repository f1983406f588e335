import type { AiCall, AiCallSummary, AiEvalCase, AiEvalRun, AiGuardrails, AiGuardrailsTestResult, AiHold } from "../../lib/api-types";
/** Shapes of the AI safety console's API (workers/modules/ai: guardrails, holds, calls, evals). */
export const SURFACES = ["chat", "writer", "assistant", "forum", "voice", "fusion", "eval", "other"] as const;
export const ACTIONS = ["allowed", "modified", "held", "blocked"] as const;
export type SafetyAction = (typeof ACTIONS)[number];

// The API's shapes come from the generated OpenAPI types (web/src/lib/api-types.ts), never copied by hand.
export type Guardrails = AiGuardrails;
export type ClaimRule = Guardrails["claim_rules"][number];
export type Disclaimer = Guardrails["disclaimers"][number];
export type GuardrailTest = AiGuardrailsTestResult;
export type Hold = AiHold;
export type AiCallRow = AiCall;
export type CallSummary = AiCallSummary;
export type DaySummary = CallSummary["daily"][number];
export type EvalCase = AiEvalCase;
export type EvalExpectation = EvalCase["expectations"][number];
export type EvalRun = AiEvalRun;

export const usd = (micros: number | null | undefined) =>
  micros === null || micros === undefined ? "—" : `$${(micros / 1_000_000).toFixed(micros > 0 && micros < 10_000 ? 4 : 2)}`;
export const ACTION_TONE: Record<SafetyAction, "neutral" | "accent" | "warning" | "danger"> = {
  allowed: "neutral",
  modified: "accent",
  held: "warning",
  blocked: "danger",
};
