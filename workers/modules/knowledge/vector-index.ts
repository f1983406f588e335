import type { Ranked } from "./fuse";
import { localIndexQuery, type SqlRunner } from "./retrieval-core";
import { encodeVector } from "./vectors";

/**
 * Vector index behind one interface. Entries are chunk ids; the tenant is the namespace (and a
 * filter) everywhere, the collection an optional filter. Both return ids + scores; chunk text is
 * always read back from D1 with the tenant's condition.
 */
export interface VectorEntry {
  id: string; // chunk id
  sourceId: string;
  collection: string;
  vector: Float32Array;
}

export interface VectorIndex {
  readonly backend: "local-d1" | "vectorize";
  readonly label: string;
  /** Statements the local index can run in the same D1 batch as the chunk rows; remote ones write now. */
  upsert(tenantId: string, entries: VectorEntry[]): Promise<D1PreparedStatement[]>;
  query(tenantId: string, vector: Float32Array, opts: { topK: number; collection?: string; feedbackIds?: string[] }): Promise<Ranked[]>;
  deleteIds(tenantId: string, ids: string[]): Promise<D1PreparedStatement[]>;
  deleteSource(tenantId: string, sourceId: string, chunkIds: string[]): Promise<D1PreparedStatement[]>;
  deleteAll(tenantId: string, chunkIds: string[]): Promise<D1PreparedStatement[]>;
}

export function d1Runner(d1: D1Database): SqlRunner {
  return {
    async all<T>(sql: string, params: unknown[]) {
      return (
        await d1
          .prepare(sql)
          .bind(...params)
          .all<T>()
      ).results;
    },
  };
}

/** The embedded default: int8 vectors in `kb_vectors`, exact cosine by scanning the tenant's rows. */
export class LocalD1Index implements VectorIndex {
  readonly backend = "local-d1" as const;
  readonly label = "Local D1 vector index (exact scan)";
  constructor(private readonly d1: D1Database) {}
  async upsert(tenantId: string, entries: VectorEntry[]) {
    const now = Date.now();
    return entries.map((e) =>
      this.d1
        .prepare(
          "INSERT OR REPLACE INTO kb_vectors (tenant_id, chunk_id, source_id, collection, vector, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(tenantId, e.id, e.sourceId, e.collection, encodeVector(e.vector), now),
    );
  }
  query(tenantId: string, vector: Float32Array, opts: { topK: number; collection?: string; feedbackIds?: string[] }) {
    return localIndexQuery(d1Runner(this.d1), tenantId, vector, opts);
  }
  async deleteIds(tenantId: string, ids: string[]) {
    if (!ids.length) return [];
    return [
      this.d1
        .prepare("DELETE FROM kb_vectors WHERE tenant_id = ?1 AND chunk_id IN (SELECT value FROM json_each(?2))")
        .bind(tenantId, JSON.stringify(ids)),
    ];
  }
  async deleteSource(tenantId: string, sourceId: string) {
    return [this.d1.prepare("DELETE FROM kb_vectors WHERE tenant_id = ?1 AND source_id = ?2").bind(tenantId, sourceId)];
  }
  async deleteAll(tenantId: string) {
    return [this.d1.prepare("DELETE FROM kb_vectors WHERE tenant_id = ?1").bind(tenantId)];
  }
}

/**
 * Cloudflare Vectorize: one namespace per tenant, `collection` and `source_id` as metadata
 * (create a metadata index on `collection` for filtering). topK ≤ 100 without returned
 * metadata/values, so queries ask for ids only and the caller reads chunk text from D1.
 */
export class VectorizeVectorIndex implements VectorIndex {
  readonly backend = "vectorize" as const;
  readonly label = "Cloudflare Vectorize";
  constructor(private readonly index: VectorizeIndex) {}
  async upsert(tenantId: string, entries: VectorEntry[]) {
    for (let i = 0; i < entries.length; i += 500) {
      await this.index.upsert(
        entries.slice(i, i + 500).map((e) => ({
          id: e.id,
          namespace: tenantId,
          values: Array.from(e.vector),
          metadata: { collection: e.collection, source_id: e.sourceId },
        })),
      );
    }
    return [];
  }
  async query(tenantId: string, vector: Float32Array, opts: { topK: number; collection?: string }) {
    const res = await this.index.query(Array.from(vector), {
      topK: Math.min(100, opts.topK),
      namespace: tenantId,
      returnValues: false,
      returnMetadata: "none",
      ...(opts.collection ? { filter: { collection: opts.collection } } : {}),
    });
    return res.matches.map((m) => ({ id: m.id, score: m.score }));
  }
  async deleteIds(_tenantId: string, ids: string[]) {
    for (let i = 0; i < ids.length; i += 1000) await this.index.deleteByIds(ids.slice(i, i + 1000));
    return [];
  }
  deleteSource(tenantId: string, _sourceId: string, chunkIds: string[]) {
    return this.deleteIds(tenantId, chunkIds);
  }
  deleteAll(tenantId: string, chunkIds: string[]) {
    return this.deleteIds(tenantId, chunkIds);
  }
}
