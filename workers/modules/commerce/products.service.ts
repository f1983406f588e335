import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  commerceCartLines,
  commerceCollections,
  commerceProductCollections,
  commerceProducts,
  commerceReservations,
  commerceVariantPrices,
  commerceVariants,
} from "../../../schema/commerce";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound, Problem, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { getFileMeta } from "../files";
import type { CreateProductInput, UpdateProductInput, VariantInput } from "./catalogue.schemas";
import { chunks, loadProducts, type ProductFull, type VariantRow } from "./products.read";

/** Catalogue writes: products, their variants, prices and stock counts (reservations: inventory.service.ts). */

type Stmt = BatchItem<"sqlite">;
const fieldError = (path: string, message: string) => validationFailed([{ path, message }]);

export function slugify(title: string): string {
  const base = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 72)
    .replace(/-+$/, "");
  return base || "product";
}

/** The wanted slug if free in the workspace's `table`, else the first free `<slug>-2`, `-3`… */
export async function freeSlug(
  db: Db,
  table: typeof commerceProducts | typeof commerceCollections,
  tenantId: string,
  wanted: string,
  exceptId?: string,
): Promise<string> {
  const rows = await db
    .select({ slug: table.slug })
    .from(table)
    .where(
      and(
        eq(table.tenantId, tenantId),
        sql`(${table.slug} = ${wanted} OR ${table.slug} LIKE ${`${wanted}-%`})`,
        exceptId ? ne(table.id, exceptId) : undefined,
      ),
    );
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!taken.has(`${wanted}-${i}`)) return `${wanted}-${i}`;
}

const slugTaken = (slug: string) => conflict(`Another product of this workspace has the slug "${slug}".`, "slug-taken");

/** Every referenced file must be one of this workspace's files (another workspace's id is "not found", never used). */
export async function assertFiles(env: Env, tenantId: string, ids: (string | null | undefined)[], path: string): Promise<void> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const missing = (
    await Promise.all(
      wanted.map((id) =>
        getFileMeta(env, tenantId, id).then(
          () => null,
          () => id,
        ),
      ),
    )
  ).filter((x): x is string => x !== null);
  if (missing.length) throw fieldError(path, `no such file in this workspace: ${missing.join(", ")}`);
}

export async function assertCollections(db: Db, tenantId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const found = await db
    .select({ id: commerceCollections.id })
    .from(commerceCollections)
    .where(tenantScope(db, tenantId).where(commerceCollections, inArray(commerceCollections.id, ids)));
  const have = new Set(found.map((f) => f.id));
  const missing = ids.filter((id) => !have.has(id));
  if (missing.length) throw fieldError("collection_ids", `no such collection: ${missing.join(", ")}`);
}

/** Each variant names a value for exactly the product's options, and no two variants share a combination or SKU. */
export function checkVariantOptions(
  options: string[],
  variants: { sku: string; options: Record<string, string> }[],
  path = "variants",
): void {
  const want = [...options].sort().join("\u0000");
  const combos = new Set<string>();
  const skus = new Set<string>();
  variants.forEach((v, i) => {
    const keys = Object.keys(v.options).sort();
    if (keys.join("\u0000") !== want)
      throw fieldError(
        `${path}.${i}.options`,
        options.length ? `give a value for exactly these options: ${options.join(", ")}` : "this product has no options",
      );
    const combo = options.map((o) => v.options[o]).join("\u0000");
    if (combos.has(combo)) throw fieldError(`${path}.${i}.options`, "another variant has the same option values");
    combos.add(combo);
    const sku = v.sku.toUpperCase();
    if (skus.has(sku)) throw fieldError(`${path}.${i}.sku`, `SKU ${v.sku} appears twice`);
    skus.add(sku);
  });
}

/** SKUs are unique per workspace (case-insensitively, as stored upper case); 409 naming the SKU. */
export async function assertSkusFree(db: Db, tenantId: string, skus: string[], exceptVariantId?: string): Promise<void> {
  if (!skus.length) return;
  const upper = skus.map((s) => s.toUpperCase());
  const rows = await db
    .select({ sku: commerceVariants.sku, id: commerceVariants.id })
    .from(commerceVariants)
    .where(tenantScope(db, tenantId).where(commerceVariants, inArray(commerceVariants.sku, upper)));
  const clash = rows.find((r) => r.id !== exceptVariantId);
  if (clash) throw conflict(`SKU ${clash.sku} is already used by another variant in this workspace.`, "sku-taken");
}

