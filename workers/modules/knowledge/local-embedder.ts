import { fnv1a, stem, STOPWORDS, words } from "./text";

/**
 * The local deterministic embedder ("hashed lexical embedding"): no model, no network, same
 * vector for the same text in every runtime. A text becomes weighted features —
 *   - stemmed content words (unigrams),
 *   - adjacent content-word pairs (bigrams: phrase signal),
 *   - character 3–5-grams of each word with boundary marks (morphology, spelling variants,
 *     compounds: "immunotherapy" ~ "immune therapy")
 * — hashed with a sign bit into `dimensions` buckets (the "hashing trick"), log-scaled term
 * frequency, L2-normalised. Documents carry no corpus statistics (so a vector never goes stale);
 * queries are weighted by inverse document frequency looked up per tenant at query time — the
 * classic lnc.ltc cosine scheme. It is a lexical model: it has no notion of synonyms that share
 * no letters, which is what the hosted bge / OpenAI embedders add.
 */
export interface LocalEmbedderParams {
  dimensions: number;
  wordWeight: number;
  bigramWeight: number;
  charWeight: number; // total weight of one word's character n-grams relative to the word
  minN: number;
  maxN: number;
}

export const LOCAL_EMBEDDER_DEFAULTS: LocalEmbedderParams = {
  dimensions: 4096,
  wordWeight: 1,
  bigramWeight: 0.6,
  charWeight: 1.2,
  minN: 3,
  maxN: 5,
};
export const LOCAL_EMBEDDER_ID = "weft-local-hash-v1";

type IdfFn = (stemmedTerm: string) => number;

interface Feature {
  key: string;
  weight: number;
  term: string; // the stemmed word(s) whose IDF applies
  term2?: string;
}

function features(text: string, p: LocalEmbedderParams): Feature[] {
  const out: Feature[] = [];
  let prev: string | null = null;
  for (const w of words(text)) {
    if (STOPWORDS.has(w)) {
      prev = null;
      continue;
    }
    const s = stem(w);
    out.push({ key: `w:${s}`, weight: p.wordWeight, term: s });
    if (prev) out.push({ key: `b:${prev} ${s}`, weight: p.bigramWeight, term: prev, term2: s });
    prev = s;
    if (w.length >= 4 && p.charWeight > 0 && !/^\d+$/.test(w)) {
      const padded = `<${w}>`;
      const grams: string[] = [];
      for (let n = p.minN; n <= p.maxN; n++) for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
      const each = p.charWeight / Math.sqrt(grams.length);
      for (const g of grams) out.push({ key: `c:${g}`, weight: each, term: s });
    }
  }
  return out;
}

/** Embeds one text. Pass `idf` for queries (ltc); omit it for documents (lnc). */
export function localEmbed(text: string, p: LocalEmbedderParams = LOCAL_EMBEDDER_DEFAULTS, idf?: IdfFn): Float32Array {
  const acc = new Map<string, { w: number; tf: number; f: Feature }>();
  for (const f of features(text, p)) {
    const hit = acc.get(f.key);
    if (hit) hit.tf++;
    else acc.set(f.key, { w: f.weight, tf: 1, f });
  }
  const v = new Float32Array(p.dimensions);
  for (const [key, { w, tf, f }] of acc) {
    let weight = w * (1 + Math.log(tf));
    if (idf) weight *= f.term2 ? (idf(f.term) + idf(f.term2)) / 2 : idf(f.term);
    const h = fnv1a(key);
    v[h % p.dimensions] += h & 0x80000000 ? -weight : weight;
  }
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

/** BM25-style IDF from a document frequency; unseen terms get the maximum. */
export function idfOf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Distinct stemmed content terms of a text: the keys the per-tenant DF table counts. */
export function dfTerms(text: string): string[] {
  const set = new Set<string>();
  for (const w of words(text)) if (!STOPWORDS.has(w)) set.add(stem(w));
  return [...set];
}
