/**
 * What a model call costs, for the AI call log (`ai_calls.cost_micros`, USD millionths) — the one
 * price list (docs/ai-safety.md). Prices are the providers' list prices in USD per million tokens
 * (input, output) as of 2026-12; a model is matched by its id or the longest listed prefix (so
 * "gpt-4o-mini-2024-07-18" costs what "gpt-4o-mini" does). The local answerer and unknown models
 * cost 0: the log then shows 0 rather than a guess. Workers AI bills in neurons; its rows are
 * Cloudflare's published per-token equivalents.
 */
export interface ModelPrice {
  inputPerM: number;
  outputPerM: number;
}
export const MODEL_PRICES: Record<string, ModelPrice> = {
  // OpenAI
  "gpt-4o-mini": { inputPerM: 0.15, outputPerM: 0.6 },
  "gpt-4o": { inputPerM: 2.5, outputPerM: 10 },
  "gpt-4.1-nano": { inputPerM: 0.1, outputPerM: 0.4 },
  "gpt-4.1-mini": { inputPerM: 0.4, outputPerM: 1.6 },
  "gpt-4.1": { inputPerM: 2, outputPerM: 8 },
  "o4-mini": { inputPerM: 1.1, outputPerM: 4.4 },
  // Anthropic
  "claude-3-5-haiku": { inputPerM: 0.8, outputPerM: 4 },
  "claude-3-haiku": { inputPerM: 0.25, outputPerM: 1.25 },
  "claude-3-5-sonnet": { inputPerM: 3, outputPerM: 15 },
  "claude-3-7-sonnet": { inputPerM: 3, outputPerM: 15 },
  "claude-sonnet-4": { inputPerM: 3, outputPerM: 15 },
  "claude-opus-4": { inputPerM: 15, outputPerM: 75 },
  // Workers AI
  "@cf/meta/llama-3.1-8b-instruct": { inputPerM: 0.282, outputPerM: 0.827 },
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { inputPerM: 0.293, outputPerM: 2.253 },
};

export function priceOf(provider: string, model: string): ModelPrice | null {
  if (provider === "local") return null;
  if (MODEL_PRICES[model]) return MODEL_PRICES[model];
  let best: [string, ModelPrice] | null = null;
  for (const e of Object.entries(MODEL_PRICES)) if (model.startsWith(e[0]) && (!best || e[0].length > best[0].length)) best = e;
  return best ? best[1] : null;
}

/** USD millionths for a call's tokens (rounded to whole micros). */
export function costMicros(provider: string, model: string, inputTokens: number, outputTokens: number): number {
  const p = priceOf(provider, model);
  if (!p) return 0;
  return Math.round(inputTokens * p.inputPerM + outputTokens * p.outputPerM);
}
