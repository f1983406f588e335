import type { AiProvider } from "../../../schema/ai";

export type { AiProvider };

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
  /** Tool calling (the assistant): the tools an assistant turn called… */
  toolCalls?: ToolCall[];
  /** …and, on the next user turn, what they returned. */
  toolResults?: ToolResult[];
}

/** A tool offered to the model: a name, what it does, and its arguments as JSON Schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}
export type ToolCall = { id: string; name: string; args: Record<string, unknown> };
export type ToolResult = { id: string; name: string; content: string };

/** Retrieved passages handed to a provider (the local answerer quotes them; LLMs get them in the prompt). */
export interface GroundingPassage {
  n: number; // citation number, 1-based
  chunkId: string;
  title: string;
  headingPath: string[];
  text: string;
  relevance: number;
}

export interface ProviderRequest {
  model: string;
  system: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  signal: AbortSignal;
  /** The question and passages, for providers that answer extractively (local). */
  grounding?: { question: string; passages: GroundingPassage[] };
  /** Tools the model may call (OpenAI `tools`, Anthropic `tools`); the local answerer ignores them. */
  tools?: ToolSpec[];
}

export type ProviderEvent =
  | { type: "text"; text: string }
  | { type: "usage"; input: number; output: number }
  | { type: "tool_call"; id: string; name: string; args: Record<string, unknown> }
  | { type: "finish"; reason: string };

export interface ProviderAdapter {
  readonly provider: AiProvider;
  stream(req: ProviderRequest): AsyncIterable<ProviderEvent>;
  /** Cheapest authenticated call, for "test connection". Resolves to a short description. */
  test(signal: AbortSignal): Promise<string>;
}

/** A provider failure, classified for retry / fall-through. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
    readonly code: string = status ? `http_${status}` : "network",
  ) {
    super(message);
  }
}

/** Classifies an SDK/network error (both official SDKs expose `status` and `headers`). */
export function classify(e: unknown, provider: string): ProviderError {
  if (e instanceof ProviderError) return e;
  const err = e as { status?: number; headers?: Headers | Record<string, string>; message?: string; name?: string };
  const status = typeof err?.status === "number" ? err.status : null;
  let retryAfterMs: number | null = null;
  const h = err?.headers;
  const ra = h ? (h instanceof Headers ? h.get("retry-after") : (h as Record<string, string>)["retry-after"]) : null;
  if (ra && Number.isFinite(Number(ra))) retryAfterMs = Number(ra) * 1000;
  const name = err?.name ?? "";
  if (status === null) {
    const timeout = /timeout|abort/i.test(name) || /timed? ?out|aborted/i.test(err?.message ?? "");
    return new ProviderError(
      `${provider}: ${timeout ? "timed out" : `connection failed (${err?.message ?? "network error"})`}`,
      null,
      true,
      null,
      timeout ? "timeout" : "network",
    );
  }
  const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
  const short = (err?.message ?? "").replace(/\s+/g, " ").slice(0, 200);
  return new ProviderError(`${provider}: HTTP ${status}${short ? ` — ${short}` : ""}`, status, retryable, retryAfterMs);
}

/** The normalised events of `stream()` and `answerQuestion()`: what the widget and dashboard consume. */
export type Citation = {
  type: "citation";
  n: number;
  chunk_id: string;
  source_id: string;
  source_title: string;
  heading_path: string[];
  url: string | null;
};
export type GatewayEvent =
  | { type: "token"; text: string }
  | Citation
  | {
      type: "done";
      call_id: string | null;
      provider: string;
      model: string;
      usage: { input_tokens: number; output_tokens: number };
      fallback: boolean;
      grounded: boolean;
      local: boolean;
    }
  | { type: "error"; code: string; message: string; call_id: string | null };

/** The model asked for a tool (only from `streamAgent`, which offers tools). */
export type ToolCallEvent = { type: "tool_call"; id: string; name: string; args: Record<string, unknown> };
export type AgentEvent = GatewayEvent | ToolCallEvent;