const variantTitle = (options: string[], values: Record<string, string>) => options.map((o) => values[o]).join(" / ") || "Default";

/** The statements that write a variant's prices (replacing them), chunked under the parameter limit. */
function priceStatements(db: Db, tenantId: string, productId: string, variantId: string, prices: Record<string, number>): Stmt[] {
  const rows = Object.entries(prices).map(([currency, amount]) => ({ tenantId, variantId, currency, productId, amount }));
  return [
    db
      .delete(commerceVariantPrices)
      .where(and(eq(commerceVariantPrices.tenantId, tenantId), eq(commerceVariantPrices.variantId, variantId))),
    ...chunks(rows, 15).map((part) => db.insert(commerceVariantPrices).values(part)),
  ];
}

/**
 * Refreshes the product's `keywords` (its variants' SKUs and option values) from the variant rows,
 * in SQL so it can ride in the same batch as the variant change; the FTS trigger re-indexes it.
 */
function keywordsStatement(db: Db, tenantId: string, productId: string): Stmt {
  return db
    .update(commerceProducts)
    .set({
      keywords: sql`coalesce((SELECT group_concat(v.sku || ' ' || coalesce((SELECT group_concat(j.value, ' ') FROM json_each(v.options) j), ''), ' ')
        FROM ${commerceVariants} v WHERE v.tenant_id = ${tenantId} AND v.product_id = ${productId}), '')`,
    })
    .where(and(eq(commerceProducts.tenantId, tenantId), eq(commerceProducts.id, productId)));
}

function variantStatements(
  db: Db,
  tenantId: string,
  product: { id: string; options: string[]; type: string },
  v: VariantInput,
  i: number,
  now: number,
) {
  const id = newId("var");
  const digital = product.type === "digital";
  return {
    id,
    stmts: [
      db.insert(commerceVariants).values({
        tenantId,
        id,
        productId: product.id,
        sku: v.sku.toUpperCase(),
        title: v.title || variantTitle(product.options, v.options),
        options: v.options,
        position: v.position ?? i,
        weightGrams: v.weight_grams ?? null,
        trackInventory: v.track_inventory ?? !digital,
        onHand: v.on_hand ?? 0,
        reserved: 0,
        createdAt: now,
        updatedAt: now,
      }),
      ...priceStatements(db, tenantId, product.id, id, v.prices),
    ] as Stmt[],
  };
}

const collectionLinks = (db: Db, tenantId: string, productId: string, ids: string[], now: number): Stmt[] => [
  db
    .delete(commerceProductCollections)
    .where(and(eq(commerceProductCollections.tenantId, tenantId), eq(commerceProductCollections.productId, productId))),
  ...chunks(ids, 25).map((part) =>
    db.insert(commerceProductCollections).values(part.map((collectionId) => ({ tenantId, collectionId, productId, createdAt: now }))),
  ),
];

const isUnique = (err: unknown, what: string) =>
  new RegExp(`UNIQUE constraint failed: ${what}`).test(`${(err as Error)?.message} ${(err as Error)?.cause ?? ""}`);

async function runBatch(db: Db, stmts: Stmt[], slug?: string): Promise<void> {
  try {
    await db.batch(stmts as [Stmt, ...Stmt[]]);
  } catch (err) {
    if (slug && isUnique(err, "commerce_products.tenant_id, commerce_products.slug")) throw slugTaken(slug);
    if (isUnique(err, "commerce_variants.tenant_id, commerce_variants.sku"))
      throw conflict("A SKU is already used by another variant in this workspace.", "sku-taken");
    throw err;
  }
}

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

export async function getVariantRow(db: Db, tenantId: string, id: string): Promise<VariantRow> {
  const v = await db
    .select()
    .from(commerceVariants)
    .where(tenantScope(db, tenantId).where(commerceVariants, eq(commerceVariants.id, id)))
    .get();
  if (!v) throw notFound("Variant");
  return v;
}

