import { and, asc, eq, ne, sql } from "drizzle-orm";
import { forumCategories, forumTopics, type ForumPostAccess, type ForumReadAccess } from "../../../schema/forum";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest, conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { iso } from "../../platform/request";
import { canRead, canStartTopic, type CategoryRow, type Viewer } from "./access";

/** Categories: ordered, with read/topic/reply access and a minimum trust level to start topics. */

export interface CategoryInput {
  name: string;
  slug?: string;
  description?: string;
  color?: string;
  read_access?: ForumReadAccess;
  topic_access?: ForumPostAccess;
  reply_access?: ForumPostAccess;
  min_trust_to_topic?: number;
  questions?: boolean;
  archived?: boolean;
}

export const slugify = (s: string, fallback = "category") =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "") || fallback;

export async function listCategoryRows(db: Db, tenantId: string, includeArchived = true): Promise<CategoryRow[]> {
  const rows = await db
    .select()
    .from(forumCategories)
    .where(tenantScope(db, tenantId).where(forumCategories))
    .orderBy(asc(forumCategories.position), asc(forumCategories.createdAt));
  return includeArchived ? rows : rows.filter((r) => r.archivedAt === null);
}

/** The categories a viewer may read, in order (archived ones stay readable, marked). */
export async function readableCategories(db: Db, tenantId: string, v: Viewer): Promise<CategoryRow[]> {
  return (await listCategoryRows(db, tenantId)).filter((c) => canRead(c, v));
}

export async function getCategoryRow(db: Db, tenantId: string, id: string): Promise<CategoryRow> {
  const row = await db
    .select()
    .from(forumCategories)
    .where(tenantScope(db, tenantId).where(forumCategories, eq(forumCategories.id, id)))
    .get();
  if (!row) throw notFound("Category");
  return row;
}

/** A category the viewer may read; 404 (never 403) otherwise. */
export async function readableCategory(db: Db, tenantId: string, id: string, v: Viewer): Promise<CategoryRow> {
  const row = await getCategoryRow(db, tenantId, id).catch(() => null);
  if (!row || !canRead(row, v)) throw notFound("Category");
  return row;
}

export async function categoryBySlug(db: Db, tenantId: string, slug: string, v: Viewer): Promise<CategoryRow> {
  const row = await db
    .select()
    .from(forumCategories)
    .where(tenantScope(db, tenantId).where(forumCategories, eq(forumCategories.slug, slug)))
    .get();
  if (!row || !canRead(row, v)) throw notFound("Category");
  return row;
}

async function slugTaken(db: Db, tenantId: string, slug: string, exceptId?: string) {
  const row = await db
    .select({ id: forumCategories.id })
    .from(forumCategories)
    .where(
      tenantScope(db, tenantId).where(
        forumCategories,
        eq(forumCategories.slug, slug),
        exceptId ? ne(forumCategories.id, exceptId) : undefined,
      ),
    )
    .get();
  return row !== undefined;
}

export async function createCategory(db: Db, tenantId: string, input: CategoryInput, actor: Actor): Promise<CategoryRow> {
  const slug = input.slug ?? slugify(input.name);
  if (await slugTaken(db, tenantId, slug)) throw conflict(`Another category already has the slug "${slug}".`, "slug-taken");
  const last = await db
    .select({ max: sql<number | null>`max(${forumCategories.position})` })
    .from(forumCategories)
    .where(tenantScope(db, tenantId).where(forumCategories))
    .get();
  const now = Date.now();
  const row: CategoryRow = {
    tenantId,
    id: newId("fcat"),
    slug,
    name: input.name,
    description: input.description ?? "",
    color: input.color ?? "#6366f1",
    position: (last?.max ?? -1) + 1,
    readAccess: input.read_access ?? "public",
    topicAccess: input.topic_access ?? "signed_in",
    replyAccess: input.reply_access ?? "signed_in",
    minTrustToTopic: input.min_trust_to_topic ?? 0,
    questions: input.questions ?? false,
    topicCount: 0,
    postCount: 0,
    lastPostedAt: null,
    archivedAt: input.archived ? now : null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(forumCategories).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "forum.category.created",
      target: { type: "forum_category", id: row.id },
      metadata: { slug },
    }),
  ]);
  return row;
}

