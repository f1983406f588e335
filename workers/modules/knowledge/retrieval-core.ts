import { ftsMatchExpression, ftsSql } from "./fts";
import { dfTerms, idfOf } from "./local-embedder";
import { type Fused, type FusionPolicy, fuseLegs, fusionPolicy, type Ranked, RRF_K } from "./fuse";
import { decodeVector, dotEncoded, TopK } from "./vectors";

/**
 * The SQL half of retrieval, written against a minimal runner so the same code runs on D1 in the
 * Worker and on node:sqlite in bench/retrieval.mjs (both SQLite with FTS5).
 */
export interface SqlRunner {
  all<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]>;
}

/** Candidates each leg contributes to the fusion (Vectorize allows topK ≤ 100 without metadata). */
export const CANDIDATES = 50;

/**
 * Pseudo-relevance feedback for the vector leg of a hybrid query on the local index: the query
 * vector moves towards the top `docs` full-text hits, each weighted 1/rank (so the first hit
 * counts most), by `weight` × their weighted centroid. Chosen on the tuning half of SciFact
 * (bench/retrieval.mjs); Vectorize returns ids, not vectors, so it gets no feedback.
 */
export interface FeedbackPolicy {
  docs: number;
  weight: number;
  rankWeighted: boolean;
}
export const FEEDBACK: FeedbackPolicy = { docs: 5, weight: 0.5, rankWeighted: true };

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
  opts: { collection?: string; limit: number; feedback?: { ids: string[]; weight: number; rankWeighted: boolean } },
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
  const fb = opts.feedback;
  const q = fb?.ids.length ? withFeedback(query, vecs, fb.ids, fb.weight, fb.rankWeighted) : query;
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

/** The local index's query with the shipped feedback policy (LocalD1Index and the bench both call this). */
export function localIndexQuery(
  db: SqlRunner,
  tenantId: string,
  vector: Float32Array,
  opts: { topK: number; collection?: string; feedbackIds?: string[] },
): Promise<Ranked[]> {
  return localVectorSearch(db, tenantId, vector, {
    limit: opts.topK,
    collection: opts.collection,
    feedback: opts.feedbackIds?.length
      ? { ids: opts.feedbackIds, weight: FEEDBACK.weight, rankWeighted: FEEDBACK.rankWeighted }
      : undefined,
  });
}

/**
 * Rocchio pseudo-relevance feedback: moves the query towards the (1/rank-weighted) centroid of
 * the chunks the full-text leg ranked first, so the vector leg also finds passages that share
 * their vocabulary (expansion terms, character n-grams) but not the query's exact words.
 */
function withFeedback(
  query: Float32Array,
  vecs: { id: string; bytes: Uint8Array }[],
  ids: string[],
  weight: number,
  rankWeighted: boolean,
): Float32Array {
  const rankOf = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!rankOf.has(id)) rankOf.set(id, i);
  });
  const q = Float32Array.from(query);
  let total = 0;
  const acc = new Float32Array(query.length);
  for (const v of vecs) {
    const r = rankOf.get(v.id);
    if (r === undefined || v.bytes.byteLength - 4 !== query.length) continue;
    const c = rankWeighted ? 1 / (r + 1) : 1;
    const d = decodeVector(v.bytes);
    for (let i = 0; i < d.length; i++) acc[i] += c * d[i]!;
    total += c;
  }
  if (total === 0) return query;
  let norm = 0;
  for (let i = 0; i < q.length; i++) {
    q[i] = q[i]! + (weight * acc[i]!) / total;
    norm += q[i]! * q[i]!;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < q.length; i++) q[i] = q[i]! / norm;
  return q;
}

/** What the hybrid needs from the configured embedder + vector index (see retrieve.ts, and the bench). */
export interface VectorLeg {
  /** The local lexical embedder (its fusion weights were measured; hosted ones use plain RRF). */
  localEmbedder: boolean;
  /** The index takes pseudo-relevance feedback ids (the local index; Vectorize does not). */
  feedback: boolean;
  wantsIdf: boolean;
  embedQuery(text: string, idf?: (term: string) => number): Promise<Float32Array>;
  query(tenantId: string, vector: Float32Array, opts: { topK: number; collection?: string; feedbackIds?: string[] }): Promise<Ranked[]>;
}

export interface LegsResult {
  fts: Ranked[];
  vector: Ranked[];
  fused: Fused[];
  policy: FusionPolicy | null;
  ftsMs: number;
  vectorMs: number;
}

/**
 * The candidate half of retrieve(): full-text and vector candidates and their fusion, exactly as
 * the Worker runs it (bench/retrieval.mjs calls this same function on node:sqlite). `vector` is
 * null when the vector leg is unavailable (no index yet, rebuild pending) — then hybrid is full-text.
 */
export async function searchLegs(
  db: SqlRunner,
  input: { tenantId: string; query: string; collection?: string; mode: "hybrid" | "fts" | "vector"; vector: VectorLeg | null },
): Promise<LegsResult> {
  const { tenantId, query, collection, mode } = input;
  let fts: Ranked[] = [];
  const tf = Date.now();
  if (mode !== "vector") fts = await ftsSearch(db, tenantId, query, { collection, limit: CANDIDATES });
  const ftsMs = Date.now() - tf;

  let vector: Ranked[] = [];
  const leg = mode === "fts" ? null : input.vector;
  const feedback = !!leg && mode === "hybrid" && leg.feedback;
  const tv = Date.now();
  if (leg && query.length > 0) {
    const idf = leg.wantsIdf ? await queryIdf(db, tenantId, query) : undefined;
    const qv = await leg.embedQuery(query, idf);
    const feedbackIds = feedback ? fts.slice(0, FEEDBACK.docs).map((r) => r.id) : undefined;
    vector = await leg.query(tenantId, qv, { topK: CANDIDATES, collection, feedbackIds });
  }
  const vectorMs = Date.now() - tv;

  // A single leg keeps its own order (fusing it with an empty list is a rank-preserving no-op).
  const policy = mode === "hybrid" && leg ? fusionPolicy({ localEmbedder: leg.localEmbedder, feedback }) : null;
  const fused = policy ? fuseLegs(fts, vector, policy) : fuseLegs(fts, vector, { k: RRF_K, weights: [1, 1] });
  return { fts, vector, fused, policy, ftsMs, vectorMs };
}
