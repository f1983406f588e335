/**
 * Small fuzzy matcher for the command palette. Every word of the query must match the label
 * (as a substring, or as a subsequence that starts at a word start: "msg tpl" finds "Message
 * templates", "apik" finds "API keys") or be part of one of the keywords ("plan" finds Billing). Higher scores are better; the
 * indices are the label's matched characters, for highlighting.
 */
export interface FuzzyMatch {
  score: number;
  indices: number[];
}

const fold = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
const isWordStart = (s: string, i: number) => i === 0 || /[\s\-_./@·›:(]/.test(s[i - 1] ?? "");

/** One query word against one text (both already folded); keywords match as substrings only. */
function matchWord(word: string, text: string, subsequence = true): FuzzyMatch | null {
  if (!word) return { score: 0, indices: [] };
  const at = text.indexOf(word);
  if (at >= 0) {
    // Prefer a whole-word start over a match in the middle of a word.
    let start = at;
    for (let i = at; i >= 0; i = text.indexOf(word, i + 1)) {
      if (isWordStart(text, i)) {
        start = i;
        break;
      }
    }
    const bonus = start === 0 ? 30 : isWordStart(text, start) ? 20 : 0;
    return { score: 40 + word.length * 4 + bonus - text.length * 0.1, indices: Array.from(word, (_, k) => start + k) };
  }
  if (!subsequence) return null;
  // Subsequence: the first character must begin a word; consecutive runs and word starts score.
  const indices: number[] = [];
  let score = 0;
  let from = 0;
  for (let k = 0; k < word.length; k++) {
    const ch = word[k] as string;
    let i = -1;
    // Look for the next word start with this character first, else any position.
    for (let j = from; j < text.length; j++) {
      if (text[j] === ch && isWordStart(text, j)) {
        i = j;
        break;
      }
    }
    const prev = indices[indices.length - 1];
    if (prev !== undefined && text[prev + 1] === ch) i = prev + 1;
    else if (i < 0 && k > 0) i = text.indexOf(ch, from);
    if (i < 0) return null;
    score += 1 + (prev !== undefined && i === prev + 1 ? 3 : 0) + (isWordStart(text, i) ? 4 : 0);
    indices.push(i);
    from = i + 1;
  }
  return { score: score - text.length * 0.1, indices };
}

/** Match a query against a label and its keywords; null when some query word matches nothing. */
export function fuzzyMatch(query: string, label: string, keywords: readonly string[] = []): FuzzyMatch | null {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return { score: 0, indices: [] };
  const l = fold(label);
  const ks = keywords.map(fold);
  let score = 0;
  const indices = new Set<number>();
  for (const w of words) {
    const onLabel = matchWord(w, l);
    let best = onLabel ? onLabel.score : Number.NEGATIVE_INFINITY;
    for (const k of ks) {
      const m = matchWord(w, k, false);
      if (m && m.score * 0.8 > best) best = m.score * 0.8;
    }
    if (best === Number.NEGATIVE_INFINITY) return null;
    if (onLabel) for (const i of onLabel.indices) indices.add(i);
    score += best;
  }
  return { score, indices: [...indices].sort((a, b) => a - b) };
}

/** Items that match, best first (stable for equal scores). */
export function fuzzyFilter<T>(query: string, items: readonly T[], text: (item: T) => { label: string; keywords?: readonly string[] }) {
  const out: { item: T; match: FuzzyMatch }[] = [];
  for (const item of items) {
    const t = text(item);
    const match = fuzzyMatch(query, t.label, t.keywords);
    if (match) out.push({ item, match });
  }
  return query.trim() ? out.sort((a, b) => b.match.score - a.match.score) : out;
}
