import { and, eq, sql } from "drizzle-orm";
import { kbChunks, kbIndexes, kbSources } from "../../../schema/knowledge";
import type { Db } from "../../platform/db";
import type { KnowledgeStack } from "./config";
import type { KnowledgeMessage } from "./messages";

/**
 * The tenant's vector-index record: backend, embedding model and dimension. `ensureIndex` creates
 * it on first use; when the configured stack disagrees it starts a rebuild: every vector of the
 * tenant is dropped, the record switches to the new model, and every source is re-queued — so
 * vectors from two models are never compared.
 */
export type IndexRecord = typeof kbIndexes.$inferSelect;

export function matches(rec: IndexRecord, stack: KnowledgeStack) {
  return rec.backend === stack.index.backend && rec.model === stack.embedder.id && rec.dimensions === stack.embedder.dimensions;
}

export async function getIndexRecord(db: Db, tenantId: string) {
  return (await db.select().from(kbIndexes).where(eq(kbIndexes.tenantId, tenantId)).get()) ?? null;
}

/** What the knowledge services need from the environment. */
export interface KCtx {
  db: Db;
  d1: D1Database;
  queue?: Queue<unknown>;
}

export async function ensureIndex(
  { db, d1, queue }: KCtx,
  tenantId: string,
  stack: KnowledgeStack,
): Promise<{ record: IndexRecord; rebuilt: boolean }> {
  const now = Date.now();
  const rec = await getIndexRecord(db, tenantId);
  if (!rec) {
    const fresh: IndexRecord = {
      tenantId,
      backend: stack.index.backend,
      model: stack.embedder.id,
      dimensions: stack.embedder.dimensions,
      generation: 1,
      rebuildingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await db.insert(kbIndexes).values(fresh).onConflictDoNothing();
    return { record: (await getIndexRecord(db, tenantId)) ?? fresh, rebuilt: false };
  }
  if (matches(rec, stack)) return { record: rec, rebuilt: false };
  return { record: await rebuild({ db, d1, queue }, tenantId, stack, rec), rebuilt: true };
}

/** Drops the tenant's vectors, records the new model and re-queues every source. */
export async function rebuild(
  { db, d1, queue }: KCtx,
  tenantId: string,
  stack: KnowledgeStack,
  rec?: IndexRecord | null,
): Promise<IndexRecord> {
  const now = Date.now();
  const chunkIds = (await db.select({ id: kbChunks.id }).from(kbChunks).where(eq(kbChunks.tenantId, tenantId)).all()).map((r) => r.id);
  const vectorDeletes = await stack.index.deleteAll(tenantId, chunkIds);
  if (vectorDeletes.length) await d1.batch(vectorDeletes);
  const next: IndexRecord = {
    tenantId,
    backend: stack.index.backend,
    model: stack.embedder.id,
    dimensions: stack.embedder.dimensions,
    generation: (rec?.generation ?? 0) + 1,
    rebuildingSince: now,
    createdAt: rec?.createdAt ?? now,
    updatedAt: now,
  };
  await db.batch([
    db
      .insert(kbIndexes)
      .values(next)
      .onConflictDoUpdate({
        target: kbIndexes.tenantId,
        set: {
          backend: next.backend,
          model: next.model,
          dimensions: next.dimensions,
          generation: next.generation,
          rebuildingSince: now,
          updatedAt: now,
        },
      }),
    db
      .update(kbSources)
      .set({ status: "queued", progress: 0, error: null, version: sql`${kbSources.version} + 1`, updatedAt: now })
      .where(eq(kbSources.tenantId, tenantId)),
  ]);
  const sources = await db
    .select({ id: kbSources.id, version: kbSources.version })
    .from(kbSources)
    .where(eq(kbSources.tenantId, tenantId))
    .all();
  const msgs: KnowledgeMessage[] = sources.map((s) => ({ type: "index", tenantId, sourceId: s.id, version: s.version }));
  for (let i = 0; i < msgs.length; i += 100) await queue?.sendBatch(msgs.slice(i, i + 100).map((body) => ({ body })));
  return next;
}

/** Clears "rebuilding" once no source of the tenant is waiting. */
export async function settleRebuild(db: Db, tenantId: string) {
  await db
    .update(kbIndexes)
    .set({ rebuildingSince: null, updatedAt: Date.now() })
    .where(
      and(
        eq(kbIndexes.tenantId, tenantId),
        sql`${kbIndexes.rebuildingSince} IS NOT NULL`,
        sql`NOT EXISTS (SELECT 1 FROM kb_sources WHERE tenant_id = ${tenantId} AND status IN ('queued', 'indexing'))`,
      ),
    );
}
