import { and, asc, eq, inArray } from "drizzle-orm";
import {
  commerceCollections,
  commerceProductCollections,
  commerceProducts,
  commerceVariantPrices,
  commerceVariants,
} from "../../../schema/commerce";
import { tenantScope, type Db } from "../../platform/db";
import { iso } from "../../platform/request";
import { commerceSubscriptionPlans } from "../../../schema/commerce-subscriptions";

/** Reading whole products (product + variants + prices + collections) and their JSON shapes. */

export type ProductRow = typeof commerceProducts.$inferSelect;
export type VariantRow = typeof commerceVariants.$inferSelect;
export interface VariantFull extends VariantRow {
  prices: Record<string, number>;
}
export interface ProductFull extends ProductRow {
  variants: VariantFull[];
  collections: { id: string; slug: string; title: string }[];
  /** Sold as a subscription (commerce_subscription_plans), else null. */
  recurring: { interval: "month" | "year"; interval_count: number; trial_days: number } | null;
}

/** D1 allows 100 bound parameters per statement: id lists go in chunks. */
export function chunks<T>(xs: T[], size = 80): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** Products by id, in the order given (unknown ids are skipped), with everything a product shows. */
export async function loadProducts(db: Db, tenantId: string, ids: string[]): Promise<ProductFull[]> {
  if (ids.length === 0) return [];
  const scope = tenantScope(db, tenantId);
  const products: ProductRow[] = [];
  const variants: VariantRow[] = [];
  const prices: (typeof commerceVariantPrices.$inferSelect)[] = [];
  const links: { productId: string; id: string; slug: string; title: string }[] = [];
  const plans: (typeof commerceSubscriptionPlans.$inferSelect)[] = [];
  for (const part of chunks(ids)) {
    const [p, v, pr, l, pl] = await db.batch([
      db
        .select()
        .from(commerceProducts)
        .where(scope.where(commerceProducts, inArray(commerceProducts.id, part))),
      db
        .select()
        .from(commerceVariants)
        .where(scope.where(commerceVariants, inArray(commerceVariants.productId, part)))
        .orderBy(asc(commerceVariants.position), asc(commerceVariants.id)),
      db
        .select()
        .from(commerceVariantPrices)
        .where(scope.where(commerceVariantPrices, inArray(commerceVariantPrices.productId, part))),
      db
        .select({
          productId: commerceProductCollections.productId,
          id: commerceCollections.id,
          slug: commerceCollections.slug,
          title: commerceCollections.title,
        })
        .from(commerceProductCollections)
        .innerJoin(
          commerceCollections,
          and(
            eq(commerceCollections.tenantId, commerceProductCollections.tenantId),
            eq(commerceCollections.id, commerceProductCollections.collectionId),
          ),
        )
        .where(scope.where(commerceProductCollections, inArray(commerceProductCollections.productId, part)))
        .orderBy(asc(commerceCollections.title)),
      db
        .select()
        .from(commerceSubscriptionPlans)
        .where(scope.where(commerceSubscriptionPlans, inArray(commerceSubscriptionPlans.productId, part))),
    ]);
    plans.push(...pl);
    products.push(...p);
    variants.push(...v);
    prices.push(...pr);
    links.push(...l);
  }
  const priceMap = new Map<string, Record<string, number>>();
  for (const p of prices) {
    const m = priceMap.get(p.variantId) ?? {};
    m[p.currency] = p.amount;
    priceMap.set(p.variantId, m);
  }
  const byId = new Map(products.map((p) => [p.id, p]));
  return ids.flatMap((id) => {
    const p = byId.get(id);
    if (!p) return [];
    return [
      {
        ...p,
        variants: variants.filter((v) => v.productId === id).map((v) => ({ ...v, prices: priceMap.get(v.id) ?? {} })),
        collections: links.filter((l) => l.productId === id).map(({ id: cid, slug, title }) => ({ id: cid, slug, title })),
        recurring: recurringOf(plans.find((x) => x.productId === id)),
      },
    ];
  });
}

const recurringOf = (p: typeof commerceSubscriptionPlans.$inferSelect | undefined) =>
  p ? { interval: p.interval, interval_count: p.intervalCount, trial_days: p.trialDays } : null;

export const available = (v: VariantRow) => (v.trackInventory ? v.onHand - v.reserved : null);

export const serializeVariant = (v: VariantFull) => ({
  id: v.id,
  product_id: v.productId,
  sku: v.sku,
  title: v.title,
  options: v.options,
  prices: v.prices,
  weight_grams: v.weightGrams,
  position: v.position,
  inventory: { tracked: v.trackInventory, on_hand: v.onHand, reserved: v.reserved, available: available(v) },
  created_at: new Date(v.createdAt).toISOString(),
  updated_at: new Date(v.updatedAt).toISOString(),
});

export const serializeProduct = (p: ProductFull) => ({
  id: p.id,
  title: p.title,
  slug: p.slug,
  description: p.description,
  status: p.status,
  type: p.type,
  digital_file_id: p.digitalFileId,
  images: p.images,
  options: p.options,
  weight_grams: p.weightGrams,
  collections: p.collections,
  recurring: p.recurring,
  variants: p.variants.map(serializeVariant),
  created_at: iso(p.createdAt) ?? "",
  updated_at: iso(p.updatedAt) ?? "",
});

/** What a tenant's site may see: no stock counts, no digital file, prices in one currency. */
export function serializePublicProduct(p: ProductFull, currency: string) {
  const variants = p.variants.map((v) => ({
    id: v.id,
    sku: v.sku,
    title: v.title,
    options: v.options,
    price: v.prices[currency] ?? null,
    in_stock: !v.trackInventory || v.onHand - v.reserved > 0,
  }));
  const priced = variants.map((v) => v.price).filter((x): x is number => x !== null);
  return {
    id: p.id,
    title: p.title,
    slug: p.slug,
    description: p.description,
    type: p.type,
    images: p.images,
    options: p.options,
    currency,
    price_min: priced.length ? Math.min(...priced) : null,
    price_max: priced.length ? Math.max(...priced) : null,
    collections: p.collections,
    recurring: p.recurring,
    variants,
  };
}
