import { and, eq } from "drizzle-orm";
import { kbSources } from "../../../schema/knowledge";
import { auditInsert, type Actor } from "../../platform/audit";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { knowledgeStack } from "./config";
import { createFaqSource, createFileSource, deleteSource, getSource, sourceKey, updateSource, type SourcesCtx } from "./sources.service";

/**
 * Documents other modules write into the knowledge base and keep up to date (knowledge fusion's
 * published battle cards, playbooks, objection handlers as Markdown; its FAQs as FAQ entries):
 * create or replace one source, queued for indexing like any other, and remove it again.
 */

const ctxOf = (env: Env): SourcesCtx => ({
  db: getDb(env.DB),
  d1: env.DB,
  files: env.FILES,
  queue: env.KNOWLEDGE,
  stack: knowledgeStack(env),
});

export type PublishedDocument = { kind: "markdown"; title: string; markdown: string } | { kind: "faq"; question: string; answer: string };

/**
 * Writes `doc` as the source `sourceId` (a new version, re-indexed) or, when it is null or gone, as a
 * new source in `collection`. Returns the source's id.
 */
export async function upsertDocumentSource(
  env: Env,
  tenantId: string,
  sourceId: string | null,
  doc: PublishedDocument,
  o: { collection: string; createdBy: string },
  actor: Actor,
): Promise<string> {
  const ctx = ctxOf(env);
  const existing = sourceId ? await getSource(ctx.db, tenantId, sourceId).catch(() => null) : null;
  const wanted = doc.kind === "faq" ? "faq" : "file";
  if (existing && existing.kind === wanted) {
    if (doc.kind === "faq") {
      await updateSource(ctx, tenantId, existing.id, { question: doc.question, answer: doc.answer, collection: o.collection }, actor);
      return existing.id;
    }
    const body = new TextEncoder().encode(doc.markdown);
    const key = existing.r2Key ?? sourceKey(tenantId, existing.id);
    await ctx.files.put(key, body, {
      httpMetadata: { contentType: "text/markdown" },
      customMetadata: { tenant_id: tenantId, source_id: existing.id, title: encodeURIComponent(doc.title.slice(0, 300)) },
    });
    const version = existing.version + 1;
    await ctx.db.batch([
      ctx.db
        .update(kbSources)
        .set({
          title: doc.title.slice(0, 300),
          collection: o.collection,
          r2Key: key,
          mimeType: "text/markdown",
          sizeBytes: body.byteLength,
          version,
          status: "queued",
          progress: 0,
          error: null,
          updatedAt: Date.now(),
        })
        .where(and(eq(kbSources.tenantId, tenantId), eq(kbSources.id, existing.id))),
      auditInsert(ctx.db, actor, {
        tenantId,
        action: "knowledge.source_updated",
        target: { type: "knowledge_source", id: existing.id },
        metadata: { title: doc.title.slice(0, 300), reindex: true },
      }),
    ]);
    if (!ctx.queue) throw new Problem(503, "indexing-unavailable", "Indexing unavailable", "The knowledge queue is not configured.");
    await ctx.queue.send({ type: "index", tenantId, sourceId: existing.id, version });
    return existing.id;
  }
  if (existing) await deleteSource(ctx, tenantId, existing.id, actor); // the kind changed: replace it
  if (doc.kind === "faq") {
    const created = await createFaqSource(
      ctx,
      tenantId,
      { question: doc.question, answer: doc.answer, collection: o.collection, createdBy: o.createdBy },
      actor,
    );
    return created.id;
  }
  const name = `${doc.title.replace(/[^\p{L}\p{N}]+/gu, "-").slice(0, 80) || "document"}.md`;
  const created = await createFileSource(
    ctx,
    tenantId,
    new File([doc.markdown], name, { type: "text/markdown" }),
    { title: doc.title, collection: o.collection, createdBy: o.createdBy },
    actor,
  );
  return created.id;
}

/** Removes a source written by `upsertDocumentSource` (chunks, vectors, original); a source already gone is fine. */
export async function removeDocumentSource(env: Env, tenantId: string, sourceId: string, actor: Actor): Promise<void> {
  const ctx = ctxOf(env);
  const existing = await getSource(ctx.db, tenantId, sourceId).catch(() => null);
  if (existing) await deleteSource(ctx, tenantId, sourceId, actor);
}
