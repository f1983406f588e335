import { z } from "@hono/zod-openapi";
import { PRODUCT_STATUSES, PRODUCT_TYPES } from "../../../schema/commerce";
import { pageQuerySchema } from "../../platform/pagination";
import { CURRENCY_PATTERN, MAX_AMOUNT } from "./money";

// Titles, SKUs and option values are plain text shown on a tenant's site: no control characters.
const hasControl = (s: string) => Array.from(s).some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
export const plain = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !hasControl(s), "must not contain control characters or line breaks");

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
export const slugField = z.string().regex(SLUG_PATTERN, "lower-case letters, digits and inner hyphens, at most 80 characters");
export const currencyField = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(CURRENCY_PATTERN, "a three-letter ISO 4217 code such as USD"))
  .openapi({ example: "USD" });
export const amountField = z.number().int().min(0).max(MAX_AMOUNT).openapi({ description: "Integer minor units (cents)", example: 1999 });
const fileId = z.string().regex(/^file?_[a-z0-9]{10,40}$/, "a file id (fil_…) of this workspace's files");

const pricesField = z
  .record(z.string().regex(CURRENCY_PATTERN, "a three-letter upper-case ISO 4217 code"), amountField)
  .refine((p) => Object.keys(p).length <= 20, "at most 20 currencies")
  .openapi({ description: "Price per currency in integer minor units", example: { USD: 1999, EUR: 1899 } });
const optionsField = z
  .record(plain(40).min(1), plain(80).min(1))
  .refine((o) => Object.keys(o).length <= 3, "at most 3 options")
  .openapi({ example: { Size: "M", Colour: "Blue" } });
const skuField = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, "letters, digits and . _ - /, starting with a letter or digit");

