import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const SOURCE_KINDS = ["file", "faq", "url"] as const;
export const SOURCE_STATUSES = ["queued", "indexing", "ready", "failed"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

/** A knowledge source: an uploaded file, an FAQ entry or an imported URL. Originals live in R2. */
export const kbSources = sqliteTable(
  "kb_sources",
  {
    tenantId: tenantId(),
    id: id(),
    collection: text("collection").notNull().default("default"),
    kind: text("kind", { enum: SOURCE_KINDS }).notNull(),
    title: text("title").notNull(),
    mimeType: text("mime_type").notNull(),
    r2Key: text("r2_key"), // tenant/<id>/knowledge/<source id>/<version>
    url: text("url"),
    sizeBytes: integer("size_bytes").notNull().default(0),
    status: text("status", { enum: SOURCE_STATUSES }).notNull(),
    progress: integer("progress").notNull().default(0), // 0–100
    error: text("error"),
    version: integer("version").notNull().default(1), // bumped on every edit; queue messages carry it
    chunkCount: integer("chunk_count").notNull().default(0),
    createdBy: text("created_by").notNull(),
    indexedAt: timestamp("indexed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("kb_sources_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("kb_sources_tenant_collection_idx").on(t.tenantId, t.collection),
  ],
);

/** Retrieval units. `fts_scope` is the tenant's FTS token (see modules/knowledge/fts.ts). */
export const kbChunks = sqliteTable(
  "kb_chunks",
  {
    // INTEGER PRIMARY KEY = SQLite's rowid, stable across VACUUM: the FTS5 index keys on it.
    seq: integer("seq").primaryKey(),
    tenantId: tenantId(),
    id: text("id").notNull(),
    sourceId: text("source_id").notNull(),
    collection: text("collection").notNull(),
    position: integer("position").notNull(),
    heading: text("heading").notNull().default(""), // heading path joined with " › "
    text: text("text").notNull(),
    tokens: integer("tokens").notNull(),
    ftsScope: text("fts_scope").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("kb_chunks_tenant_id_uq").on(t.tenantId, t.id),
    index("kb_chunks_tenant_source_idx").on(t.tenantId, t.sourceId, t.position),
    index("kb_chunks_tenant_collection_idx").on(t.tenantId, t.collection),
  ],
);

/** The local D1-backed vector index (used when no Vectorize binding is configured). */
export const kbVectors = sqliteTable(
  "kb_vectors",
  {
    tenantId: tenantId(),
    chunkId: text("chunk_id").notNull(),
    sourceId: text("source_id").notNull(),
    collection: text("collection").notNull(),
    vector: blob("vector", { mode: "buffer" }).notNull(), // int8-quantised, see vectors.ts
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.chunkId] }), index("kb_vectors_tenant_source_idx").on(t.tenantId, t.sourceId)],
);

/**
 * One vector index per tenant: which backend, embedding model and dimension its vectors came
 * from. A configuration change that disagrees forces a rebuild instead of mixing vectors.
 */
export const kbIndexes = sqliteTable("kb_indexes", {
  tenantId: text("tenant_id").primaryKey(),
  backend: text("backend").notNull(), // "local-d1" | "vectorize"
  model: text("model").notNull(),
  dimensions: integer("dimensions").notNull(),
  generation: integer("generation").notNull().default(1), // bumped on every rebuild
  rebuildingSince: timestamp("rebuilding_since"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Per-tenant document frequency of stemmed terms: IDF for the local embedder's queries. */
export const kbTermStats = sqliteTable(
  "kb_term_stats",
  {
    tenantId: tenantId(),
    term: text("term").notNull(),
    df: integer("df").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.term] })],
);