export async function addVariant(db: Db, tenantId: string, productId: string, input: VariantInput): Promise<ProductFull> {
  const p = await getProduct(db, tenantId, productId);
  checkVariantOptions(p.options, [...p.variants, input], "options");
  await assertSkusFree(db, tenantId, [input.sku]);
  const { stmts } = variantStatements(
    db,
    tenantId,
    p,
    { ...input, position: input.position ?? p.variants.length },
    p.variants.length,
    Date.now(),
  );
  await runBatch(db, [...stmts, keywordsStatement(db, tenantId, productId)]);
  return getProduct(db, tenantId, productId);
}

export async function updateVariant(db: Db, tenantId: string, id: string, patch: Partial<VariantInput>): Promise<ProductFull> {
  const v = await getVariantRow(db, tenantId, id);
  const p = await getProduct(db, tenantId, v.productId);
  if (patch.options) {
    const others = p.variants.filter((x) => x.id !== id);
    checkVariantOptions(p.options, [...others, { sku: patch.sku ?? v.sku, options: patch.options }], "options");
  }
  if (patch.sku) await assertSkusFree(db, tenantId, [patch.sku], id);
  const options = patch.options ?? v.options;
  const stmts: Stmt[] = [
    db
      .update(commerceVariants)
      .set({
        ...(patch.sku !== undefined ? { sku: patch.sku.toUpperCase() } : {}),
        ...(patch.options !== undefined ? { options } : {}),
        ...(patch.title !== undefined || patch.options !== undefined ? { title: patch.title || variantTitle(p.options, options) } : {}),
        ...(patch.weight_grams !== undefined ? { weightGrams: patch.weight_grams } : {}),
        ...(patch.track_inventory !== undefined ? { trackInventory: patch.track_inventory } : {}),
        ...(patch.position !== undefined ? { position: patch.position } : {}),
        updatedAt: Date.now(),
      })
      .where(and(eq(commerceVariants.tenantId, tenantId), eq(commerceVariants.id, id))),
  ];
  if (patch.prices) stmts.push(...priceStatements(db, tenantId, v.productId, id, patch.prices));
  stmts.push(keywordsStatement(db, tenantId, v.productId));
  await runBatch(db, stmts);
  return getProduct(db, tenantId, v.productId);
}

export async function deleteVariant(db: Db, tenantId: string, id: string, actor: Actor): Promise<ProductFull> {
  const v = await getVariantRow(db, tenantId, id);
  const p = await getProduct(db, tenantId, v.productId);
  if (p.variants.length <= 1) throw conflict("A product keeps at least one variant; delete the product instead.", "last-variant");
  if (v.reserved > 0) throw conflict("Open checkouts hold units of this variant; try again once they are done.", "stock-held");
  const scope = tenantScope(db, tenantId);
  await db.batch([
    db.delete(commerceVariants).where(scope.where(commerceVariants, eq(commerceVariants.id, id))),
    db.delete(commerceVariantPrices).where(scope.where(commerceVariantPrices, eq(commerceVariantPrices.variantId, id))),
    db.delete(commerceCartLines).where(scope.where(commerceCartLines, eq(commerceCartLines.variantId, id))),
    keywordsStatement(db, tenantId, v.productId),
    auditInsert(db, actor, {
      tenantId,
      action: "commerce.variant.deleted",
      target: { type: "commerce_variant", id },
      metadata: { sku: v.sku, product_id: v.productId },
    }),
  ]);
  return getProduct(db, tenantId, v.productId);
}

/**
 * Sets (stock take) or adjusts a variant's units on hand. Conditional: on hand can never drop
 * below what open checkouts hold (or below 0) — 409 with the numbers instead.
 */
export async function changeInventory(
  db: Db,
  tenantId: string,
  id: string,
  change: { on_hand?: number; adjust?: number },
): Promise<VariantRow> {
  const target = change.on_hand !== undefined ? sql`${change.on_hand}` : sql`${commerceVariants.onHand} + ${change.adjust ?? 0}`;
  const updated = await db
    .update(commerceVariants)
    .set({ onHand: target, updatedAt: Date.now() })
    .where(and(eq(commerceVariants.tenantId, tenantId), eq(commerceVariants.id, id), sql`${target} >= ${commerceVariants.reserved}`))
    .returning()
    .get();
  if (updated) return updated;
  const v = await getVariantRow(db, tenantId, id);
  throw new Problem(
    409,
    "insufficient-stock",
    "Conflict",
    `On hand cannot go below the ${v.reserved} units held by open checkouts (now ${v.onHand}).`,
    {
      on_hand: v.onHand,
      reserved: v.reserved,
    },
  );
}
