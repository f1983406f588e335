/**
 * The AI reply pipeline of a ChatSession, written against a small interface so the engine can be
 * swapped: by default the knowledge/AI module's grounded `answerQuestion` (saved replies first);
 * `localReplyEngine` answers only from the workspace's saved replies and says so when it has
 * nothing — it never invents an answer. Local answers are labelled "local" where they show.
 */
import { eq } from "drizzle-orm";
import { chatCannedResponses, type Citation } from "../../../schema/chat";
import { getDb } from "../../platform/db";
import { answerQuestion } from "../ai";
import type { Env } from "../../platform/env";

export type ReplyEvent =
  | { type: "token"; text: string }
  | { type: "citation"; citation: Citation }
  | {
      type: "done";
      usage?: { input_tokens?: number; output_tokens?: number; total_tokens?: number };
      local?: boolean;
      metered?: boolean;
      /** False when the knowledge had nothing relevant ("I don't know"); the hand-off rules read it. */
      grounded?: boolean;
    }
  | { type: "error"; message: string };

export interface ReplyInput {
  env: Env;
  tenantId: string;
  question: string;
  history: { role: "user" | "assistant"; content: string }[];
}

export interface ReplyEngine {
  /** Shown to visitors and agents next to AI answers. */
  name: string;
  local: boolean;
  answer(input: ReplyInput): AsyncIterable<ReplyEvent>;
}

const STOP = new Set(
  "a an and are can do does for from how i in is it me my of on or our the this to we what when where which who why with you your".split(
    " ",
  ),
);
export const tokenize = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/)
    .filter((w) => w.length > 1 && !STOP.has(w));

/** Rough token count (≈ 4 characters per token) for metering the local engine's output. */
export const estimateTokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

/** Picks the best saved reply by keyword overlap; null under a minimum overlap. */
export function bestCanned(question: string, rows: { shortcut: string; body: string }[]) {
  const q = new Set(tokenize(question));
  if (q.size === 0) return null;
  let best: { shortcut: string; body: string; score: number } | null = null;
  // Words match exactly or by a shared stem (one a prefix of the other, ≥ 4 letters): ship ~ shipping.
  const same = (a: string, b: string) => a === b || (Math.min(a.length, b.length) >= 4 && (a.startsWith(b) || b.startsWith(a)));
  for (const r of rows) {
    const words = tokenize(`${r.shortcut.replace(/[-_/]/g, " ")} ${r.body}`);
    let hit = 0;
    for (const w of q) if (words.some((x) => same(w, x))) hit++;
    const score = hit / q.size;
    if (hit > 0 && (!best || score > best.score)) best = { ...r, score };
  }
  return best && best.score >= 0.3 ? best : null;
}

export const NO_ANSWER =
  "I couldn't find an answer to that in this workspace's saved answers. Choose **Talk to a person** and someone from the team will reply here.";

async function savedReplies(env: Env, tenantId: string) {
  return getDb(env.DB)
    .select({ shortcut: chatCannedResponses.shortcut, body: chatCannedResponses.body })
    .from(chatCannedResponses)
    .where(eq(chatCannedResponses.tenantId, tenantId))
    .limit(200)
    .all();
}

async function* streamSaved(hit: { shortcut: string; body: string }, question: string): AsyncIterable<ReplyEvent> {
  for (const part of hit.body.match(/\S+\s*/g) ?? [hit.body]) yield { type: "token", text: part };
  yield { type: "citation", citation: { title: `Saved reply /${hit.shortcut}`, url: null, snippet: hit.body.slice(0, 160) } };
  yield { type: "done", usage: { total_tokens: estimateTokens(question) + estimateTokens(hit.body) }, local: true, grounded: true };
}

/** LOCAL answerer: extractive, from the tenant's saved replies only; streamed word by word. */
export const localReplyEngine: ReplyEngine = {
  name: "local",
  local: true,
  async *answer({ env, tenantId, question }) {
    const hit = bestCanned(question, await savedReplies(env, tenantId));
    if (hit) return yield* streamSaved(hit, question);
    for (const part of NO_ANSWER.match(/\S+\s*/g) ?? [NO_ANSWER]) yield { type: "token", text: part };
    yield { type: "done", usage: { total_tokens: estimateTokens(question) + estimateTokens(NO_ANSWER) }, local: true, grounded: false };
  },
};

/**
 * The knowledge base (AI module's grounded `answerQuestion`: hybrid retrieval + the tenant's LLM
 * chain, or its local extractive answerer when no provider key is set). A saved reply that matches
 * the question wins first: it is the tenant's own curated answer. The AI gateway meters `ai_tokens`
 * and enforces the quota itself, so its replies are marked `metered`.
 */
export const knowledgeReplyEngine: ReplyEngine = {
  name: "knowledge",
  local: false,
  async *answer({ env, tenantId, question, history }) {
    const hit = bestCanned(question, await savedReplies(env, tenantId));
    if (hit) return yield* streamSaved(hit, question);
    for await (const e of answerQuestion({ env, tenantId, question, history })) {
      if (e.type === "token") yield { type: "token", text: e.text };
      else if (e.type === "citation")
        yield {
          type: "citation",
          citation: {
            title: e.heading_path.length ? `${e.source_title} › ${e.heading_path.join(" › ")}` : e.source_title,
            url: e.url,
            snippet: null,
          },
        };
      else if (e.type === "done")
        yield {
          type: "done",
          usage: { input_tokens: e.usage.input_tokens, output_tokens: e.usage.output_tokens },
          local: e.local,
          metered: true,
          grounded: e.grounded,
        };
      else yield { type: "error", message: e.message };
    }
  },
};

let override: ReplyEngine | null = null;
/** Tests and the AI module's adapter install a different engine here. */
export function setReplyEngine(engine: ReplyEngine | null) {
  override = engine;
}

export function replyEngine(_env: Env): ReplyEngine {
  return override ?? knowledgeReplyEngine;
}
