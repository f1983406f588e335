import { estimateTokens, sentences } from "./text";

/** A structural block produced by extraction. */
export type Block = { kind: "heading"; level: number; text: string } | { kind: "paragraph"; text: string };

export interface Chunk {
  position: number; // 0-based order within the source
  headingPath: string[]; // e.g. ["Billing", "Refunds"]
  text: string;
  tokens: number; // estimate for `embeddingText`
}

export interface ChunkOptions {
  /** Budget for heading path + text, in estimated tokens; bge embedders take at most 512. */
  maxTokens: number;
  /** Tokens of trailing context repeated at the start of the next chunk of the same section. */
  overlapTokens: number;
}

export const CHUNK_DEFAULTS: ChunkOptions = { maxTokens: 400, overlapTokens: 60 };

/** What is embedded and counted: the heading path gives a chunk its context. */
export function embeddingText(c: { headingPath: string[]; text: string }): string {
  return c.headingPath.length ? `${c.headingPath.join(" › ")}\n${c.text}` : c.text;
}

/** Splits a piece that is too long on its own: sentences, then words. */
function splitLong(text: string, budget: number): string[] {
  if (estimateTokens(text) <= budget) return [text];
  const out: string[] = [];
  let cur = "";
  const pushWords = (s: string) => {
    for (const w of s.split(/\s+/)) {
      const next = cur ? `${cur} ${w}` : w;
      if (cur && estimateTokens(next) > budget) {
        out.push(cur);
        cur = w;
      } else cur = next;
    }
  };
  for (const s of sentences(text)) {
    const next = cur ? `${cur} ${s}` : s;
    if (estimateTokens(next) <= budget) cur = next;
    else if (estimateTokens(s) <= budget) {
      if (cur) out.push(cur);
      cur = s;
    } else pushWords(s);
  }
  if (cur) out.push(cur);
  return out;
}

/** The tail of a text worth about `tokens` tokens, on a sentence boundary where possible. */
function tail(text: string, tokens: number): string {
  if (tokens <= 0) return "";
  const sents = sentences(text);
  let out = "";
  for (let i = sents.length - 1; i >= 0; i--) {
    const next = out ? `${sents[i]} ${out}` : sents[i]!;
    if (estimateTokens(next) > tokens) break;
    out = next;
  }
  if (out) return out;
  const ws = text.split(/\s+/);
  return ws.slice(Math.max(0, ws.length - Math.ceil(tokens / 1.5))).join(" ");
}

/**
 * Structure-aware chunking: a heading of level ≤ 2 always starts a new chunk; paragraphs are
 * packed up to the token budget and never split unless one alone exceeds it; chunks cut inside
 * one section repeat the previous chunk's last sentences (overlap) so an answer spanning the cut
 * is still found whole. Every chunk keeps its heading path and position for citations.
 */
export function chunkBlocks(blocks: Block[], opts: ChunkOptions = CHUNK_DEFAULTS): Chunk[] {
  const chunks: Chunk[] = [];
  const path: { level: number; text: string }[] = [];
  let parts: string[] = [];
  let partsPath: string[] = [];
  let carried = false; // parts[0] is overlap from the previous chunk

  const headingNames = () => path.map((h) => h.text);
  const budgetFor = (hp: string[]) => Math.max(32, opts.maxTokens - (hp.length ? estimateTokens(hp.join(" › ")) + 1 : 0));
  const flush = (withOverlap: boolean) => {
    if (parts.length === 0 || (carried && parts.length === 1)) {
      parts = [];
      carried = false;
      return;
    }
    const text = parts.join("\n\n");
    chunks.push({
      position: chunks.length,
      headingPath: partsPath,
      text,
      tokens: estimateTokens(embeddingText({ headingPath: partsPath, text })),
    });
    const overlap = withOverlap ? tail(text, opts.overlapTokens) : "";
    parts = overlap ? [overlap] : [];
    carried = !!overlap;
  };

  for (const b of blocks) {
    if (b.kind === "heading") {
      const text = b.text.trim();
      if (!text) continue;
      if (b.level <= 2) flush(false);
      while (path.length && path[path.length - 1]!.level >= b.level) path.pop();
      path.push({ level: b.level, text });
      if (parts.length === 0 || (carried && parts.length === 1)) {
        partsPath = headingNames();
        if (b.level > 2) (carried = false), (parts = []);
      }
      continue;
    }
    const text = b.text.trim();
    if (!text) continue;
    const current = headingNames();
    // A deeper heading mid-chunk: start fresh if the chunk already has content from another section.
    if (parts.length && !carried && current.join("\u0000") !== partsPath.join("\u0000")) flush(false);
    if (parts.length === 0 || (carried && parts.length === 1)) partsPath = current;
    const budget = budgetFor(partsPath);
    for (const piece of splitLong(text, budget)) {
      const candidate = [...parts, piece].join("\n\n");
      if (parts.length && estimateTokens(candidate) > budget) {
        flush(true);
        partsPath = current;
        // Overlap plus the new piece may still be too big: drop the overlap then.
        if (parts.length && estimateTokens([...parts, piece].join("\n\n")) > budget) (parts = []), (carried = false);
      }
      parts.push(piece);
      if (parts.length === 1) carried = false;
    }
  }
  flush(false);
  return chunks;
}