export async function updateCategory(
  db: Db,
  tenantId: string,
  id: string,
  input: Partial<CategoryInput>,
  actor: Actor,
): Promise<CategoryRow> {
  const cur = await getCategoryRow(db, tenantId, id);
  if (input.slug && input.slug !== cur.slug && (await slugTaken(db, tenantId, input.slug, id)))
    throw conflict(`Another category already has the slug "${input.slug}".`, "slug-taken");
  const now = Date.now();
  const set = {
    slug: input.slug ?? cur.slug,
    name: input.name ?? cur.name,
    description: input.description ?? cur.description,
    color: input.color ?? cur.color,
    readAccess: input.read_access ?? cur.readAccess,
    topicAccess: input.topic_access ?? cur.topicAccess,
    replyAccess: input.reply_access ?? cur.replyAccess,
    minTrustToTopic: input.min_trust_to_topic ?? cur.minTrustToTopic,
    questions: input.questions ?? cur.questions,
    archivedAt: input.archived === undefined ? cur.archivedAt : input.archived ? (cur.archivedAt ?? now) : null,
    updatedAt: now,
  };
  await db.batch([
    db
      .update(forumCategories)
      .set(set)
      .where(tenantScope(db, tenantId).where(forumCategories, eq(forumCategories.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "forum.category.updated",
      target: { type: "forum_category", id },
      metadata: { changed: Object.keys(input) },
    }),
  ]);
  return { ...cur, ...set };
}

/** Deletes an empty category; one with topics must have them moved or deleted first (409). */
export async function deleteCategory(db: Db, tenantId: string, id: string, actor: Actor): Promise<void> {
  const cur = await getCategoryRow(db, tenantId, id);
  const topic = await db
    .select({ id: forumTopics.id })
    .from(forumTopics)
    .where(tenantScope(db, tenantId).where(forumTopics, eq(forumTopics.categoryId, id)))
    .limit(1)
    .get();
  if (topic) throw conflict("This category has topics: move them to another category (or archive it) first.", "category-not-empty");
  await db.batch([
    db.delete(forumCategories).where(and(eq(forumCategories.tenantId, tenantId), eq(forumCategories.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "forum.category.deleted",
      target: { type: "forum_category", id },
      metadata: { slug: cur.slug },
    }),
  ]);
}

/** New order: `ids` must name every category of the workspace exactly once. */
export async function reorderCategories(db: Db, tenantId: string, ids: string[], actor: Actor): Promise<CategoryRow[]> {
  const rows = await listCategoryRows(db, tenantId);
  const known = new Set(rows.map((r) => r.id));
  if (ids.some((id) => !known.has(id))) throw notFound("Category");
  if (new Set(ids).size !== ids.length || ids.length !== rows.length)
    throw badRequest("`ids` must list every category of the workspace exactly once.", {
      errors: [{ path: "ids", message: "every category, once" }],
    });
  const now = Date.now();
  await db.batch([
    auditInsert(db, actor, { tenantId, action: "forum.category.reordered", metadata: { ids } }),
    ...ids.map((id, position) =>
      db
        .update(forumCategories)
        .set({ position, updatedAt: now })
        .where(and(eq(forumCategories.tenantId, tenantId), eq(forumCategories.id, id))),
    ),
  ]);
  return listCategoryRows(db, tenantId);
}

export const serializeCategory = (c: CategoryRow, v?: Viewer) => ({
  id: c.id,
  slug: c.slug,
  name: c.name,
  description: c.description,
  color: c.color,
  position: c.position,
  read_access: c.readAccess,
  topic_access: c.topicAccess,
  reply_access: c.replyAccess,
  min_trust_to_topic: c.minTrustToTopic,
  questions: c.questions,
  topic_count: c.topicCount,
  post_count: c.postCount,
  last_posted_at: iso(c.lastPostedAt),
  archived: c.archivedAt !== null,
  ...(v ? { can_start_topic: canStartTopic(c, v) } : {}),
  created_at: new Date(c.createdAt).toISOString(),
  updated_at: new Date(c.updatedAt).toISOString(),
});
