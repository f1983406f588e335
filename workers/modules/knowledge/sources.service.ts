import { and, eq, sql } from "drizzle-orm";
import { kbChunks, kbSources, type SourceStatus } from "../../../schema/knowledge";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest, notFound, Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import type { KnowledgeStack } from "./config";
import { detectType, htmlTitle, type SupportedType } from "./extract";
import { storedEmbeddingText } from "./indexer";
import type { KnowledgeMessage } from "./messages";
import { dfDelta } from "./retrieval-core";

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
type SourceRow = typeof kbSources.$inferSelect;

export interface SourcesCtx {
  db: Db;
  d1: D1Database;
  files: R2Bucket;
  queue?: Queue<unknown>;
  stack: KnowledgeStack;
}

/** R2 key of a source's original: always under the tenant's prefix. */
export const sourceKey = (tenantId: string, sourceId: string) => `tenant/${tenantId}/knowledge/${sourceId}`;

export const serializeSource = (s: SourceRow) => ({
  id: s.id,
  kind: s.kind,
  title: s.title,
  collection: s.collection,
  mime_type: s.mimeType,
  url: s.url,
  size_bytes: s.sizeBytes,
  status: s.status,
  progress: s.progress,
  error: s.error,
  version: s.version,
  chunk_count: s.chunkCount,
  indexed_at: iso(s.indexedAt),
  created_by: s.createdBy,
  created_at: iso(s.createdAt)!,
  updated_at: iso(s.updatedAt)!,
});

