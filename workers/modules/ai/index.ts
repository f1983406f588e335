/**
 * AI module — public service API for other modules (chat widget, sales AI, assistant).
 *
 *   answerQuestion({ env, tenantId, question, history?, collection?, db? }, deps?)
 *     → AsyncGenerator<GatewayEvent>: grounded answer from the tenant's knowledge base.
 *       { type: "token", text }                       — answer text, in order
 *       { type: "citation", n, chunk_id, source_id, source_title, heading_path, url }
 *                                                     — for each [n] the answer cites, after the text
 *       { type: "done", call_id, provider, model, usage, fallback, grounded, local }
 *       { type: "error", code, message, call_id }     — quota_exceeded | providers_unavailable | stream_interrupted
 *     "I don't know" (grounded: false) when retrieval finds nothing above RELEVANCE_THRESHOLD;
 *     no model is called then. `toSse(events)` frames the events as text/event-stream.
 *
 *   stream(req, deps?) / complete(req, deps?) — the gateway: the tenant's provider chain
 *     (OpenAI, Anthropic, Workers AI, local) with timeouts, retries with backoff, fall-through,
 *     circuit breaker, PII redaction, ai_tokens metering and the ai_calls log.
 *
 *   retrieve(...) — re-exported from the knowledge module (hybrid search).
 *
 *   checkOutput(env, tenantId, surface, text, { callId? }) → { action, text, rules } — the safety
 *     console's guardrails on an AI output; holdForApproval(db, tenantId, h) → { holdId };
 *     dailySendCapRemaining(env, tenantId, sentToday) → number | null; registerHoldHandler(…).
 */
export { answerQuestion, toSse, RELEVANCE_THRESHOLD, citationsIn } from "./answer";
export { stream, streamAgent, complete, type GatewayRequest, type GatewayDeps } from "./gateway";
export type { GatewayEvent, AgentEvent, ChatMessage, Citation, ToolSpec, ToolCall, ToolResult } from "./types";
// Tool calling for the assistant (issue 18): the chain that can call tools; `stream({ tools })` does the rest.
export { hostedToolChain, type AgentMessage } from "./tool-chain";
export { retrieve } from "../knowledge";
export { registerHoldHandler, holdHandlerFor, type HoldHandler } from "./holds-registry";
// The AI safety console (issue 17; docs/ai-safety.md): the check every AI output goes through,
// the approval queue for what it holds, and the workspace's daily cap on AI-written email.
export { checkOutput, dailySendCapRemaining, recordDecision } from "./guardrails.service";
export { holdForApproval } from "./holds.service";
export { withdrawPendingHolds } from "./holds-withdraw";
export type { Surface, SafetyAction, SafetyDecision, FiredRule } from "./guardrails";
// Wizards (modules/wizards, AI agent configuration): the assistant persona (tone) in the AI settings.
export { getAiSettings, putAiSettings } from "./settings.service";
