/**
 * The AI reply pipeline of a ChatSession, written against a small interface so the engine can be
 * swapped: the knowledge/AI module's `answerQuestion` when it is present, otherwise the LOCAL
 * answerer below (labelled "local" everywhere it shows), which answers only from the workspace's
 * saved replies and says so when it has nothing — it never invents an answer.
 */
import { eq } from "drizzle-orm";
import { chatCannedResponses, type Citation } from "../../../schema/chat";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";

export type ReplyEvent =
  | { type: "token"; text: string }
  | { type: "citation"; citation: Citation }
  | { type: "done"; usage?: { input_tokens?: number; output_tokens?: number; total_tokens?: number } }
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

const STOP = new Set("a an and are can do does for from how i in is it me my of on or our the this to we what when where which who why with you your".split(" "));
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

/** LOCAL answerer: extractive, from the tenant's saved replies only; streamed word by word. */
export const localReplyEngine: ReplyEngine = {
  name: "local",
  local: true,
  async *answer({ env, tenantId, question }) {
    const rows = await getDb(env.DB)
      .select({ shortcut: chatCannedResponses.shortcut, body: chatCannedResponses.body })
      .from(chatCannedResponses)
      .where(eq(chatCannedResponses.tenantId, tenantId))
      .limit(200)
      .all();
    const hit = bestCanned(question, rows);
    const text = hit ? hit.body : NO_ANSWER;
    for (const part of text.match(/\S+\s*/g) ?? [text]) yield { type: "token", text: part };
    if (hit) yield { type: "citation", citation: { title: `Saved reply /${hit.shortcut}`, url: null, snippet: hit.body.slice(0, 160) } };
    yield { type: "done", usage: { total_tokens: estimateTokens(question) + estimateTokens(text) } };
  },
};

let override: ReplyEngine | null = null;
/** Tests and the AI module's adapter install a different engine here. */
export function setReplyEngine(engine: ReplyEngine | null) {
  override = engine;
}

export function replyEngine(_env: Env): ReplyEngine {
  return override ?? localReplyEngine;
}
