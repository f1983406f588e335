import { and, eq } from "drizzle-orm";
import { commerceTaxRates, commerceVariants } from "../../../schema/commerce";
import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { validationFailed } from "../../platform/errors";
import { parseMajor } from "./money";
import { createProduct, updateProduct } from "./products.service";
import { putProvider } from "./providers.service";
import { createTaxRate, updateTaxRate } from "./rates.service";
import { getSettings, putSettings } from "./settings.service";
import { updateVariant } from "./variants.service";

/**
 * The store set-up wizard's writes (modules/wizards, kind `store`), through the same services the
 * commerce routes call. Every part is an upsert so a retried "Finish" changes nothing twice: the
 * settings row is per workspace, a tax rate is keyed by (country, region), the first product by its
 * SKU, the Stripe keys by provider.
 */

export interface StoreSetupInput {
  currency: string;
  tax: { country: string; region?: string; name?: string; rate_ppm: number; inclusive?: boolean }[];
  product: { title: string; price: string; sku: string; description?: string; image_file_id?: string | null } | null;
  stripe: { secret_key: string; publishable_key?: string | null; webhook_secret?: string | null } | null;
}

export interface StoreSetupResult {
  currency: string;
  taxRateIds: string[];
  product: { id: string; title: string; created: boolean } | null;
  stripe: boolean;
}

export async function applyStoreSetup(env: Env, db: Db, tenantId: string, input: StoreSetupInput, actor: Actor): Promise<StoreSetupResult> {
  const price = input.product ? parseMajor(input.product.price, input.currency) : null;
  if (input.product && price === null)
    throw validationFailed([{ path: "product.price", message: `not an amount in ${input.currency} (e.g. 19.99)` }]);

  const current = await getSettings(db, tenantId);
  await putSettings(db, tenantId, {
    ...current,
    currencies: [...new Set([input.currency, ...current.currencies])],
    default_currency: input.currency,
  });

  const taxRateIds: string[] = [];
  for (const t of input.tax) {
    const region = t.region ?? "";
    const existing = await db
      .select({ id: commerceTaxRates.id })
      .from(commerceTaxRates)
      .where(and(eq(commerceTaxRates.tenantId, tenantId), eq(commerceTaxRates.country, t.country), eq(commerceTaxRates.region, region)))
      .get();
    const rate = existing
      ? await updateTaxRate(db, tenantId, existing.id, { name: t.name ?? "Tax", rate_ppm: t.rate_ppm, inclusive: t.inclusive ?? false })
      : await createTaxRate(db, tenantId, { ...t, region: t.region || undefined });
    taxRateIds.push(rate.id);
  }

  let product: StoreSetupResult["product"] = null;
  if (input.product && price !== null) {
    const p = input.product;
    const sku = p.sku.toUpperCase();
    const images = p.image_file_id ? [p.image_file_id] : [];
    const variant = await db
      .select({ id: commerceVariants.id, productId: commerceVariants.productId })
      .from(commerceVariants)
      .where(and(eq(commerceVariants.tenantId, tenantId), eq(commerceVariants.sku, sku)))
      .get();
    if (variant) {
      await updateProduct(env, db, tenantId, variant.productId, {
        title: p.title,
        description: p.description ?? "",
        ...(p.image_file_id ? { images } : {}),
      });
      await updateVariant(db, tenantId, variant.id, { prices: { [input.currency]: price } });
      product = { id: variant.productId, title: p.title, created: false };
    } else {
      const made = await createProduct(env, db, tenantId, {
        title: p.title,
        description: p.description ?? "",
        images,
        variants: [{ sku, options: {}, prices: { [input.currency]: price }, track_inventory: false }],
      });
      product = { id: made.id, title: made.title, created: true };
    }
  }

  if (input.stripe) await putProvider(db, env, tenantId, "stripe", { ...input.stripe, enabled: true }, actor);
  return { currency: input.currency, taxRateIds, product, stripe: !!input.stripe };
}