export async function listSources(db: Db, tenantId: string, q: PageQuery & { collection?: string; status?: SourceStatus }) {
  const page = keyset(kbSources.createdAt, kbSources.id, q.cursor);
  const rows = await db
    .select()
    .from(kbSources)
    .where(
      tenantScope(db, tenantId).where(
        kbSources,
        page.where,
        q.collection ? eq(kbSources.collection, q.collection) : undefined,
        q.status ? eq(kbSources.status, q.status) : undefined,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeSource);
}

export async function getSource(db: Db, tenantId: string, id: string): Promise<SourceRow> {
  const row = await db
    .select()
    .from(kbSources)
    .where(tenantScope(db, tenantId).where(kbSources, eq(kbSources.id, id)))
    .get();
  if (!row) throw notFound("Knowledge source");
  return row;
}

/** Collections in use, with source counts (for filters in the UI). */
export async function listCollections(db: Db, tenantId: string) {
  const rows = await db
    .select({ collection: kbSources.collection, sources: sql<number>`count(*)`, chunks: sql<number>`sum(${kbSources.chunkCount})` })
    .from(kbSources)
    .where(eq(kbSources.tenantId, tenantId))
    .groupBy(kbSources.collection)
    .all();
  return rows.map((r) => ({ name: r.collection, sources: Number(r.sources), chunks: Number(r.chunks ?? 0) }));
}

async function enqueue(ctx: SourcesCtx, m: KnowledgeMessage) {
  if (!ctx.queue) throw new Problem(503, "indexing-unavailable", "Indexing unavailable", "The knowledge queue is not configured.");
  await ctx.queue.send(m);
}

interface NewSource {
  kind: "file" | "faq" | "url";
  title: string;
  collection: string;
  mimeType: SupportedType;
  url?: string | null;
  body: Uint8Array;
  createdBy: string;
}

async function createSource(ctx: SourcesCtx, tenantId: string, input: NewSource, actor: Actor) {
  const id = newId("src");
  const now = Date.now();
  const key = sourceKey(tenantId, id);
  const row: SourceRow = {
    tenantId,
    id,
    collection: input.collection,
    kind: input.kind,
    title: input.title.slice(0, 300),
    mimeType: input.mimeType,
    r2Key: key,
    url: input.url ?? null,
    sizeBytes: input.body.byteLength,
    status: "queued",
    progress: 0,
    error: null,
    version: 1,
    chunkCount: 0,
    createdBy: input.createdBy,
    indexedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.files.put(key, input.body, {
    httpMetadata: { contentType: input.mimeType },
    customMetadata: { tenant_id: tenantId, source_id: id, title: encodeURIComponent(row.title) },
  });
  try {
    await ctx.db.batch([
      ctx.db.insert(kbSources).values(row),
      auditInsert(ctx.db, actor, {
        tenantId,
        action: "knowledge.source_created",
        target: { type: "knowledge_source", id },
        metadata: { kind: row.kind, title: row.title, size: row.sizeBytes },
      }),
    ]);
  } catch (e) {
    await ctx.files.delete(key); // nothing half-written
    throw e;
  }
  await enqueue(ctx, { type: "index", tenantId, sourceId: id, version: 1 });
  return serializeSource(row);
}

export async function createFileSource(
  ctx: SourcesCtx,
  tenantId: string,
  file: File,
  opts: { title?: string; collection: string; createdBy: string },
  actor: Actor,
) {
  const type = detectType(file.name, file.type);
  if (!type)
    throw badRequest("Unsupported file type: upload Markdown (.md), plain text (.txt), HTML (.html) or PDF (.pdf).", {
      errors: [{ path: "file", message: "Unsupported file type" }],
    });
  if (file.size === 0) throw badRequest("The file is empty.", { errors: [{ path: "file", message: "Empty file" }] });
  if (file.size > MAX_UPLOAD_BYTES)
    throw new Problem(413, "too-large", "File too large", `Files up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB can be uploaded.`);
  const body = new Uint8Array(await file.arrayBuffer());
  return createSource(
    ctx,
    tenantId,
    { kind: "file", title: opts.title?.trim() || file.name, collection: opts.collection, mimeType: type, body, createdBy: opts.createdBy },
    actor,
  );
}

const faqMarkdown = (question: string, answer: string) => `## ${question.replace(/\n+/g, " ").trim()}\n\n${answer.trim()}\n`;

export async function createFaqSource(
  ctx: SourcesCtx,
  tenantId: string,
  input: { question: string; answer: string; collection: string; createdBy: string },
  actor: Actor,
) {
  const body = new TextEncoder().encode(faqMarkdown(input.question, input.answer));
  return createSource(
    ctx,
    tenantId,
    {
      kind: "faq",
      title: input.question.trim(),
      collection: input.collection,
      mimeType: "text/markdown",
      body,
      createdBy: input.createdBy,
    },
    actor,
  );
}

/** Fetches a page and stores it as an HTML (or text/Markdown/PDF) source. Errors explain what went wrong. */
export async function createUrlSource(
  ctx: SourcesCtx,
  tenantId: string,
  input: { url: string; collection: string; createdBy: string },
  actor: Actor,
  fetcher: typeof fetch = fetch,
) {
  let res: Response;
  try {
    res = await fetcher(input.url, {
      headers: {
        "User-Agent": "WeftKnowledgeBot/1.0 (+https://weft.dev)",
        Accept: "text/html,text/markdown,text/plain,application/pdf;q=0.9",
      },
      redirect: "follow",
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw new Problem(
      422,
      "url-unreachable",
      "Could not fetch the URL",
      `The page could not be fetched (${(e as Error).message || "network error"}). Check the address, or upload the page as a file if this server has no internet access.`,
    );
  }
  if (!res.ok) throw new Problem(422, "url-unreachable", "Could not fetch the URL", `The page answered HTTP ${res.status}.`);
  const declared = Number(res.headers.get("Content-Length") ?? 0);
  if (declared > MAX_UPLOAD_BYTES) throw new Problem(413, "too-large", "Page too large", "Pages up to 10 MB can be imported.");
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.byteLength > MAX_UPLOAD_BYTES) throw new Problem(413, "too-large", "Page too large", "Pages up to 10 MB can be imported.");
  const type = detectType(new URL(input.url).pathname, res.headers.get("Content-Type")) ?? "text/html";
  const title = (type === "text/html" ? htmlTitle(new TextDecoder().decode(body)) : null) ?? input.url;
  return createSource(
    ctx,
    tenantId,
    { kind: "url", title, collection: input.collection, mimeType: type, url: input.url, body, createdBy: input.createdBy },
    actor,
  );
}

/** FAQ text for the editor. */
export async function readFaq(files: R2Bucket, src: SourceRow): Promise<{ question: string; answer: string } | null> {
  if (src.kind !== "faq" || !src.r2Key) return null;
  const obj = await files.get(src.r2Key);
  if (!obj) return null;
  const md = await obj.text();
  const m = /^## (.*)\n\n([\s\S]*)$/.exec(md);
  return m ? { question: m[1]!, answer: m[2]!.trim() } : { question: src.title, answer: md };
}

/** Edits metadata and/or FAQ text; any content or collection change re-indexes (new version). */
export async function updateSource(
  ctx: SourcesCtx,
  tenantId: string,
  id: string,
  patch: { title?: string; collection?: string; question?: string; answer?: string },
  actor: Actor,
) {
  const src = await getSource(ctx.db, tenantId, id);
  if ((patch.question !== undefined || patch.answer !== undefined) && src.kind !== "faq")
    throw badRequest("Only FAQ entries have a question and answer to edit.");
  const now = Date.now();
  let reindex = patch.collection !== undefined && patch.collection !== src.collection;
  let sizeBytes = src.sizeBytes;
  let title = patch.title?.trim() || src.title;
  if (src.kind === "faq" && (patch.question !== undefined || patch.answer !== undefined)) {
    const cur = (await readFaq(ctx.files, src)) ?? { question: src.title, answer: "" };
    const q = patch.question ?? cur.question;
    const body = new TextEncoder().encode(faqMarkdown(q, patch.answer ?? cur.answer));
    await ctx.files.put(src.r2Key!, body, {
      httpMetadata: { contentType: "text/markdown" },
      customMetadata: { tenant_id: tenantId, source_id: id, title: encodeURIComponent(q) },
    });
    sizeBytes = body.byteLength;
    title = q.trim();
    reindex = true;
  }
  const next = {
    title,
    collection: patch.collection ?? src.collection,
    sizeBytes,
    updatedAt: now,
    ...(reindex ? { version: src.version + 1, status: "queued" as const, progress: 0, error: null } : {}),
  };
  await ctx.db.batch([
    ctx.db
      .update(kbSources)
      .set(next)
      .where(and(eq(kbSources.tenantId, tenantId), eq(kbSources.id, id))),
    auditInsert(ctx.db, actor, {
      tenantId,
      action: "knowledge.source_updated",
      target: { type: "knowledge_source", id },
      metadata: { title: next.title, reindex },
    }),
  ]);
  if (reindex) await enqueue(ctx, { type: "index", tenantId, sourceId: id, version: src.version + 1 });
  return serializeSource({ ...src, ...next });
}

export async function reindexSource(ctx: SourcesCtx, tenantId: string, id: string, actor: Actor) {
  const src = await getSource(ctx.db, tenantId, id);
  const now = Date.now();
  const next = { version: src.version + 1, status: "queued" as const, progress: 0, error: null, updatedAt: now };
  await ctx.db.batch([
    ctx.db
      .update(kbSources)
      .set(next)
      .where(and(eq(kbSources.tenantId, tenantId), eq(kbSources.id, id))),
    auditInsert(ctx.db, actor, { tenantId, action: "knowledge.source_reindexed", target: { type: "knowledge_source", id } }),
  ]);
  await enqueue(ctx, { type: "index", tenantId, sourceId: id, version: next.version });
  return serializeSource({ ...src, ...next });
}

/** Removes a source everywhere: D1 row, chunks (+FTS by trigger), vectors, DF stats, R2 original. */
export async function deleteSource(ctx: SourcesCtx, tenantId: string, id: string, actor: Actor) {
  const src = await getSource(ctx.db, tenantId, id);
  const chunks = await ctx.db
    .select({ id: kbChunks.id, text: kbChunks.text, heading: kbChunks.heading })
    .from(kbChunks)
    .where(and(eq(kbChunks.tenantId, tenantId), eq(kbChunks.sourceId, id)))
    .all();
  const vectorDeletes = await ctx.stack.index.deleteSource(
    tenantId,
    id,
    chunks.map((c) => c.id),
  );
  const delta = chunks.length ? dfDelta(chunks.map(storedEmbeddingText), -1) : null;
  const d1 = ctx.d1;
  await d1.batch([
    ...(delta
      ? [
          d1
            .prepare(
              `INSERT INTO kb_term_stats (tenant_id, term, df) SELECT ?1, key, value FROM json_each(?2) WHERE true ON CONFLICT (tenant_id, term) DO UPDATE SET df = max(0, df + excluded.df)`,
            )
            .bind(tenantId, JSON.stringify(delta)),
        ]
      : []),
    d1.prepare("DELETE FROM kb_chunks WHERE tenant_id = ?1 AND source_id = ?2").bind(tenantId, id),
    ...vectorDeletes,
    d1.prepare("DELETE FROM kb_sources WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, id),
    d1.prepare("DELETE FROM kb_term_stats WHERE tenant_id = ?1 AND df <= 0 AND term <> ''").bind(tenantId),
    rawStatement(
      d1,
      auditInsert(ctx.db, actor, {
        tenantId,
        action: "knowledge.source_deleted",
        target: { type: "knowledge_source", id },
        metadata: { title: src.title, chunks: chunks.length },
      }),
    ),
  ]);
  if (src.r2Key) await ctx.files.delete(src.r2Key);
}

/** A drizzle query as a raw D1 statement, to share one D1 batch() with raw SQL. */
export function rawStatement(d1: D1Database, q: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql: text, params } = q.toSQL();
  return d1.prepare(text).bind(...params);
}
