import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Commerce (modules/commerce): a workspace selling to its own customers. Money is always an
 * integer amount in the currency's minor units (cents, yen…) next to its ISO 4217 code; never a
 * float. Part 1 (this file) is the catalogue, carts, coupons, tax/shipping rates and inventory
 * reservations; orders, payments and refunds (part 2) reference these by id and snapshot what
 * they sold, so editing or deleting a product never rewrites an order. See docs/commerce.md.
 */

export const PRODUCT_STATUSES = ["active", "archived"] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
export const PRODUCT_TYPES = ["physical", "digital"] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/**
 * A product. `options` names its variant dimensions (["Size", "Colour"], at most 3); each variant
 * has a value for every one. `images` and `digital_file_id` are file ids of modules/files (the
 * digital file is delivered by signed link after payment, part 2). `keywords` is maintained by the
 * service (variant SKUs and option values) so the FTS index (commerce_products_fts, custom
 * migration) finds a product by SKU too.
 */
export const commerceProducts = sqliteTable(
  "commerce_products",
  {
    tenantId: tenantId(),
    id: id(),
    title: text("title").notNull(),
    slug: text("slug").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: PRODUCT_STATUSES }).notNull().default("active"),
    type: text("type", { enum: PRODUCT_TYPES }).notNull().default("physical"),
    digitalFileId: text("digital_file_id"),
    images: text("images", { mode: "json" }).$type<string[]>().notNull().default([]),
    options: text("options", { mode: "json" }).$type<string[]>().notNull().default([]),
    weightGrams: integer("weight_grams"),
    keywords: text("keywords").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("commerce_products_tenant_slug_uq").on(t.tenantId, t.slug),
    index("commerce_products_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("commerce_products_tenant_status_created_idx").on(t.tenantId, t.status, t.createdAt, t.id),
  ],
);

/**
 * A purchasable variant of a product, with its stock. `on_hand` = units in the warehouse;
 * `reserved` = units held by open checkouts (commerce_reservations). The CHECK makes overselling
 * impossible whatever the code path: a reservation batch that would push `reserved` past
 * `on_hand` fails as a whole (D1 batches are transactions). `track_inventory` false = unlimited
 * (a digital good); such variants are never reserved.
 */
export const commerceVariants = sqliteTable(
  "commerce_variants",
  {
    tenantId: tenantId(),
    id: id(),
    productId: text("product_id").notNull(),
    title: text("title").notNull().default(""),
    sku: text("sku").notNull(),
    options: text("options", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    position: integer("position").notNull().default(0),
    weightGrams: integer("weight_grams"),
    trackInventory: integer("track_inventory", { mode: "boolean" }).notNull().default(true),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("commerce_variants_tenant_sku_uq").on(t.tenantId, t.sku),
    index("commerce_variants_tenant_product_idx").on(t.tenantId, t.productId, t.position),
    check("commerce_variants_stock_check", sql`${t.onHand} >= 0 AND ${t.reserved} >= 0 AND ${t.reserved} <= ${t.onHand}`),
  ],
);

/** A variant's price in one currency (integer minor units). `product_id` is here for the price-range filter. */
export const commerceVariantPrices = sqliteTable(
  "commerce_variant_prices",
  {
    tenantId: tenantId(),
    variantId: text("variant_id").notNull(),
    currency: text("currency").notNull(), // ISO 4217, upper case
    productId: text("product_id").notNull(),
    amount: integer("amount").notNull(),
    compareAtAmount: integer("compare_at_amount"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.variantId, t.currency] }),
    index("commerce_variant_prices_tenant_currency_amount_idx").on(t.tenantId, t.currency, t.amount, t.productId),
    index("commerce_variant_prices_tenant_product_idx").on(t.tenantId, t.productId),
    check("commerce_variant_prices_amount_check", sql`${t.amount} >= 0`),
  ],
);

