/**
 * Knowledge module — public service API (other modules import from here, never the internals).
 *
 *   retrieve({ env, tenantId, query, collection?, limit?, mode? }) → { chunks, embedder, index, timings }
 *     Hybrid retrieval (FTS5 BM25 + vectors, reciprocal rank fusion) over the tenant's sources.
 *     Each chunk: chunkId, sourceId, sourceTitle, headingPath, text, scores {fts, vector, fused},
 *     relevance (0–1, used for "I don't know").
 *
 * Sources are created through the HTTP API (routes.ts) or the service functions in
 * sources.service.ts; indexing is asynchronous on the `weft-knowledge` queue (indexer.ts).
 * Grounded answers live in the ai module: `answerQuestion()` in modules/ai.
 */
export { retrieve, type RetrievedChunk, type RetrieveResult, type RetrieveMode } from "./retrieve";
export { estimateTokens, sentences, terms, words } from "./text";

// Other modules turning their content into knowledge (the forum: a solved topic's question and
// accepted answer become an FAQ source, indexed like any other).
import type { Actor } from "../../platform/audit";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { knowledgeStack } from "./config";
import { createFaqSource } from "./sources.service";

/** Creates an FAQ source (question + answer, Markdown) and queues it for indexing; returns the source as the API shows it. */
export function createFaqSourceFor(
  env: Env,
  tenantId: string,
  input: { question: string; answer: string; collection: string; createdBy: string },
  actor: Actor,
) {
  return createFaqSource(
    { db: getDb(env.DB), d1: env.DB, files: env.FILES, queue: env.KNOWLEDGE, stack: knowledgeStack(env) },
    tenantId,
    input,
    actor,
  );
}
// Knowledge fusion's published documents: one source per document, replaced on republish, removed on unpublish.
export { upsertDocumentSource, removeDocumentSource, type PublishedDocument } from "./documents.port";
// Wizards (modules/wizards, AI agent configuration): a URL or typed document as a source, the collections.
export { addDocumentSourceFor, addUrlSourceFor, knowledgeCollections } from "./agent-sources";
