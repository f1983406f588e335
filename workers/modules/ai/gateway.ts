import { aiCalls, type AiProvider } from "../../../schema/ai";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { checkQuota, meter, quotaExceeded } from "../billing";
import { estimateTokens } from "../knowledge";
import { openCircuits, recordFailure, recordSuccess } from "./breaker";
import type { Surface } from "./guardrails";
import { costMicros } from "./prices";
import { redactPii, type PiiKind } from "./redact";
import { getAiSettings, resolveAdapter, type AdapterDeps, type AiSettings, type ChainLink } from "./settings.service";
import {
  classify,
  ProviderError,
  type ChatMessage,
  type GatewayEvent,
  type GroundingPassage,
  type ProviderRequest,
  type ToolSpec,
  type AgentEvent,
} from "./types";

const log = createLogger({ component: "ai-gateway" });
export const MAX_RETRIES = 2;

export interface GatewayRequest {
  db: Db;
  env: Env;
  tenantId: string;
  operation: "answer" | "complete" | "stream";
  system: string;
  messages: ChatMessage[];
  grounding?: { question: string; passages: GroundingPassage[] };
  /** Overrides of the tenant's settings (tests, sales tools, model evaluations). */
  settings?: Partial<AiSettings>;
  /** Which product surface calls (stored on ai_calls.surface for the safety console); default "other". */
  surface?: Surface;
  /** Tool calling: the model may answer with `tool_call` events instead of (or after) text. */
  tools?: ToolSpec[];
}

export interface GatewayDeps extends AdapterDeps {
  sleep?: (ms: number) => Promise<void>;
  /** Base backoff; attempt n waits base·2ⁿ (+ jitter), or the provider's Retry-After (capped). */
  backoffMs?: number;
}

type Attempt = { provider: string; model: string; outcome: string; ms: number };

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Text for external providers, redacted when the tenant asked for it. */
type Redactions = { count: number; kinds: Partial<Record<PiiKind, number>> };
const NO_REDACTIONS: Redactions = { count: 0, kinds: {} };

function prepare(
  req: GatewayRequest,
  s: AiSettings,
  external: boolean,
): { system: string; messages: ChatMessage[]; redactions: Redactions } {
  if (!external || !s.redactPii) return { system: req.system, messages: req.messages, redactions: NO_REDACTIONS };
  const red: Redactions = { count: 0, kinds: {} };
  const r = (t: string) => {
    const x = redactPii(t);
    red.count += x.count;
    for (const [k, v] of Object.entries(x.kinds) as [PiiKind, number][]) red.kinds[k] = (red.kinds[k] ?? 0) + v;
    return x.text;
  };
  return {
    system: r(req.system),
    messages: req.messages.map((m) => ({
      ...m,
      content: r(m.content),
      ...(m.toolResults ? { toolResults: m.toolResults.map((t) => ({ ...t, content: r(t.content) })) } : {}),
    })),
    redactions: red,
  };
}

/**
 * One streaming call through the tenant's provider chain. Per provider: skip when its circuit is
 * open or it is not configured; otherwise try, retrying 429/5xx/timeouts with exponential
 * backoff until the first token; a provider that still fails counts towards its breaker and the
 * call falls through to the next one. After the first token there is no fall-through (text
 * cannot be taken back): a failure then ends the stream with an `error` event. Every call is
 * logged in `ai_calls` and hosted-provider tokens are metered as `ai_tokens`.
 */
export async function* stream(req: GatewayRequest, deps: GatewayDeps = {}): AsyncGenerator<GatewayEvent> {
  for await (const ev of run({ ...req, tools: undefined }, deps)) if (ev.type !== "tool_call") yield ev;
}

/**
 * The same call with tools offered (the assistant): besides text the model may answer with
 * `tool_call` events (OpenAI `tool_calls`, Anthropic `tool_use`), which count as output (no
 * fall-through after one). Running them is the caller's business.
 */
export function streamAgent(req: GatewayRequest, deps: GatewayDeps = {}): AsyncGenerator<AgentEvent> {
  return run(req, deps);
}