export const commerceCollections = sqliteTable(
  "commerce_collections",
  {
    tenantId: tenantId(),
    id: id(),
    title: text("title").notNull(),
    slug: text("slug").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("commerce_collections_tenant_slug_uq").on(t.tenantId, t.slug),
    index("commerce_collections_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

export const commerceProductCollections = sqliteTable(
  "commerce_product_collections",
  {
    tenantId: tenantId(),
    collectionId: text("collection_id").notNull(),
    productId: text("product_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.collectionId, t.productId] }),
    index("commerce_product_collections_tenant_product_idx").on(t.tenantId, t.productId),
  ],
);

/**
 * Tax by destination. `region` '' = the whole country (a region-specific row wins over it).
 * `rate_ppm` = parts per million (8.875 % = 88750), so any published rate is exact.
 * `inclusive`: catalogue prices for this destination already contain the tax (extracted, total
 * unchanged); otherwise it is added on top. Rounding rules: docs/commerce.md.
 */
export const commerceTaxRates = sqliteTable(
  "commerce_tax_rates",
  {
    tenantId: tenantId(),
    id: id(),
    country: text("country").notNull(), // ISO 3166-1 alpha-2, upper case
    region: text("region").notNull().default(""), // subdivision code (e.g. "CA"); '' = whole country
    name: text("name").notNull().default("Tax"),
    ratePpm: integer("rate_ppm").notNull(),
    inclusive: integer("inclusive", { mode: "boolean" }).notNull().default(false),
    appliesToShipping: integer("applies_to_shipping", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("commerce_tax_rates_tenant_dest_uq").on(t.tenantId, t.country, t.region)],
);

export const SHIPPING_KINDS = ["flat", "weight"] as const;
export type ShippingKind = (typeof SHIPPING_KINDS)[number];
export interface WeightBand {
  up_to_grams: number;
  amount: number;
}

/**
 * A shipping rate in one currency for a set of countries ([] = everywhere). `flat`: `amount`;
 * `weight`: the first band whose `up_to_grams` ≥ the cart's weight (heavier than the last band =
 * not offered). `free_over_amount`: free when the discounted subtotal reaches it.
 */
export const commerceShippingRates = sqliteTable(
  "commerce_shipping_rates",
  {
    tenantId: tenantId(),
    id: id(),
    name: text("name").notNull(),
    currency: text("currency").notNull(),
    countries: text("countries", { mode: "json" }).$type<string[]>().notNull().default([]),
    kind: text("kind", { enum: SHIPPING_KINDS }).notNull().default("flat"),
    amount: integer("amount").notNull().default(0),
    weightBands: text("weight_bands", { mode: "json" }).$type<WeightBand[]>().notNull().default([]),
    freeOverAmount: integer("free_over_amount"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("commerce_shipping_rates_tenant_currency_idx").on(t.tenantId, t.currency)],
);

export const COUPON_KINDS = ["percent", "amount"] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];
export const COUPON_SCOPES = ["order", "products"] as const;
export type CouponScope = (typeof COUPON_SCOPES)[number];

/**
 * A coupon / promotion code (`code` stored upper case, unique per workspace). `percent_off_bps`:
 * basis points (12.5 % = 1250). `amount_off` and `min_subtotal` are in `currency` (required for
 * them; a coupon with a currency applies only to carts in it). `redeemed_count` counts live
 * redemptions (held or redeemed, not released) and only changes in the same D1 batch as a
 * commerce_coupon_redemptions row, under the limits (see redemptions.service.ts).
 */
export const commerceCoupons = sqliteTable(
  "commerce_coupons",
  {
    tenantId: tenantId(),
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull().default(""),
    kind: text("kind", { enum: COUPON_KINDS }).notNull(),
    percentOffBps: integer("percent_off_bps"),
    amountOff: integer("amount_off"),
    currency: text("currency"),
    appliesTo: text("applies_to", { enum: COUPON_SCOPES }).notNull().default("order"),
    productIds: text("product_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
    minSubtotal: integer("min_subtotal"),
    startsAt: timestamp("starts_at"),
    endsAt: timestamp("ends_at"),
    firstOrderOnly: integer("first_order_only", { mode: "boolean" }).notNull().default(false),
    maxRedemptions: integer("max_redemptions"),
    maxPerCustomer: integer("max_per_customer"),
    redeemedCount: integer("redeemed_count").notNull().default(0),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("commerce_coupons_tenant_code_uq").on(t.tenantId, t.code),
    index("commerce_coupons_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

export const REDEMPTION_STATUSES = ["held", "redeemed", "released"] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

/**
 * One use of a coupon by a customer for a checkout. `held` while the checkout is open (counts
 * against the limits), `redeemed` once paid (part 2 calls commitRedemption), `released` when the
 * checkout expires or is abandoned. `customer_key` = "user:<end user id>" or "email:<address>".
 */
export const commerceCouponRedemptions = sqliteTable(
  "commerce_coupon_redemptions",
  {
    tenantId: tenantId(),
    id: id(),
    couponId: text("coupon_id").notNull(),
    customerKey: text("customer_key").notNull(),
    checkoutId: text("checkout_id").notNull(),
    status: text("status", { enum: REDEMPTION_STATUSES }).notNull().default("held"),
    expiresAt: timestamp("expires_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("commerce_coupon_redemptions_tenant_coupon_customer_idx").on(t.tenantId, t.couponId, t.customerKey, t.status),
    index("commerce_coupon_redemptions_tenant_checkout_idx").on(t.tenantId, t.checkoutId),
    // Cross-tenant read of the expiry cron (like files_trash_due_idx): held rows only.
    index("commerce_coupon_redemptions_due_idx").on(t.expiresAt).where(sql`status = 'held'`),
  ],
);

export const CART_STATUSES = ["open", "merged", "checked_out"] as const;
export type CartStatus = (typeof CART_STATUSES)[number];

/**
 * A shopping cart of a site visitor. Its id is a capability (160 random bits): whoever holds it
 * may change the cart, but only through the workspace's own publishable key. `end_user_id` is a
 * signed-in end user of the portal (a later issue); an anonymous cart is merged into the user's
 * cart on sign-in (status `merged`, `merged_into`). Lines are priced on the server on every read.
 */
export const commerceCarts = sqliteTable(
  "commerce_carts",
  {
    tenantId: tenantId(),
    id: id(),
    currency: text("currency").notNull(),
    endUserId: text("end_user_id"),
    email: text("email"),
    country: text("country"),
    region: text("region"),
    couponCode: text("coupon_code"),
    shippingRateId: text("shipping_rate_id"),
    status: text("status", { enum: CART_STATUSES }).notNull().default("open"),
    mergedInto: text("merged_into"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("commerce_carts_tenant_user_idx").on(t.tenantId, t.endUserId, t.status).where(sql`end_user_id is not null`),
    index("commerce_carts_tenant_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

export const commerceCartLines = sqliteTable(
  "commerce_cart_lines",
  {
    tenantId: tenantId(),
    id: id(),
    cartId: text("cart_id").notNull(),
    variantId: text("variant_id").notNull(),
    quantity: integer("quantity").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("commerce_cart_lines_tenant_cart_variant_uq").on(t.tenantId, t.cartId, t.variantId),
    index("commerce_cart_lines_tenant_variant_idx").on(t.tenantId, t.variantId),
    check("commerce_cart_lines_quantity_check", sql`${t.quantity} > 0`),
  ],
);

export const RESERVATION_STATUSES = ["held", "committed", "released", "expired"] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/**
 * Units of a variant held for a checkout (`checkout_id`: the cart id now, part 2's checkout or
 * order id) until `expires_at`. Each row moves out of `held` exactly once, in the same D1 batch
 * as the matching change to the variant's `reserved` (and `on_hand` when committed).
 */
export const commerceReservations = sqliteTable(
  "commerce_reservations",
  {
    tenantId: tenantId(),
    id: id(),
    checkoutId: text("checkout_id").notNull(),
    variantId: text("variant_id").notNull(),
    quantity: integer("quantity").notNull(),
    status: text("status", { enum: RESERVATION_STATUSES }).notNull().default("held"),
    expiresAt: integer("expires_at").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("commerce_reservations_tenant_checkout_idx").on(t.tenantId, t.checkoutId),
    index("commerce_reservations_tenant_variant_idx").on(t.tenantId, t.variantId, t.status),
    // Cross-tenant read of the expiry cron: held rows only.
    index("commerce_reservations_due_idx").on(t.expiresAt).where(sql`status = 'held'`),
    check("commerce_reservations_quantity_check", sql`${t.quantity} > 0`),
  ],
);

/** Per-workspace commerce settings (one row; defaults apply while it is missing). */
export const commerceSettings = sqliteTable("commerce_settings", {
  tenantId: text("tenant_id").primaryKey(),
  currencies: text("currencies", { mode: "json" }).$type<string[]>().notNull().default(["USD"]),
  defaultCurrency: text("default_currency").notNull().default("USD"),
  reservationMinutes: integer("reservation_minutes").notNull().default(15),
  updatedAt: updatedAt(),
});
