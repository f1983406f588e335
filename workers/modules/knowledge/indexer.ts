import { and, eq } from "drizzle-orm";
import { kbChunks, kbSources } from "../../../schema/knowledge";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { chunkBlocks, CHUNK_DEFAULTS, embeddingText } from "./chunk";
import { knowledgeStack, type KnowledgeStack } from "./config";
import { ExtractionError, extractBlocks, type SupportedType } from "./extract";
import { scopeToken } from "./fts";
import { ensureIndex, settleRebuild, type KCtx } from "./index.service";
import { knowledgeMessageSchema, type KnowledgeMessage } from "./messages";
import { dfDelta } from "./retrieval-core";

/** embeddingText() of a stored chunk row (heading path is stored joined with " › "). */
export const storedEmbeddingText = (c: { heading: string; text: string }) => (c.heading ? `${c.heading}\n${c.text}` : c.text);

const log = createLogger({ component: "knowledge-indexer" });
const EMBED_BATCH = 32;
export const MAX_CHUNKS_PER_SOURCE = 2000;

/** Queue consumer for `weft-knowledge`: validates, indexes, acks; failures retry then land in the DLQ. */
export async function consumeKnowledge(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = knowledgeMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      log.error("knowledge_message_invalid", { id: msg.id, issues: parsed.error.issues.length });
      msg.ack();
      continue;
    }
    try {
      await indexSource(env, parsed.data);
      msg.ack();
    } catch (e) {
      const final = msg.attempts >= 3;
      log.warn("knowledge_index_retry", { id: msg.id, attempts: msg.attempts, error: (e as Error).message });
      await markFailed(env, parsed.data, final ? `Indexing failed: ${(e as Error).message}` : null);
      msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    }
  }
}

/** Dead letters: the source is marked failed with the reason (it stays visible and re-indexable). */
export async function consumeKnowledgeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = knowledgeMessageSchema.safeParse(msg.body);
    if (parsed.success) await markFailed(env, parsed.data, "Indexing failed repeatedly; try re-indexing, or check the file.");
    msg.ack();
  }
}

async function markFailed(env: Env, m: KnowledgeMessage, reason: string | null) {
  const db = getDb(env.DB);
  await db
    .update(kbSources)
    .set(reason ? { status: "failed", error: reason, updatedAt: Date.now() } : { status: "queued", updatedAt: Date.now() })
    .where(and(eq(kbSources.tenantId, m.tenantId), eq(kbSources.id, m.sourceId), eq(kbSources.version, m.version)));
}

/**
 * Indexes one version of one source: read the original from R2, extract, chunk, embed, then in
 * one D1 transaction replace the source's chunks (FTS follows by trigger), local vectors and DF
 * statistics — guarded so a source deleted or edited meanwhile is left alone. Idempotent: a
 * redelivered message for an already indexed version changes nothing.
 */
