import { and, eq, inArray } from "drizzle-orm";
import { kbChunks, kbSources } from "../../../schema/knowledge";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { getDb } from "../../platform/db";
import { knowledgeStack, type KnowledgeStack } from "./config";
import { getIndexRecord, matches } from "./index.service";
import { searchLegs } from "./retrieval-core";
import { terms } from "./text";
import { d1Runner } from "./vector-index";

export type RetrieveMode = "hybrid" | "fts" | "vector";

export interface RetrievedChunk {
  chunkId: string;
  sourceId: string;
  sourceTitle: string;
  sourceKind: string;
  sourceUrl: string | null;
  collection: string;
  headingPath: string[];
  position: number;
  text: string;
  scores: {
    fts: number | null; // BM25 (higher is better)
    ftsRank: number | null;
    vector: number | null; // cosine similarity
    vectorRank: number | null;
    fused: number; // weighted RRF score (fuse.ts FUSION)
  };
  /** 0–1: how much of the question this chunk covers (query-term coverage, or cosine). */
  relevance: number;
}

export interface RetrieveResult {
  chunks: RetrievedChunk[];
  mode: RetrieveMode;
  embedder: { id: string; label: string; local: boolean };
  index: { backend: string; label: string; rebuilding: boolean; vectorLeg: boolean };
  timings: { fts_ms: number; vector_ms: number; total_ms: number };
}

export interface RetrieveInput {
  db?: Db;
  env: Env;
  tenantId: string;
  query: string;
  collection?: string;
  limit?: number;
  mode?: RetrieveMode;
  stack?: KnowledgeStack;
}

/**
 * Hybrid retrieval for one tenant: FTS5 BM25 and vector candidates, fused by weighted reciprocal
 * rank fusion (fuse.ts FUSION); the vector leg gets Rocchio feedback from the top full-text hits
 * when the index is the local one (retrieval-core.ts searchLegs, the code the bench measures).
 * Every candidate is read back from D1 under the tenant's condition, so an id from any index can
 * never surface another tenant's text. When the tenant's index was built with another
 * model (rebuild pending) the vector leg is skipped instead of comparing incompatible vectors.
 */
export async function retrieve(input: RetrieveInput): Promise<RetrieveResult> {
  const t0 = Date.now();
  const db = input.db ?? getDb(input.env.DB);
  const stack = input.stack ?? knowledgeStack(input.env);
  const mode = input.mode ?? "hybrid";
  const limit = Math.min(50, Math.max(1, input.limit ?? 8));
  const runner = d1Runner(input.env.DB);
  const query = input.query.trim().slice(0, 2000);

  const rec = await getIndexRecord(db, input.tenantId);
  const vectorLeg = mode !== "fts" && !!rec && matches(rec, stack);

  const {
    fused,
    ftsMs,
    vectorMs: vecMs,
  } = await searchLegs(runner, {
    tenantId: input.tenantId,
    query,
    collection: input.collection,
    mode,
    vector: vectorLeg
      ? {
          localEmbedder: stack.embedder.local,
          feedback: stack.index.backend === "local-d1",
          wantsIdf: stack.embedder.wantsIdf,
          embedQuery: (text, idf) => stack.embedder.embedQuery(text, idf),
          query: (tenantId, vector, opts) => stack.index.query(tenantId, vector, opts),
        }
      : null,
  });
  // Read text back from D1, tenant-scoped; ids not found (another tenant's, deleted) drop out.
  const wanted = fused.slice(0, limit * 2).map((f) => f.id);
  const rows = wanted.length
    ? await db
        .select({
          id: kbChunks.id,
          sourceId: kbChunks.sourceId,
          collection: kbChunks.collection,
          heading: kbChunks.heading,
          position: kbChunks.position,
          text: kbChunks.text,
          title: kbSources.title,
          kind: kbSources.kind,
          url: kbSources.url,
        })
        .from(kbChunks)
        .innerJoin(kbSources, and(eq(kbSources.tenantId, kbChunks.tenantId), eq(kbSources.id, kbChunks.sourceId)))
        .where(
          and(
            eq(kbChunks.tenantId, input.tenantId),
            inArray(kbChunks.id, wanted),
            input.collection ? eq(kbChunks.collection, input.collection) : undefined,
          ),
        )
        .all()
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const qTerms = new Set(terms(query));
  const chunks: RetrievedChunk[] = [];
  for (const f of fused) {
    const r = byId.get(f.id);
    if (!r) continue;
    const cTerms = new Set(terms(`${r.heading} ${r.text}`));
    let covered = 0;
    for (const t of qTerms) if (cTerms.has(t)) covered++;
    const coverage = qTerms.size ? covered / qTerms.size : 0;
    const cosine = f.scores[1] ?? 0;
    chunks.push({
      chunkId: r.id,
      sourceId: r.sourceId,
      sourceTitle: r.title,
      sourceKind: r.kind,
      sourceUrl: r.url,
      collection: r.collection,
      headingPath: r.heading ? r.heading.split(" › ") : [],
      position: r.position,
      text: r.text,
      scores: { fts: f.scores[0], ftsRank: f.ranks[0], vector: f.scores[1], vectorRank: f.ranks[1], fused: f.fused },
      relevance: Math.max(coverage, stack.embedder.local ? 0 : Math.min(1, Math.max(0, (cosine - 0.5) * 2))),
    });
    if (chunks.length >= limit) break;
  }
  return {
    chunks,
    mode,
    embedder: { id: stack.embedder.id, label: stack.embedder.label, local: stack.embedder.local },
    index: {
      backend: stack.index.backend,
      label: stack.index.label,
      rebuilding: !!rec && (!matches(rec, stack) || rec.rebuildingSince !== null),
      vectorLeg,
    },
    timings: { fts_ms: ftsMs, vector_ms: vecMs, total_ms: Date.now() - t0 },
  };
}
