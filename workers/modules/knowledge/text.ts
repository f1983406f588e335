/**
 * Runtime-agnostic text utilities shared by the chunker, the local embedder, the FTS query
 * builder and the grounding check (and by bench/retrieval.mjs, which bundles them for Node).
 */

/** A small English stop-word list: function words that carry no topical signal. */
export const STOPWORDS = new Set(
  (
    "a an and are as at be been being but by can could did do does doing for from had has have having he her here hers him his how i if in into is it its " +
    "itself just me more most my no nor not of off on once only or other our ours out over own same she should so some such than that the their theirs " +
    "them then there these they this those through to too under until up very was we were what when where which while who whom why will with would you " +
    "your yours about above after again against all am any because before below between both during each few further s t don now also may might must shall"
  ).split(" "),
);

/** Lower-cased letter/digit runs (Unicode-aware). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

const STEP_SUFFIXES: [string, string][] = [
  ["ational", "ate"],
  ["tional", "tion"],
  ["ization", "ize"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["iveness", "ive"],
  ["biliti", "ble"],
  ["ations", "ate"],
  ["ation", "ate"],
  ["ments", ""],
  ["ment", ""],
  ["ness", ""],
  ["ities", ""],
  ["ity", ""],
  ["ings", ""],
  ["ing", ""],
  ["edly", ""],
  ["ies", "y"],
  ["ied", "y"],
  ["ed", ""],
  ["ly", ""],
  ["es", ""],
  ["s", ""],
];

/**
 * A light suffix-stripping stemmer (Porter-flavoured, not Porter): maps inflections of a word
 * to one key (`regulates`, `regulated`, `regulating` → `regulat`). Words of ≤ 3 letters and
 * tokens with digits are kept as they are.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  for (const [suf, rep] of STEP_SUFFIXES) {
    if (word.endsWith(suf) && word.length - suf.length >= 3) {
      let w = word.slice(0, word.length - suf.length) + rep;
      if (rep === "" && /(.)\1$/.test(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1); // hopp(ing) → hop
      if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
      return w;
    }
  }
  return word.endsWith("e") && word.length > 4 ? word.slice(0, -1) : word;
}

/** Content terms: words minus stop words, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) if (!STOPWORDS.has(w)) out.push(stem(w));
  return out;
}

/**
 * Approximate token count for budgeting chunks against embedder limits (bge: 512 WordPiece
 * tokens). WordPiece splits long or rare words into pieces, so count ~1 token per 4 characters
 * of a word (at least one) plus punctuation marks.
 */
export function estimateTokens(text: string): number {
  let n = 0;
  for (const w of text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [])
    n += /^[\p{L}\p{N}]/u.test(w) ? Math.max(1, Math.ceil(w.length / 4)) : 1;
  return n;
}

/** 32-bit FNV-1a hash of a string (deterministic across runtimes). */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3 fmix) so nearby strings spread over all buckets.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Splits text into sentences (for extractive answers and chunk packing). */
export function sentences(text: string): string[] {
  return (text.replace(/\s+/g, " ").match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g) ?? []).map((s) => s.trim()).filter(Boolean);
}