async function* run(req: GatewayRequest, deps: GatewayDeps): AsyncGenerator<AgentEvent> {
  const { db, env, tenantId } = req;
  const s = { ...(await getAiSettings(db, tenantId)), ...req.settings };
  const sleep = deps.sleep ?? defaultSleep;
  const base = deps.backoffMs ?? 250;
  const callId = newId("aic");
  const started = Date.now();
  const attempts: Attempt[] = [];
  const open = await openCircuits(db, tenantId, started);
  const estIn = estimateTokens(req.system + req.messages.map((m) => m.content).join("\n"));

  // Quota: hosted providers spend ai_tokens; refuse up front when the estimate no longer fits.
  if (s.chain.some((l) => l.provider !== "local")) {
    const q = await checkQuota(db, env.DB, tenantId, "ai_tokens", estIn + s.maxOutputTokens).catch(() => null);
    if (q && !q.allowed) {
      const onlyLocal = s.chain.filter((l) => l.provider === "local");
      if (!onlyLocal.length) {
        const p = quotaExceeded(q, estIn + s.maxOutputTokens, env.APP_URL);
        await logCall(db, {
          tenantId,
          callId,
          operation: req.operation,
          link: s.chain[0]!,
          status: "error",
          started,
          attempts,
          usage: { input: 0, output: 0 },
          fallback: false,
          redactions: NO_REDACTIONS,
          surface: req.surface,
          error: "quota_exceeded",
        });
        yield { type: "error", code: "quota_exceeded", message: p.detail ?? p.title, call_id: callId };
        return;
      }
      s.chain = onlyLocal; // over quota: only the free local answerer may run
      attempts.push({ provider: "*", model: "*", outcome: "quota_exceeded", ms: 0 });
    }
  }

  let lastError: ProviderError | null = null;
  for (const [i, link] of s.chain.entries()) {
    const t0 = Date.now();
    if (open.has(link.provider)) {
      attempts.push({ provider: link.provider, model: link.model, outcome: "circuit_open", ms: 0 });
      continue;
    }
    const resolved = await resolveAdapter(db, env, tenantId, link.provider, deps);
    if (!resolved) {
      attempts.push({ provider: link.provider, model: link.model, outcome: "not_configured", ms: 0 });
      continue;
    }
    const external = link.provider !== "local";
    const prepared = prepare(req, s, external);
    for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
      const ta = Date.now();
      const ctl = new AbortController();
      // Time to first token is bounded by the tenant's timeout; the whole stream by 2 minutes.
      const firstTokenTimer = setTimeout(() => ctl.abort(new Error("timeout")), s.timeoutMs);
      const hardTimer = setTimeout(() => ctl.abort(new Error("timeout")), 120_000);
      const pr: ProviderRequest = {
        model: link.model,
        system: prepared.system,
        messages: prepared.messages,
        temperature: s.temperature,
        maxTokens: s.maxOutputTokens,
        signal: ctl.signal,
        grounding: req.grounding,
        tools: req.tools,
      };
      let emitted = false;
      let usage = { input: 0, output: 0 };
      let out = "";
      try {
        for await (const ev of resolved.adapter.stream(pr)) {
          if (ev.type === "text") {
            if (!emitted) clearTimeout(firstTokenTimer);
            emitted = true;
            out += ev.text;
            yield { type: "token", text: ev.text };
          } else if (ev.type === "tool_call") {
            // A tool call is output too: after it there is no fall-through to another provider.
            if (!emitted) clearTimeout(firstTokenTimer);
            emitted = true;
            out += JSON.stringify(ev.args);
            yield ev;
          } else if (ev.type === "usage") usage = { input: ev.input, output: ev.output };
        }
        if (ctl.signal.aborted) throw new ProviderError(`${link.provider}: timed out`, null, true, null, "timeout");
        clearTimeout(firstTokenTimer);
        clearTimeout(hardTimer);
        if (!usage.input && !usage.output) usage = { input: estIn, output: estimateTokens(out) };
        attempts.push({ provider: link.provider, model: link.model, outcome: "ok", ms: Date.now() - ta });
        await recordSuccess(db, tenantId, link.provider, Date.now());
        const fallback = i > 0 || attempts.some((a) => a.outcome !== "ok" && a.provider !== "*");
        await logCall(db, {
          tenantId,
          callId,
          operation: req.operation,
          link,
          status: "ok",
          started,
          attempts,
          usage,
          fallback,
          redactions: prepared.redactions,
          surface: req.surface,
          error: null,
        });
        if (external && usage.input + usage.output > 0) {
          await meter(env, { tenantId, meter: "ai_tokens", quantity: usage.input + usage.output, eventId: callId }).catch((e) =>
            log.error("ai_meter_failed", { tenant_id: tenantId, error: String(e) }),
          );
        }
        yield {
          type: "done",
          call_id: callId,
          provider: link.provider,
          model: link.model,
          usage: { input_tokens: usage.input, output_tokens: usage.output },
          fallback,
          grounded: !!req.grounding,
          local: !external,
        };
        return;
      } catch (e) {
        clearTimeout(firstTokenTimer);
        clearTimeout(hardTimer);
        const err =
          ctl.signal.aborted && !(e instanceof ProviderError && e.status)
            ? new ProviderError(`${link.provider}: timed out after ${s.timeoutMs} ms`, null, true, null, "timeout")
            : classify(e, link.provider);
        lastError = err;
        attempts.push({ provider: link.provider, model: link.model, outcome: err.code, ms: Date.now() - ta });
        if (emitted) {
          await recordFailure(db, tenantId, link.provider, err.message, Date.now());
          await logCall(db, {
            tenantId,
            callId,
            operation: req.operation,
            link,
            status: "error",
            started,
            attempts,
            usage,
            fallback: i > 0,
            redactions: prepared.redactions,
            surface: req.surface,
            error: err.message,
          });
          yield { type: "error", code: "stream_interrupted", message: `The answer was interrupted: ${err.message}`, call_id: callId };
          return;
        }
        if (err.retryable && attempt < MAX_RETRIES) {
          const wait = Math.min(5_000, err.retryAfterMs ?? base * 2 ** attempt + Math.random() * base);
          await sleep(wait);
          continue;
        }
        await recordFailure(db, tenantId, link.provider, err.message, Date.now());
        log.warn("ai_provider_failed", {
          tenant_id: tenantId,
          provider: link.provider,
          code: err.code,
          attempts: attempt + 1,
          ms: Date.now() - t0,
        });
        break;
      }
    }
  }
  const last = s.chain[s.chain.length - 1]!;
  const message = lastError
    ? `No AI provider could answer (${lastError.message}).`
    : "No AI provider is available: every provider in the chain is unconfigured or paused after failures.";
  await logCall(db, {
    tenantId,
    callId,
    operation: req.operation,
    link: last,
    status: "error",
    started,
    attempts,
    usage: { input: 0, output: 0 },
    fallback: s.chain.length > 1,
    redactions: NO_REDACTIONS,
    surface: req.surface,
    error: message,
  });
  yield { type: "error", code: "providers_unavailable", message, call_id: callId };
}

