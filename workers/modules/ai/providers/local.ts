import { estimateTokens, sentences, terms } from "../../knowledge";
import type { GroundingPassage, ProviderAdapter, ProviderEvent, ProviderRequest } from "../types";

export const LOCAL_MODEL = "extractive-v1";
export const LOCAL_PREFIX = "From the knowledge base (local extractive answer, no AI model):";
export const I_DONT_KNOW = "I don't know — the knowledge base has nothing on that yet.";

/**
 * The local answerer: no model, no network. Quotes the sentences of the retrieved passages that
 * cover most of the question's terms, each with its citation marker, and says so. Without
 * passages it answers "I don't know". Deterministic, so tests and offline demos are exact.
 */
export function extractiveAnswer(question: string, passages: GroundingPassage[], maxSentences = 3): string {
  const q = new Set(terms(question));
  if (!passages.length || q.size === 0) return I_DONT_KNOW;
  const scored: { s: string; n: number; score: number; order: number }[] = [];
  passages.forEach((p, pi) => {
    sentences(p.text).forEach((s, si) => {
      const t = new Set(terms(s));
      let hit = 0;
      for (const x of q) if (t.has(x)) hit++;
      if (hit === 0) return;
      // Coverage of the question, a bonus for the passage's rank, a small penalty for very long sentences.
      const score = hit / q.size + 0.15 * p.relevance - 0.05 * pi - Math.max(0, estimateTokens(s) - 60) / 400;
      scored.push({ s, n: p.n, score, order: pi * 1000 + si });
    });
  });
  if (!scored.length) {
    // The passages matched on headings only: quote the opening of the best one.
    const p = passages[0]!;
    return `${LOCAL_PREFIX}\n\n“${sentences(p.text).slice(0, 2).join(" ")}” [${p.n}]`;
  }
  const best = scored
    .sort((a, b) => b.score - a.score)
    .slice(0, maxSentences)
    .sort((a, b) => a.order - b.order);
  return `${LOCAL_PREFIX}\n\n${best.map((b) => `“${b.s}” [${b.n}]`).join("\n")}`;
}

export class LocalAdapter implements ProviderAdapter {
  readonly provider = "local" as const;
  async *stream(req: ProviderRequest): AsyncIterable<ProviderEvent> {
    const question = req.grounding?.question ?? req.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
    const text = req.grounding
      ? extractiveAnswer(question, req.grounding.passages)
      : "The local answerer only answers questions from the knowledge base; configure OpenAI, Anthropic or Workers AI for open-ended completions.";
    // Word-sized tokens, like a model's stream.
    for (const piece of text.match(/\S+\s*|\s+/g) ?? []) {
      if (req.signal.aborted) throw new Error("aborted");
      yield { type: "text", text: piece };
    }
    yield {
      type: "usage",
      input: estimateTokens(question + (req.grounding?.passages.map((p) => p.text).join(" ") ?? "")),
      output: estimateTokens(text),
    };
    yield { type: "finish", reason: "stop" };
  }
  async test() {
    return "The local answerer is built in";
  }
}
