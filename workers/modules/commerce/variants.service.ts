import { and, eq, sql } from "drizzle-orm";
import { commerceCartLines, commerceVariantPrices, commerceVariants } from "../../../schema/commerce";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound, Problem } from "../../platform/errors";
import type { VariantInput } from "./catalogue.schemas";
import type { ProductFull, VariantRow } from "./products.read";
import {
  assertSkusFree,
  checkVariantOptions,
  keywordsStatement,
  priceStatements,
  runBatch,
  type Stmt,
  variantStatements,
  variantTitle,
} from "./catalogue.writes";
import { getProduct } from "./products.service";

/** Variants of a product and their stock counts (reservations: inventory.service.ts). */

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