/** Non-streaming: the whole text, or a 502/402 Problem. */
export async function complete(req: GatewayRequest, deps: GatewayDeps = {}) {
  let text = "";
  for await (const ev of stream({ ...req, operation: req.operation === "stream" ? "complete" : req.operation }, deps)) {
    if (ev.type === "token") text += ev.text;
    else if (ev.type === "error")
      throw new Problem(
        ev.code === "quota_exceeded" ? 402 : 502,
        ev.code === "quota_exceeded" ? "quota-exceeded" : "ai-unavailable",
        ev.code === "quota_exceeded" ? "Plan limit reached" : "AI unavailable",
        ev.message,
        { call_id: ev.call_id },
      );
    else if (ev.type === "done")
      return { text, provider: ev.provider, model: ev.model, usage: ev.usage, fallback: ev.fallback, callId: ev.call_id, local: ev.local };
  }
  throw new Problem(502, "ai-unavailable", "AI unavailable", "The provider ended the answer without completing it.");
}

async function logCall(
  db: Db,
  x: {
    tenantId: string;
    callId: string;
    operation: string;
    link: ChainLink;
    status: "ok" | "error";
    started: number;
    attempts: Attempt[];
    usage: { input: number; output: number };
    fallback: boolean;
    redactions: Redactions;
    surface?: Surface;
    error: string | null;
  },
) {
  await db
    .insert(aiCalls)
    .values({
      tenantId: x.tenantId,
      id: x.callId,
      operation: x.operation,
      provider: x.link.provider as AiProvider,
      model: x.link.model,
      status: x.status,
      latencyMs: Date.now() - x.started,
      inputTokens: x.usage.input,
      outputTokens: x.usage.output,
      attempts: x.attempts,
      fallback: x.fallback,
      redactions: x.redactions.count,
      redactionKinds: x.redactions.kinds,
      surface: x.surface ?? "other",
      costMicros: costMicros(x.link.provider, x.link.model, x.usage.input, x.usage.output),
      error: x.error,
      createdAt: x.started,
    })
    .catch((e) => log.error("ai_call_log_failed", { tenant_id: x.tenantId, error: String(e) }));
}
