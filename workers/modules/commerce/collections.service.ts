import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { commerceCollections, commerceProductCollections, commerceProducts } from "../../../schema/commerce";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { chunks } from "./products.read";
import { freeSlug, slugify } from "./catalogue.writes";

/** Collections (categories) of products: a product may be in several. */

type CollectionRow = typeof commerceCollections.$inferSelect;
type Stmt = BatchItem<"sqlite">;
export interface CollectionInput {
  title: string;
  slug?: string;
  description?: string;
  product_ids?: string[];
}

export const serializeCollection = (c: CollectionRow & { productCount: number }) => ({
  id: c.id,
  title: c.title,
  slug: c.slug,
  description: c.description,
  product_count: c.productCount,
  created_at: new Date(c.createdAt).toISOString(),
  updated_at: new Date(c.updatedAt).toISOString(),
});

const countCol = sql<number>`(SELECT count(*) FROM ${commerceProductCollections} pc WHERE pc.tenant_id = ${commerceCollections.tenantId} AND pc.collection_id = ${commerceCollections.id})`;

/** A workspace's collections by title (a catalogue has tens of them, not thousands: one list, no pages). */
export async function listCollections(db: Db, tenantId: string) {
  const rows = await db
    .select({ c: commerceCollections, productCount: countCol })
    .from(commerceCollections)
    .where(tenantScope(db, tenantId).where(commerceCollections))
    .orderBy(asc(commerceCollections.title), asc(commerceCollections.id))
    .limit(500);
  return rows.map((r) => serializeCollection({ ...r.c, productCount: r.productCount }));
}

export async function getCollection(db: Db, tenantId: string, id: string) {
  const r = await db
    .select({ c: commerceCollections, productCount: countCol })
    .from(commerceCollections)
    .where(tenantScope(db, tenantId).where(commerceCollections, eq(commerceCollections.id, id)))
    .get();
  if (!r) throw notFound("Collection");
  return serializeCollection({ ...r.c, productCount: r.productCount });
}

async function assertProducts(db: Db, tenantId: string, ids: string[]) {
  const have = new Set<string>();
  for (const part of chunks(ids)) {
    const rows = await db
      .select({ id: commerceProducts.id })
      .from(commerceProducts)
      .where(tenantScope(db, tenantId).where(commerceProducts, inArray(commerceProducts.id, part)));
    for (const r of rows) have.add(r.id);
  }
  const missing = ids.filter((id) => !have.has(id));
  if (missing.length) throw validationFailed([{ path: "product_ids", message: `no such product: ${missing.join(", ")}` }]);
}

function linkStatements(db: Db, tenantId: string, collectionId: string, productIds: string[], now: number): Stmt[] {
  return [
    db
      .delete(commerceProductCollections)
      .where(and(eq(commerceProductCollections.tenantId, tenantId), eq(commerceProductCollections.collectionId, collectionId))),
    ...chunks([...new Set(productIds)], 25).map((part) =>
      db.insert(commerceProductCollections).values(part.map((productId) => ({ tenantId, collectionId, productId, createdAt: now }))),
    ),
  ];
}

const slugTaken = (slug: string) => conflict(`Another collection of this workspace has the slug "${slug}".`, "slug-taken");
const isSlugClash = (err: unknown) =>
  /UNIQUE constraint failed: commerce_collections/.test(`${(err as Error)?.message} ${(err as Error)?.cause ?? ""}`);

export async function createCollection(db: Db, tenantId: string, input: CollectionInput) {
  if (input.product_ids?.length) await assertProducts(db, tenantId, input.product_ids);
  const slug = input.slug ?? (await freeSlug(db, commerceCollections, tenantId, slugify(input.title)));
  const now = Date.now();
  const id = newId("col");
  try {
    await db.batch([
      db
        .insert(commerceCollections)
        .values({ tenantId, id, title: input.title, slug, description: input.description ?? "", createdAt: now, updatedAt: now }),
      ...(input.product_ids ? linkStatements(db, tenantId, id, input.product_ids, now) : []),
    ]);
  } catch (err) {
    if (isSlugClash(err)) throw slugTaken(slug);
    throw err;
  }
  return getCollection(db, tenantId, id);
}

export async function updateCollection(db: Db, tenantId: string, id: string, patch: Partial<CollectionInput>) {
  await getCollection(db, tenantId, id);
  if (patch.product_ids?.length) await assertProducts(db, tenantId, patch.product_ids);
  const now = Date.now();
  try {
    await db.batch([
      db
        .update(commerceCollections)
        .set({
          ...(patch.title !== undefined ? { title: patch.title } : {}),
          ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          updatedAt: now,
        })
        .where(and(eq(commerceCollections.tenantId, tenantId), eq(commerceCollections.id, id))),
      ...(patch.product_ids ? linkStatements(db, tenantId, id, patch.product_ids, now) : []),
    ]);
  } catch (err) {
    if (isSlugClash(err) && patch.slug) throw slugTaken(patch.slug);
    throw err;
  }
  return getCollection(db, tenantId, id);
}

/** Deletes the collection (its products stay). */
export async function deleteCollection(db: Db, tenantId: string, id: string, actor: Actor): Promise<void> {
  const c = await getCollection(db, tenantId, id);
  const scope = tenantScope(db, tenantId);
  await db.batch([
    db.delete(commerceCollections).where(scope.where(commerceCollections, eq(commerceCollections.id, id))),
    db.delete(commerceProductCollections).where(scope.where(commerceProductCollections, eq(commerceProductCollections.collectionId, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "commerce.collection.deleted",
      target: { type: "commerce_collection", id },
      metadata: { slug: c.slug },
    }),
  ]);
}
