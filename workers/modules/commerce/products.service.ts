import { and, eq, inArray, sql } from "drizzle-orm";
import {
  commerceCartLines,
  commerceProductCollections,
  commerceProducts,
  commerceReservations,
  commerceVariantPrices,
  commerceVariants,
} from "../../../schema/commerce";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import type { CreateProductInput, UpdateProductInput } from "./catalogue.schemas";
import { chunks, loadProducts, type ProductFull } from "./products.read";
import {
  assertCollections,
  assertFiles,
  assertSkusFree,
  checkVariantOptions,
  collectionLinks,
  freeSlug,
  keywordsStatement,
  runBatch,
  slugify,
  type Stmt,
  variantStatements,
} from "./catalogue.writes";

/** Products: create, edit, delete (variants: variants.service.ts; reservations: inventory.service.ts). */

export async function getProduct(db: Db, tenantId: string, id: string): Promise<ProductFull> {
  const [p] = await loadProducts(db, tenantId, [id]);
  if (!p) throw notFound("Product");
  return p;
}

export async function createProduct(env: Env, db: Db, tenantId: string, input: CreateProductInput): Promise<ProductFull> {
  const options = input.options ?? [];
  checkVariantOptions(options, input.variants);
  await Promise.all([
    assertSkusFree(
      db,
      tenantId,
      input.variants.map((v) => v.sku),
    ),
    assertCollections(db, tenantId, input.collection_ids ?? []),
    assertFiles(env, tenantId, input.images ?? [], "images"),
    assertFiles(env, tenantId, [input.digital_file_id], "digital_file_id"),
  ]);
  const slug = input.slug ?? (await freeSlug(db, commerceProducts, tenantId, slugify(input.title)));
  const now = Date.now();
  const id = newId("prod");
  const type = input.type ?? "physical";
  const stmts: Stmt[] = [
    db.insert(commerceProducts).values({
      tenantId,
      id,
      title: input.title,
      slug,
      description: input.description ?? "",
      status: input.status ?? "active",
      type,
      digitalFileId: input.digital_file_id ?? null,
      images: input.images ?? [],
      options,
      weightGrams: input.weight_grams ?? null,
      createdAt: now,
      updatedAt: now,
    }),
  ];
  input.variants.forEach((v, i) => {
    stmts.push(...variantStatements(db, tenantId, { id, options, type }, v, i, now).stmts);
  });
  stmts.push(keywordsStatement(db, tenantId, id));
  if (input.collection_ids?.length) stmts.push(...collectionLinks(db, tenantId, id, input.collection_ids, now));
  await runBatch(db, stmts, slug);
  return getProduct(db, tenantId, id);
}

export async function updateProduct(env: Env, db: Db, tenantId: string, id: string, patch: UpdateProductInput): Promise<ProductFull> {
  const current = await getProduct(db, tenantId, id);
  if (patch.options) checkVariantOptions(patch.options, current.variants, "options");
  await Promise.all([
    patch.collection_ids ? assertCollections(db, tenantId, patch.collection_ids) : undefined,
    patch.images ? assertFiles(env, tenantId, patch.images, "images") : undefined,
    patch.digital_file_id ? assertFiles(env, tenantId, [patch.digital_file_id], "digital_file_id") : undefined,
  ]);
  const now = Date.now();
  const stmts: Stmt[] = [
    db
      .update(commerceProducts)
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.type !== undefined ? { type: patch.type } : {}),
        ...(patch.digital_file_id !== undefined ? { digitalFileId: patch.digital_file_id } : {}),
        ...(patch.images !== undefined ? { images: patch.images } : {}),
        ...(patch.options !== undefined ? { options: patch.options } : {}),
        ...(patch.weight_grams !== undefined ? { weightGrams: patch.weight_grams } : {}),
        updatedAt: now,
      })
      .where(and(eq(commerceProducts.tenantId, tenantId), eq(commerceProducts.id, id))),
  ];
  if (patch.collection_ids) stmts.push(...collectionLinks(db, tenantId, id, patch.collection_ids, now));
  await runBatch(db, stmts, patch.slug);
  return getProduct(db, tenantId, id);
}

async function heldUnits(db: Db, tenantId: string, variantIds: string[]): Promise<number> {
  if (!variantIds.length) return 0;
  const row = await db
    .select({ n: sql<number>`coalesce(sum(${commerceReservations.quantity}), 0)` })
    .from(commerceReservations)
    .where(
      tenantScope(db, tenantId).where(
        commerceReservations,
        inArray(commerceReservations.variantId, variantIds),
        eq(commerceReservations.status, "held"),
      ),
    )
    .get();
  return row?.n ?? 0;
}

/** Deletes a product and everything hanging off it; refused while open checkouts hold its units (archive it instead). */
export async function deleteProduct(db: Db, tenantId: string, id: string, actor: Actor): Promise<void> {
  const p = await getProduct(db, tenantId, id);
  const variantIds = p.variants.map((v) => v.id);
  if ((await heldUnits(db, tenantId, variantIds)) > 0)
    throw conflict("Open checkouts hold units of this product; archive it instead, or delete it once they are done.", "stock-held");
  const scope = tenantScope(db, tenantId);
  await db.batch([
    db.delete(commerceProducts).where(scope.where(commerceProducts, eq(commerceProducts.id, id))),
    db.delete(commerceVariants).where(scope.where(commerceVariants, eq(commerceVariants.productId, id))),
    db.delete(commerceVariantPrices).where(scope.where(commerceVariantPrices, eq(commerceVariantPrices.productId, id))),
    db.delete(commerceProductCollections).where(scope.where(commerceProductCollections, eq(commerceProductCollections.productId, id))),
    ...chunks(variantIds).map((part) =>
      db.delete(commerceCartLines).where(scope.where(commerceCartLines, inArray(commerceCartLines.variantId, part))),
    ),
    auditInsert(db, actor, {
      tenantId,
      action: "commerce.product.deleted",
      target: { type: "commerce_product", id },
      metadata: { title: p.title, slug: p.slug },
    }),
  ]);
}
