import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  commerceCollections,
  commerceProductCollections,
  commerceProducts,
  commerceVariantPrices,
  commerceVariants,
} from "../../../schema/commerce";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { getFileMeta } from "../files";
import type { VariantInput } from "./catalogue.schemas";
import { chunks } from "./products.read";

/** What product and variant writes share: input checks against the workspace's data, and the batch statements. */

export type Stmt = BatchItem<"sqlite">;
export const fieldError = (path: string, message: string) => validationFailed([{ path, message }]);

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

export const slugTaken = (slug: string) => conflict(`Another product of this workspace has the slug "${slug}".`, "slug-taken");

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

export const variantTitle = (options: string[], values: Record<string, string>) => options.map((o) => values[o]).join(" / ") || "Default";

/** The statements that write a variant's prices (replacing them), chunked under the parameter limit. */
export function priceStatements(db: Db, tenantId: string, productId: string, variantId: string, prices: Record<string, number>): Stmt[] {
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
export function keywordsStatement(db: Db, tenantId: string, productId: string): Stmt {
  return db
    .update(commerceProducts)
    .set({
      keywords: sql`coalesce((SELECT group_concat(v.sku || ' ' || coalesce((SELECT group_concat(j.value, ' ') FROM json_each(v.options) j), ''), ' ')
        FROM ${commerceVariants} v WHERE v.tenant_id = ${tenantId} AND v.product_id = ${productId}), '')`,
    })
    .where(and(eq(commerceProducts.tenantId, tenantId), eq(commerceProducts.id, productId)));
}

export function variantStatements(
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

export const collectionLinks = (db: Db, tenantId: string, productId: string, ids: string[], now: number): Stmt[] => [
  db
    .delete(commerceProductCollections)
    .where(and(eq(commerceProductCollections.tenantId, tenantId), eq(commerceProductCollections.productId, productId))),
  ...chunks(ids, 25).map((part) =>
    db.insert(commerceProductCollections).values(part.map((collectionId) => ({ tenantId, collectionId, productId, createdAt: now }))),
  ),
];

export const isUnique = (err: unknown, what: string) =>
  new RegExp(`UNIQUE constraint failed: ${what}`).test(`${(err as Error)?.message} ${(err as Error)?.cause ?? ""}`);

export async function runBatch(db: Db, stmts: Stmt[], slug?: string): Promise<void> {
  try {
    await db.batch(stmts as [Stmt, ...Stmt[]]);
  } catch (err) {
    if (slug && isUnique(err, "commerce_products.tenant_id, commerce_products.slug")) throw slugTaken(slug);
    if (isUnique(err, "commerce_variants.tenant_id, commerce_variants.sku"))
      throw conflict("A SKU is already used by another variant in this workspace.", "sku-taken");
    throw err;
  }
}