const variantFields = z.object({
  sku: skuField,
  title: plain(200).optional().openapi({ description: "Default: the option values joined with ' / '" }),
  options: optionsField,
  prices: pricesField,
  weight_grams: z.number().int().min(0).max(1_000_000).nullable().optional(),
  track_inventory: z.boolean().optional().openapi({ description: "false = unlimited (never reserved); default true" }),
  on_hand: z.number().int().min(0).max(1_000_000_000).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export const variantInput = variantFields.extend({ options: optionsField.default({}) });
export type VariantInput = z.infer<typeof variantInput>;
export const variantPatch = variantFields.omit({ on_hand: true }).partial().openapi("UpdateCommerceVariant");

export const productInput = z.object({
  title: plain(200).min(1),
  slug: slugField.optional().openapi({ description: "Default: made from the title, unique in the workspace" }),
  description: z.string().max(20_000).optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
  type: z.enum(PRODUCT_TYPES).optional(),
  digital_file_id: fileId.nullable().optional().openapi({ description: "For a digital product: the file delivered after payment" }),
  images: z.array(fileId).max(20).optional().openapi({ description: "File ids, first = main image" }),
  options: z.array(plain(40).min(1)).max(3).optional().openapi({ description: 'Variant dimensions, e.g. ["Size", "Colour"]' }),
  weight_grams: z.number().int().min(0).max(1_000_000).nullable().optional(),
  collection_ids: z.array(z.string().min(1).max(64)).max(50).optional(),
});
export const createProductInput = productInput.extend({ variants: z.array(variantInput).min(1).max(100) }).openapi("CreateCommerceProduct");
export type CreateProductInput = z.infer<typeof createProductInput>;
export const updateProductInput = productInput.partial().openapi("UpdateCommerceProduct");
export type UpdateProductInput = z.infer<typeof updateProductInput>;

export const inventoryInput = z
  .object({
    on_hand: z.number().int().min(0).max(1_000_000_000).optional().openapi({ description: "Set the count (stock take)" }),
    adjust: z.number().int().min(-1_000_000_000).max(1_000_000_000).optional().openapi({ description: "Add (or remove, negative) units" }),
  })
  .refine((v) => (v.on_hand === undefined) !== (v.adjust === undefined), "give exactly one of on_hand or adjust")
  .openapi("CommerceInventoryChange");

export const inventorySchema = z.object({
  tracked: z.boolean(),
  on_hand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int().nullable().openapi({ description: "on_hand − reserved; null when not tracked (unlimited)" }),
});

export const variantSchema = z
  .object({
    id: z.string(),
    product_id: z.string(),
    sku: z.string(),
    title: z.string(),
    options: z.record(z.string(), z.string()),
    prices: z.record(z.string(), z.number().int()),
    weight_grams: z.number().int().nullable(),
    position: z.number().int(),
    inventory: inventorySchema,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("CommerceVariant");

const collectionRef = z.object({ id: z.string(), slug: z.string(), title: z.string() });
export const productSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    slug: z.string(),
    description: z.string(),
    status: z.enum(PRODUCT_STATUSES),
    type: z.enum(PRODUCT_TYPES),
    digital_file_id: z.string().nullable(),
    images: z.array(z.string()),
    options: z.array(z.string()),
    weight_grams: z.number().int().nullable(),
    collections: z.array(collectionRef),
    recurring: z
      .object({ interval: z.enum(["month", "year"]), interval_count: z.number().int(), trial_days: z.number().int() })
      .nullable()
      .openapi({ description: "Sold as a subscription: the price is per interval × interval_count (null: one-off)" }),
    variants: z.array(variantSchema),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("CommerceProduct");

export const publicVariantSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    title: z.string(),
    options: z.record(z.string(), z.string()),
    price: z.number().int().nullable().openapi({ description: "In the requested currency (null: not sold in it)" }),
    in_stock: z.boolean(),
  })
  .openapi("PublicCommerceVariant");
export const publicProductSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    slug: z.string(),
    description: z.string(),
    type: z.enum(PRODUCT_TYPES),
    images: z.array(z.string()).openapi({ description: "File ids (rendering them is part 2's)" }),
    options: z.array(z.string()),
    currency: z.string(),
    price_min: z.number().int().nullable(),
    price_max: z.number().int().nullable(),
    collections: z.array(collectionRef),
    recurring: z
      .object({ interval: z.enum(["month", "year"]), interval_count: z.number().int(), trial_days: z.number().int() })
      .nullable()
      .openapi({ description: "Sold as a subscription: the price is per interval × interval_count (null: one-off)" }),
    variants: z.array(publicVariantSchema),
  })
  .openapi("PublicCommerceProduct");

export const productListQuery = pageQuerySchema.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "Full-text search (title, description, SKUs, option values); results by relevance" }),
  status: z.enum(PRODUCT_STATUSES).optional(),
  collection: z.string().max(80).optional().openapi({ description: "Collection id or slug" }),
  currency: currencyField.optional().openapi({ description: "Currency of price_min/price_max (default: the workspace's)" }),
  price_min: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_AMOUNT)
    .optional()
    .openapi({ description: "Some variant costs at least this (minor units)" }),
  price_max: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_AMOUNT)
    .optional()
    .openapi({ description: "Some variant costs at most this (minor units)" }),
});
export type ProductListQuery = z.infer<typeof productListQuery>;

export const collectionInput = z
  .object({
    title: plain(200).min(1),
    slug: slugField.optional(),
    description: z.string().max(5_000).optional(),
    product_ids: z.array(z.string().min(1).max(64)).max(500).optional().openapi({ description: "Replaces the collection's products" }),
  })
  .openapi("CommerceCollectionInput");
export const collectionSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    slug: z.string(),
    description: z.string(),
    product_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("CommerceCollection");

export const importResultSchema = z
  .object({
    dry_run: z.boolean(),
    rows: z.number().int(),
    products_created: z.number().int(),
    products_updated: z.number().int(),
    variants_created: z.number().int(),
    variants_updated: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), field: z.string().nullable(), message: z.string() })),
  })
  .openapi("CommerceImportResult");
