import { z } from "@hono/zod-openapi";
import { SOURCE_KINDS, SOURCE_STATUSES } from "../../../schema/knowledge";
import type { RetrievedChunk, RetrieveResult } from "./retrieve";

export const collectionSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use 1–40 lower-case letters, digits, - or _")
  .openapi({ example: "default" });

export const sourceSchema = z
  .object({
    id: z.string(),
    kind: z.enum(SOURCE_KINDS),
    title: z.string(),
    collection: z.string(),
    mime_type: z.string(),
    url: z.string().nullable(),
    size_bytes: z.number().int(),
    status: z.enum(SOURCE_STATUSES),
    progress: z.number().int().openapi({ description: "0–100 while indexing" }),
    error: z.string().nullable().openapi({ description: "Why indexing failed" }),
    version: z.number().int(),
    chunk_count: z.number().int(),
    indexed_at: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("KnowledgeSource");

export const chunkSchema = z
  .object({
    id: z.string(),
    source_id: z.string(),
    position: z.number().int(),
    heading_path: z.array(z.string()),
    text: z.string(),
    tokens: z.number().int(),
  })
  .openapi("KnowledgeChunk");

export const retrievedSchema = z
  .object({
    chunk_id: z.string(),
    source_id: z.string(),
    source_title: z.string(),
    source_kind: z.string(),
    source_url: z.string().nullable(),
    collection: z.string(),
    heading_path: z.array(z.string()),
    position: z.number().int(),
    text: z.string(),
    scores: z.object({
      fts: z.number().nullable(),
      fts_rank: z.number().int().nullable(),
      vector: z.number().nullable(),
      vector_rank: z.number().int().nullable(),
      fused: z.number(),
    }),
    relevance: z.number(),
  })
  .openapi("RetrievedChunk");

export const searchResultSchema = z
  .object({
    data: z.array(retrievedSchema),
    mode: z.enum(["hybrid", "fts", "vector"]),
    embedder: z.object({ id: z.string(), label: z.string(), local: z.boolean() }),
    index: z.object({ backend: z.string(), label: z.string(), rebuilding: z.boolean(), vector_leg: z.boolean() }),
    timings: z.object({ fts_ms: z.number(), vector_ms: z.number(), total_ms: z.number() }),
  })
  .openapi("KnowledgeSearchResult");

export const serializeChunk = (c: RetrievedChunk) => ({
  chunk_id: c.chunkId,
  source_id: c.sourceId,
  source_title: c.sourceTitle,
  source_kind: c.sourceKind,
  source_url: c.sourceUrl,
  collection: c.collection,
  heading_path: c.headingPath,
  position: c.position,
  text: c.text,
  scores: {
    fts: c.scores.fts,
    fts_rank: c.scores.ftsRank,
    vector: c.scores.vector,
    vector_rank: c.scores.vectorRank,
    fused: c.scores.fused,
  },
  relevance: Math.round(c.relevance * 1000) / 1000,
});

export const serializeRetrieved = (r: RetrieveResult) => ({
  data: r.chunks.map(serializeChunk),
  mode: r.mode,
  embedder: r.embedder,
  index: { backend: r.index.backend, label: r.index.label, rebuilding: r.index.rebuilding, vector_leg: r.index.vectorLeg },
  timings: r.timings,
});
