import { ftsMatchExpression, ftsSql } from "./fts";
import { dfTerms, idfOf } from "./local-embedder";
import type { Ranked } from "./fuse";
import { decodeVector, dotEncoded, TopK } from "./vectors";

/**
 * The SQL half of retrieval, written against a minimal runner so the same code runs on D1 in the
 * Worker and on node:sqlite in bench/retrieval.mjs (both SQLite with FTS5).
 */
export interface SqlRunner {
  all<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]>;
}

/** Hybrid retrieval seeds the vector leg with the top full-text hits (measured on SciFact: +0.01 nDCG@10). */
export const FEEDBACK_DOCS = 3;
export const FEEDBACK_WEIGHT = 0.5;

/** BM25 full-text candidates for a tenant (optionally one collection), best first. */
export async function ftsSearch(
  db: SqlRunner,
  tenantId: string,
  query: string,
  opts: { collection?: string; limit: number },
): Promise<Ranked[]> {
  const match = ftsMatchExpression(query, tenantId);
  if (!match) return [];
  const params: unknown[] = opts.collection ? [match, tenantId, opts.collection, opts.limit] : [match, tenantId, opts.limit];
  const rows = await db.all<{ id: string; score: number }>(ftsSql(!!opts.collection), params);
  return rows.map((r) => ({ id: r.id, score: r.score }));
}

/** Term → IDF for the query's terms, from the tenant's document-frequency table. */
export async function queryIdf(db: SqlRunner, tenantId: string, query: string): Promise<(term: string) => number> {
  const terms = dfTerms(query).slice(0, 64);
  // Row "" holds the tenant's chunk count (N).
  const rows = await db.all<{ term: string; df: number }>(
    "SELECT term, df FROM kb_term_stats WHERE tenant_id = ?1 AND term IN (SELECT value FROM json_each(?2))",
    [tenantId, JSON.stringify(["", ...terms])],
  );
  const df = new Map(rows.map((r) => [r.term, r.df]));
  const n = Math.max(1, df.get("") ?? 1);
  return (t) => idfOf(df.get(t) ?? 0, n);
}

/**
 * Exact cosine search over the tenant's vectors in the local index. The scan reads one int8
 * vector per chunk (1 KiB at 1024-d); fine for the knowledge bases of a local stack, and the
 * reason production uses Vectorize.
 */
export async function localVectorSearch(
  db: SqlRunner,
  tenantId: string,
  query: Float32Array,
  opts: { collection?: string; limit: number; feedbackIds?: string[]; feedbackWeight?: number },
): Promise<Ranked[]> {
  const rows = await db.all<{ chunk_id: string; vector: ArrayBuffer | Uint8Array | number[] }>(
    opts.collection
      ? "SELECT chunk_id, vector FROM kb_vectors WHERE tenant_id = ?1 AND collection = ?2"
      : "SELECT chunk_id, vector FROM kb_vectors WHERE tenant_id = ?1",
    opts.collection ? [tenantId, opts.collection] : [tenantId],
  );
  const vecs = rows.map((r) => ({
    id: r.chunk_id,
    bytes:
      r.vector instanceof Uint8Array ? r.vector : r.vector instanceof ArrayBuffer ? new Uint8Array(r.vector) : Uint8Array.from(r.vector),
  }));
  const q = opts.feedbackIds?.length ? withFeedback(query, vecs, opts.feedbackIds, opts.feedbackWeight ?? 0.5) : query;
  const top = new TopK<string>(opts.limit);
  for (const v of vecs) {
    if (v.bytes.byteLength - 4 !== q.length) continue; // a vector from another model: never mixed
    const score = dotEncoded(q, v.bytes);
    if (score > 0) top.push(score, v.id); // orthogonal or opposite: no similarity at all
  }
  return top.sorted().map((x) => ({ id: x.item, score: x.score }));
}

/** Counts each distinct term once per chunk, for the DF table (plus "" = chunk count). */
export function dfDelta(texts: string[], sign: 1 | -1): Record<string, number> {
  const delta: Record<string, number> = { "": sign * texts.length };
  for (const t of texts) for (const term of dfTerms(t)) delta[term] = (delta[term] ?? 0) + sign;
  return delta;
}

/** Applies a DF delta in one statement (one bound parameter pair, any number of terms). */
export const DF_UPSERT_SQL = `INSERT INTO kb_term_stats (tenant_id, term, df)
SELECT ?1, key, value FROM json_each(?2) WHERE true
ON CONFLICT (tenant_id, term) DO UPDATE SET df = max(0, df + excluded.df)`;

/**
 * Rocchio pseudo-relevance feedback: moves the query towards the centroid of the chunks the
 * full-text leg ranked first, so the vector leg also finds passages that share their vocabulary
 * (expansion terms, character n-grams) but not the query's exact words.
 */
function withFeedback(query: Float32Array, vecs: { id: string; bytes: Uint8Array }[], ids: string[], weight: number): Float32Array {
  const want = new Set(ids);
  const q = Float32Array.from(query);
  let n = 0;
  const acc = new Float32Array(query.length);
  for (const v of vecs) {
    if (!want.has(v.id) || v.bytes.byteLength - 4 !== query.length) continue;
    const d = decodeVector(v.bytes);
    for (let i = 0; i < d.length; i++) acc[i] += d[i]!;
    n++;
  }
  if (n === 0) return query;
  let norm = 0;
  for (let i = 0; i < q.length; i++) {
    q[i] = q[i]! + (weight * acc[i]!) / n;
    norm += q[i]! * q[i]!;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < q.length; i++) q[i] = q[i]! / norm;
  return q;
}
