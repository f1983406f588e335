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
