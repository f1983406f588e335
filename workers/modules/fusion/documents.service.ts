import { and, eq, or, sql } from "drizzle-orm";
import { fusionDocuments, type FusionKind, type FusionStatus } from "../../../schema/fusion";
import { auditInsert, type Actor } from "../../platform/audit";
import { containsPattern, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { checkOutput } from "../ai";
import { removeDocumentSource, upsertDocumentSource, type PublishedDocument } from "../knowledge";

/** Fusion documents: list, read, edit (clears the AI mark), review, publish into the knowledge base, unpublish. */

export type DocRow = typeof fusionDocuments.$inferSelect;
/** The knowledge collection published documents go to (the chat widget and the writer retrieve from it). */
export const SALES_COLLECTION = "sales";

export async function getDocument(db: Db, tenantId: string, id: string): Promise<DocRow> {
  const row = await db
    .select()
    .from(fusionDocuments)
    .where(tenantScope(db, tenantId).where(fusionDocuments, eq(fusionDocuments.id, id)))
    .get();
  if (!row) throw notFound("Document");
  return row;
}

export async function listDocuments(db: Db, tenantId: string, q: PageQuery & { kind?: FusionKind; status?: FusionStatus; q?: string }) {
  const k = keyset(fusionDocuments.createdAt, fusionDocuments.id, q.cursor);
  const text = q.q?.trim();
  const rows = await db
    .select()
    .from(fusionDocuments)
    .where(
      tenantScope(db, tenantId).where(
        fusionDocuments,
        q.kind ? eq(fusionDocuments.kind, q.kind) : undefined,
        q.status ? eq(fusionDocuments.status, q.status) : undefined,
        text
          ? or(
              sql`${fusionDocuments.title} like ${containsPattern(text)} escape '\\'`,
              sql`${fusionDocuments.body} like ${containsPattern(text)} escape '\\'`,
            )
          : undefined,
        k.where,
      ),
    )
    .orderBy(...k.orderBy)
    .limit(q.limit + 1)
    .all();
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => r,
  );
}

/** A person's edit: the text is theirs now (`ai_generated` false), checked by the safety rules again. A published document is unpublished first. */
export async function editDocument(
  env: Env,
  db: Db,
  tenantId: string,
  id: string,
  patch: { title?: string; body?: string },
  by: string,
): Promise<DocRow> {
  const doc = await getDocument(db, tenantId, id);
  if (doc.status === "published")
    throw conflict("Unpublish the document before editing it: the knowledge base keeps the published text.", "document-published");
  const title = patch.title ?? doc.title;
  const body = patch.body ?? doc.body;
  const decision = await checkOutput(env, tenantId, "fusion", `${title}\n\n${body}`, { db });
  const now = Date.now();
  const set = { title, body, aiGenerated: false, editedBy: by, editedAt: now, safetyAction: decision.action, updatedAt: now };
  await db
    .update(fusionDocuments)
    .set(set)
    .where(and(eq(fusionDocuments.tenantId, tenantId), eq(fusionDocuments.id, id)));
  return { ...doc, ...set };
}

export async function reviewDocument(db: Db, tenantId: string, id: string, by: string, actor: Actor): Promise<DocRow> {
  const doc = await getDocument(db, tenantId, id);
  if (doc.status !== "draft") return doc; // reviewed or published already: nothing to do
  const now = Date.now();
  const set = { status: "reviewed" as const, reviewedBy: by, reviewedAt: now, updatedAt: now };
  await db.batch([
    db
      .update(fusionDocuments)
      .set(set)
      .where(and(eq(fusionDocuments.tenantId, tenantId), eq(fusionDocuments.id, id), eq(fusionDocuments.status, "draft"))),
    auditInsert(db, actor, {
      tenantId,
      action: "fusion.document_reviewed",
      target: { type: "fusion_document", id },
      metadata: { kind: doc.kind },
    }),
  ]);
  return { ...doc, ...set };
}

/** What the knowledge base gets: an FAQ entry for FAQs, a Markdown document for the rest. */
export function asKnowledge(doc: DocRow): PublishedDocument {
  if (doc.kind === "faq") {
    // The answer without the evidence lists below it ("## Asked in" …) — those are for reviewers.
    const answer = doc.body.split(/\n## /)[0]?.trim() || doc.body;
    return { kind: "faq", question: doc.title, answer };
  }
  return { kind: "markdown", title: doc.title, markdown: `# ${doc.title}\n\n${doc.body}\n` };
}

export async function publishDocument(env: Env, db: Db, tenantId: string, id: string, by: string, actor: Actor): Promise<DocRow> {
  const doc = await getDocument(db, tenantId, id);
  if (doc.status === "draft") throw conflict("Review the document before publishing it.", "document-not-reviewed");
  if (doc.safetyAction === "held" || doc.safetyAction === "blocked")
    throw conflict("The AI safety rules stopped this text; edit it so they pass, then publish.", "document-held");
  const sourceId = await upsertDocumentSource(
    env,
    tenantId,
    doc.knowledgeSourceId,
    asKnowledge(doc),
    { collection: SALES_COLLECTION, createdBy: by },
    actor,
  );
  const now = Date.now();
  const set = { status: "published" as const, knowledgeSourceId: sourceId, publishedBy: by, publishedAt: now, updatedAt: now };
  await db.batch([
    db
      .update(fusionDocuments)
      .set(set)
      .where(and(eq(fusionDocuments.tenantId, tenantId), eq(fusionDocuments.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "fusion.document_published",
      target: { type: "fusion_document", id },
      metadata: { kind: doc.kind, title: doc.title, knowledge_source_id: sourceId, collection: SALES_COLLECTION },
    }),
  ]);
  return { ...doc, ...set };
}

export async function unpublishDocument(env: Env, db: Db, tenantId: string, id: string, actor: Actor): Promise<DocRow> {
  const doc = await getDocument(db, tenantId, id);
  if (doc.status !== "published") throw conflict("The document is not published.", "document-not-published");
  if (doc.knowledgeSourceId) await removeDocumentSource(env, tenantId, doc.knowledgeSourceId, actor);
  const now = Date.now();
  const set = { status: "reviewed" as const, knowledgeSourceId: null, updatedAt: now };
  await db.batch([
    db
      .update(fusionDocuments)
      .set(set)
      .where(and(eq(fusionDocuments.tenantId, tenantId), eq(fusionDocuments.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "fusion.document_unpublished",
      target: { type: "fusion_document", id },
      metadata: { kind: doc.kind, title: doc.title, knowledge_source_id: doc.knowledgeSourceId },
    }),
  ]);
  return { ...doc, ...set };
}

/** One opening in the dashboard (the document page calls this once per visit). Retrieval hits do not count. */
export async function recordView(db: Db, tenantId: string, id: string): Promise<number> {
  const row = await db
    .update(fusionDocuments)
    .set({ viewCount: sql`${fusionDocuments.viewCount} + 1` })
    .where(and(eq(fusionDocuments.tenantId, tenantId), eq(fusionDocuments.id, id)))
    .returning({ viewCount: fusionDocuments.viewCount })
    .get();
  if (!row) throw notFound("Document");
  return row.viewCount;
}