export async function indexSource(
  env: Env,
  m: KnowledgeMessage,
  stack: KnowledgeStack = knowledgeStack(env),
): Promise<"indexed" | "skipped" | "failed"> {
  const db = getDb(env.DB);
  const ctx: KCtx = { db, d1: env.DB, queue: env.KNOWLEDGE };
  const where = and(eq(kbSources.tenantId, m.tenantId), eq(kbSources.id, m.sourceId));
  const src = await db.select().from(kbSources).where(where).get();
  if (!src) return "skipped"; // deleted meanwhile
  // First: an index built with another model is rebuilt (every source re-queued) before anything is added.
  const { rebuilt } = await ensureIndex(ctx, m.tenantId, stack);
  if (rebuilt) return "skipped";
  if (src.version !== m.version) return "skipped"; // superseded by an edit
  if (src.status === "ready") return "skipped"; // redelivery

  const setProgress = (progress: number) =>
    db
      .update(kbSources)
      .set({ status: "indexing", progress, error: null, updatedAt: Date.now() })
      .where(and(where, eq(kbSources.version, m.version)))
      .run();
  await setProgress(5);

  const obj = src.r2Key ? await env.FILES.get(src.r2Key) : null;
  if (!obj) return fail(env, m, "The original file is missing from storage; upload it again.");
  let chunks;
  try {
    const blocks = await extractBlocks(new Uint8Array(await obj.arrayBuffer()), src.mimeType as SupportedType);
    chunks = chunkBlocks(blocks, { ...CHUNK_DEFAULTS, maxTokens: Math.min(CHUNK_DEFAULTS.maxTokens, stack.embedder.maxTokens - 32) });
  } catch (e) {
    if (e instanceof ExtractionError) return fail(env, m, e.message);
    throw e;
  }
  if (chunks.length === 0) return fail(env, m, "No text could be extracted from this source.");
  if (chunks.length > MAX_CHUNKS_PER_SOURCE)
    return fail(
      env,
      m,
      `This source is too large (${chunks.length} chunks; the limit is ${MAX_CHUNKS_PER_SOURCE}). Split it into smaller files.`,
    );
  await setProgress(30);

  const texts = chunks.map(embeddingText);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    vectors.push(...(await stack.embedder.embedDocuments(texts.slice(i, i + EMBED_BATCH))));
    if (texts.length > EMBED_BATCH) await setProgress(30 + Math.round((60 * Math.min(texts.length, i + EMBED_BATCH)) / texts.length));
  }

  const old = await db
    .select({ id: kbChunks.id, text: kbChunks.text, heading: kbChunks.heading })
    .from(kbChunks)
    .where(and(eq(kbChunks.tenantId, m.tenantId), eq(kbChunks.sourceId, m.sourceId)))
    .all();
  const now = Date.now();
  const rows = chunks.map((c, i) => ({
    id: newId("chk"),
    position: c.position,
    heading: c.headingPath.join(" › "),
    text: c.text,
    tokens: c.tokens,
    vector: vectors[i]!,
  }));
  const delta = dfDelta(texts, 1);
  for (const [k, v] of Object.entries(dfDelta(old.map(storedEmbeddingText), -1))) delta[k] = (delta[k] ?? 0) + v;
  for (const k of Object.keys(delta)) if (delta[k] === 0) delete delta[k];

  // Remote index (Vectorize) is written first; a failed D1 guard leaves unreachable vectors that
  // retrieval ignores (hits are joined to D1 chunks) and the next delete/rebuild removes.
  const vecStatements = await stack.index.upsert(
    m.tenantId,
    rows.map((r) => ({ id: r.id, sourceId: m.sourceId, collection: src.collection, vector: r.vector })),
  );
  const oldVecDeletes = await stack.index.deleteSource(
    m.tenantId,
    m.sourceId,
    old.map((o) => o.id),
  );
  const guard = "EXISTS (SELECT 1 FROM kb_sources WHERE tenant_id = ?1 AND id = ?2 AND version = ?3 AND status = 'indexing')";
  const d1 = env.DB;
  const scope = scopeToken(m.tenantId);
  const statements: D1PreparedStatement[] = [
    d1.prepare(`DELETE FROM kb_chunks WHERE tenant_id = ?1 AND source_id = ?2 AND ${guard}`).bind(m.tenantId, m.sourceId, m.version),
    ...oldVecDeletes,
  ];
  if (Object.keys(delta).length) {
    statements.push(
      d1
        .prepare(
          `INSERT INTO kb_term_stats (tenant_id, term, df) SELECT ?1, key, value FROM json_each(?4)
           WHERE EXISTS (SELECT 1 FROM kb_sources WHERE tenant_id = ?1 AND id = ?2 AND version = ?3 AND status = 'indexing')
           ON CONFLICT (tenant_id, term) DO UPDATE SET df = max(0, df + excluded.df)`,
        )
        .bind(m.tenantId, m.sourceId, m.version, JSON.stringify(delta)),
    );
  }
  for (let i = 0; i < rows.length; i += 50) {
    const part = rows.slice(i, i + 50).map((r) => ({ id: r.id, position: r.position, heading: r.heading, text: r.text, tokens: r.tokens }));
    statements.push(
      d1
        .prepare(
          `INSERT INTO kb_chunks (tenant_id, id, source_id, collection, position, heading, text, tokens, fts_scope, created_at)
           SELECT ?1, j.value->>'id', ?2, ?4, j.value->>'position', j.value->>'heading', j.value->>'text', j.value->>'tokens', ?5, ?6
           FROM json_each(?7) j WHERE ${guard}`,
        )
        .bind(m.tenantId, m.sourceId, m.version, src.collection, scope, now, JSON.stringify(part)),
    );
  }
  if (stack.index.backend === "local-d1") {
    // Local vectors go in the same transaction, behind the same guard.
    for (const s of vecStatements) statements.push(s);
  }
  statements.push(
    d1
      .prepare(
        `UPDATE kb_sources SET status = 'ready', progress = 100, error = NULL, chunk_count = ?4, indexed_at = ?5, updated_at = ?5 WHERE tenant_id = ?1 AND id = ?2 AND version = ?3 AND status = 'indexing'`,
      )
      .bind(m.tenantId, m.sourceId, m.version, rows.length, now),
  );
  const results = await d1.batch(statements);
  const done = (results[results.length - 1]!.meta.changes ?? 0) > 0;
  if (!done && stack.index.backend === "local-d1") {
    // Guard failed (deleted/edited meanwhile): the local vector inserts were unguarded; remove them.
    const cleanup = await stack.index.deleteIds(
      m.tenantId,
      rows.map((r) => r.id),
    );
    if (cleanup.length) await d1.batch(cleanup);
  }
  if (done) await settleRebuild(db, m.tenantId);
  log.info("knowledge_indexed", { tenant_id: m.tenantId, source_id: m.sourceId, version: m.version, chunks: rows.length, applied: done });
  return done ? "indexed" : "skipped";
}

async function fail(env: Env, m: KnowledgeMessage, reason: string): Promise<"failed"> {
  await markFailed(env, m, reason);
  await settleRebuild(getDb(env.DB), m.tenantId);
  return "failed";
}
