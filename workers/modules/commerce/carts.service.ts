import { and, asc, desc, eq, sql } from "drizzle-orm";
import { commerceCartLines, commerceCarts, commerceProducts, commerceVariantPrices, commerceVariants } from "../../../schema/commerce";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest, notFound, Problem, validationFailed } from "../../platform/errors";
import { rawD1 } from "./d1";
import { newId, randomToken } from "../../platform/ids";
import {
  COUPON_PROBLEM_TEXT,
  couponProblem,
  customerKey,
  customerUses,
  findCouponByCode,
  normalizeCode,
  paidOrderCount,
  toCouponRule,
  type CouponProblem,
} from "./coupons.service";
import { priceCart, shippingAmount, type PricingLine } from "./pricing";
import { shippingRatesFor, taxFor } from "./rates.service";
import { getSettings } from "./settings.service";

/**
 * Carts of a tenant's site visitors. A cart id (`cart_` + 160 random bits) is a capability; every
 * function here also takes the tenant resolved from the publishable key, and a cart of another
 * tenant is "not found". Lines hold a variant and a quantity only: prices come from the catalogue
 * on every read (priced on the server only), through the pure pricing function.
 */

export type CartRow = typeof commerceCarts.$inferSelect;
export const MAX_QUANTITY = 999;
export const MAX_LINES = 100;

export interface CartPatch {
  email?: string | null;
  country?: string | null;
  region?: string | null;
  currency?: string;
  coupon_code?: string | null;
  shipping_rate_id?: string | null;
}

export async function getCartRow(db: Db, tenantId: string, cartId: string): Promise<CartRow> {
  const row = await db
    .select()
    .from(commerceCarts)
    .where(tenantScope(db, tenantId).where(commerceCarts, eq(commerceCarts.id, cartId)))
    .get();
  if (!row) throw notFound("Cart");
  return row;
}

async function openCart(db: Db, tenantId: string, cartId: string): Promise<CartRow> {
  const cart = await getCartRow(db, tenantId, cartId);
  if (cart.status !== "open")
    throw new Problem(
      409,
      "cart-closed",
      "Conflict",
      cart.status === "merged" ? "This cart was merged into another one." : "This cart was checked out.",
      {
        status: cart.status,
        merged_into: cart.mergedInto,
      },
    );
  return cart;
}

async function checkCurrency(db: Db, tenantId: string, currency: string | undefined): Promise<string> {
  const settings = await getSettings(db, tenantId);
  const c = currency ?? settings.default_currency;
  if (!settings.currencies.includes(c))
    throw validationFailed([{ path: "currency", message: `this shop sells in ${settings.currencies.join(", ")}` }]);
  return c;
}

export async function createCart(db: Db, tenantId: string, input: CartPatch & { end_user_id?: string | null }): Promise<CartRow> {
  const currency = await checkCurrency(db, tenantId, input.currency);
  const now = Date.now();
  const row: CartRow = {
    tenantId,
    id: `cart_${randomToken(20)}`,
    currency,
    endUserId: input.end_user_id ?? null,
    email: input.email ?? null,
    country: input.country ?? null,
    region: input.region ?? null,
    couponCode: input.coupon_code ? normalizeCode(input.coupon_code) : null,
    shippingRateId: input.shipping_rate_id ?? null,
    status: "open",
    mergedInto: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(commerceCarts).values(row);
  return row;
}

export async function updateCart(db: Db, tenantId: string, cartId: string, patch: CartPatch): Promise<CartRow> {
  await openCart(db, tenantId, cartId);
  if (patch.currency !== undefined) await checkCurrency(db, tenantId, patch.currency);
  await db
    .update(commerceCarts)
    .set({
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(patch.country !== undefined ? { country: patch.country } : {}),
      ...(patch.region !== undefined ? { region: patch.region } : {}),
      ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
      ...(patch.coupon_code !== undefined ? { couponCode: patch.coupon_code ? normalizeCode(patch.coupon_code) : null } : {}),
      ...(patch.shipping_rate_id !== undefined ? { shippingRateId: patch.shipping_rate_id } : {}),
      updatedAt: Date.now(),
    })
    .where(and(eq(commerceCarts.tenantId, tenantId), eq(commerceCarts.id, cartId)));
  return getCartRow(db, tenantId, cartId);
}

/** The variant a visitor may buy: of this tenant, of an active product. */
async function buyableVariant(db: Db, tenantId: string, variantId: string) {
  const row = await db
    .select({ v: commerceVariants, status: commerceProducts.status })
    .from(commerceVariants)
    .innerJoin(
      commerceProducts,
      and(eq(commerceProducts.tenantId, commerceVariants.tenantId), eq(commerceProducts.id, commerceVariants.productId)),
    )
    .where(tenantScope(db, tenantId).where(commerceVariants, eq(commerceVariants.id, variantId)))
    .get();
  if (row?.status !== "active") throw notFound("Variant");
  return row.v;
}

function checkStock(v: typeof commerceVariants.$inferSelect, quantity: number) {
  if (v.trackInventory && quantity > v.onHand - v.reserved)
    throw new Problem(409, "insufficient-stock", "Not enough stock", `Only ${Math.max(0, v.onHand - v.reserved)} of ${v.sku} left.`, {
      available: Math.max(0, v.onHand - v.reserved),
    });
}

/** Adds units of a variant (to its line if the cart has one). */
export async function addLine(db: Db, tenantId: string, cartId: string, variantId: string, quantity: number): Promise<void> {
  await openCart(db, tenantId, cartId);
  const v = await buyableVariant(db, tenantId, variantId);
  const existing = await db
    .select()
    .from(commerceCartLines)
    .where(tenantScope(db, tenantId).where(commerceCartLines, eq(commerceCartLines.cartId, cartId)));
  const line = existing.find((l) => l.variantId === variantId);
  const total = (line?.quantity ?? 0) + quantity;
  if (total > MAX_QUANTITY) throw validationFailed([{ path: "quantity", message: `at most ${MAX_QUANTITY} of one item` }]);
  if (!line && existing.length >= MAX_LINES) throw badRequest(`A cart holds at most ${MAX_LINES} different items.`);
  checkStock(v, total);
  const now = Date.now();
  await db.batch([
    db
      .insert(commerceCartLines)
      .values({ tenantId, id: newId("line"), cartId, variantId, quantity, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [commerceCartLines.tenantId, commerceCartLines.cartId, commerceCartLines.variantId],
        set: { quantity: sql`min(${MAX_QUANTITY}, ${commerceCartLines.quantity} + excluded.quantity)`, updatedAt: now },
      }),
    db
      .update(commerceCarts)
      .set({ updatedAt: now })
      .where(and(eq(commerceCarts.tenantId, tenantId), eq(commerceCarts.id, cartId))),
  ]);
}

async function lineRow(db: Db, tenantId: string, cartId: string, lineId: string) {
  const l = await db
    .select()
    .from(commerceCartLines)
    .where(tenantScope(db, tenantId).where(commerceCartLines, eq(commerceCartLines.cartId, cartId), eq(commerceCartLines.id, lineId)))
    .get();
  if (!l) throw notFound("Cart line");
  return l;
}

/** Sets a line's quantity (0 removes it). */
export async function setLineQuantity(db: Db, tenantId: string, cartId: string, lineId: string, quantity: number): Promise<void> {
  await openCart(db, tenantId, cartId);
  const l = await lineRow(db, tenantId, cartId, lineId);
  if (quantity === 0) return removeLine(db, tenantId, cartId, lineId);
  checkStock(await buyableVariant(db, tenantId, l.variantId), quantity);
  const now = Date.now();
  await db.batch([
    db
      .update(commerceCartLines)
      .set({ quantity, updatedAt: now })
      .where(and(eq(commerceCartLines.tenantId, tenantId), eq(commerceCartLines.id, lineId))),
    db
      .update(commerceCarts)
      .set({ updatedAt: now })
      .where(and(eq(commerceCarts.tenantId, tenantId), eq(commerceCarts.id, cartId))),
  ]);
}

export async function removeLine(db: Db, tenantId: string, cartId: string, lineId: string): Promise<void> {
  await openCart(db, tenantId, cartId);
  await lineRow(db, tenantId, cartId, lineId);
  const now = Date.now();
  await db.batch([
    db.delete(commerceCartLines).where(and(eq(commerceCartLines.tenantId, tenantId), eq(commerceCartLines.id, lineId))),
    db
      .update(commerceCarts)
      .set({ updatedAt: now })
      .where(and(eq(commerceCarts.tenantId, tenantId), eq(commerceCarts.id, cartId))),
  ]);
}

/**
 * Signing in: the anonymous cart joins the end user's open cart (quantities added, capped at
 * MAX_QUANTITY; the user's coupon kept, else the anonymous one's), and becomes `merged` pointing
 * at it — one batch. With no cart yet, the anonymous cart simply becomes the user's. Returns the
 * user's cart id. An anonymous cart of another user is "not found".
 */
export async function mergeCarts(db: Db, tenantId: string, anonymousCartId: string, endUserId: string): Promise<string> {
  const anon = await openCart(db, tenantId, anonymousCartId);
  if (anon.endUserId === endUserId) return anon.id;
  if (anon.endUserId) throw notFound("Cart");
  const mine = await db
    .select()
    .from(commerceCarts)
    .where(tenantScope(db, tenantId).where(commerceCarts, eq(commerceCarts.endUserId, endUserId), eq(commerceCarts.status, "open")))
    .orderBy(desc(commerceCarts.updatedAt))
    .get();
  const now = Date.now();
  if (!mine) {
    await db
      .update(commerceCarts)
      .set({ endUserId, updatedAt: now })
      .where(and(eq(commerceCarts.tenantId, tenantId), eq(commerceCarts.id, anon.id)));
    return anon.id;
  }
  const d1 = rawD1(db);
  await d1.batch([
    d1
      .prepare(
        `INSERT INTO commerce_cart_lines (tenant_id, id, cart_id, variant_id, quantity, created_at, updated_at)
         SELECT tenant_id, 'line_' || lower(hex(randomblob(13))), ?3, variant_id, quantity, ?4, ?4
         FROM commerce_cart_lines WHERE tenant_id = ?1 AND cart_id = ?2 AND true
         ON CONFLICT (tenant_id, cart_id, variant_id) DO UPDATE SET quantity = min(?5, quantity + excluded.quantity), updated_at = ?4`,
      )
      .bind(tenantId, anon.id, mine.id, now, MAX_QUANTITY),
    d1
      .prepare("UPDATE commerce_carts SET coupon_code = ?3, email = ?4, updated_at = ?5 WHERE tenant_id = ?1 AND id = ?2")
      .bind(tenantId, mine.id, mine.couponCode ?? anon.couponCode, mine.email ?? anon.email, now),
    d1
      .prepare(
        "UPDATE commerce_carts SET status = 'merged', merged_into = ?3, updated_at = ?4 WHERE tenant_id = ?1 AND id = ?2 AND status = 'open'",
      )
      .bind(tenantId, anon.id, mine.id, now),
    d1.prepare("DELETE FROM commerce_cart_lines WHERE tenant_id = ?1 AND cart_id = ?2").bind(tenantId, anon.id),
  ]);
  return mine.id;
}

/** The cart as the site shows it: every line priced from the catalogue, coupon, tax and shipping applied. */
export async function pricedCart(db: Db, tenantId: string, cartId: string, now = Date.now()) {
  const cart = await getCartRow(db, tenantId, cartId);
  const rows = await db
    .select({
      line: commerceCartLines,
      sku: commerceVariants.sku,
      variantTitle: commerceVariants.title,
      variantWeight: commerceVariants.weightGrams,
      track: commerceVariants.trackInventory,
      onHand: commerceVariants.onHand,
      reserved: commerceVariants.reserved,
      productId: commerceProducts.id,
      productTitle: commerceProducts.title,
      productStatus: commerceProducts.status,
      productType: commerceProducts.type,
      productWeight: commerceProducts.weightGrams,
      images: commerceProducts.images,
      price: commerceVariantPrices.amount,
    })
    .from(commerceCartLines)
    .leftJoin(
      commerceVariants,
      and(eq(commerceVariants.tenantId, commerceCartLines.tenantId), eq(commerceVariants.id, commerceCartLines.variantId)),
    )
    .leftJoin(
      commerceProducts,
      and(eq(commerceProducts.tenantId, commerceVariants.tenantId), eq(commerceProducts.id, commerceVariants.productId)),
    )
    .leftJoin(
      commerceVariantPrices,
      and(
        eq(commerceVariantPrices.tenantId, commerceCartLines.tenantId),
        eq(commerceVariantPrices.variantId, commerceCartLines.variantId),
        eq(commerceVariantPrices.currency, cart.currency),
      ),
    )
    .where(tenantScope(db, tenantId).where(commerceCartLines, eq(commerceCartLines.cartId, cartId)))
    .orderBy(asc(commerceCartLines.createdAt), asc(commerceCartLines.id));

  const lineProblem = (r: (typeof rows)[number]): string | null => {
    if (!r.productId || r.productStatus !== "active") return "unavailable";
    if (r.price === null) return "not_sold_in_currency";
    if (r.track && r.line.quantity > (r.onHand ?? 0) - (r.reserved ?? 0)) return "insufficient_stock";
    return null;
  };
  const sellable = rows.filter((r) => lineProblem(r) === null);
  const pricingLines: PricingLine[] = sellable.map((r) => ({
    key: r.line.id,
    productId: r.productId ?? "",
    unitAmount: r.price ?? 0,
    quantity: r.line.quantity,
    weightGrams: r.variantWeight ?? r.productWeight ?? 0,
    shippable: r.productType === "physical",
  }));

  // Coupon: the pure check, with the customer's history when the cart knows who it is.
  let coupon: { code: string; applied: boolean; reason: CouponProblem | null; message: string | null } | null = null;
  let rule = null;
  if (cart.couponCode) {
    const c = await findCouponByCode(db, tenantId, cart.couponCode);
    const key = customerKey(cart);
    const reason: CouponProblem | null = !c
      ? "not_found"
      : couponProblem(c, {
          currency: cart.currency,
          lines: pricingLines,
          now,
          paidOrders: key ? await paidOrderCount(db, tenantId, key) : 0,
          customerUses: key ? await customerUses(db, tenantId, c.id, key) : 0,
        });
    if (c && !reason) rule = toCouponRule(c);
    coupon = { code: cart.couponCode, applied: reason === null, reason, message: reason ? COUPON_PROBLEM_TEXT[reason] : null };
  }

  const [tax, rates] = await Promise.all([
    taxFor(db, tenantId, cart.country, cart.region),
    shippingRatesFor(db, tenantId, cart.currency, cart.country),
  ]);
  // Shipping options for this cart (weight and discounted subtotal from a first pass without shipping).
  const base = priceCart({ currency: cart.currency, lines: pricingLines, coupon: rule });
  const options = base.requires_shipping
    ? rates.flatMap((r) => {
        const amount = shippingAmount(r, base.weight_grams, base.subtotal - base.discount);
        return amount === null ? [] : [{ id: r.id, name: r.name, amount, rule: r }];
      })
    : [];
  const chosen = options.find((o) => o.id === cart.shippingRateId) ?? [...options].sort((a, b) => a.amount - b.amount)[0] ?? null;
  const totals = priceCart({ currency: cart.currency, lines: pricingLines, coupon: rule, tax, shipping: chosen?.rule ?? null });
  const byKey = new Map(totals.lines.map((l) => [l.key, l]));

  return {
    id: cart.id,
    status: cart.status,
    merged_into: cart.mergedInto,
    currency: cart.currency,
    email: cart.email,
    end_user_id: cart.endUserId,
    country: cart.country,
    region: cart.region,
    coupon,
    shipping_rate_id: chosen?.id ?? null,
    shipping_options: options.map(({ id, name, amount }) => ({ id, name, amount })),
    shipping_available: !totals.requires_shipping || chosen !== null,
    tax_name: tax?.name ?? null,
    lines: rows.map((r) => {
      const p = byKey.get(r.line.id);
      return {
        id: r.line.id,
        variant_id: r.line.variantId,
        product_id: r.productId,
        product_title: r.productTitle,
        variant_title: r.variantTitle,
        sku: r.sku,
        image: r.images?.[0] ?? null,
        quantity: r.line.quantity,
        unit_amount: r.price,
        subtotal: p?.subtotal ?? 0,
        discount: p?.discount ?? 0,
        tax: p?.tax ?? 0,
        total: p?.total ?? 0,
        problem: lineProblem(r),
      };
    }),
    totals: {
      subtotal: totals.subtotal,
      discount: totals.discount,
      shipping: totals.shipping,
      tax: totals.tax,
      tax_inclusive: totals.tax_inclusive,
      total: totals.total,
      weight_grams: totals.weight_grams,
      requires_shipping: totals.requires_shipping,
    },
    created_at: new Date(cart.createdAt).toISOString(),
    updated_at: new Date(cart.updatedAt).toISOString(),
  };
}
export type PricedCart = Awaited<ReturnType<typeof pricedCart>>;

/** Carts of an end user (for the portal later): their open cart, if any. */
export async function openCartOf(db: Db, tenantId: string, endUserId: string): Promise<string | null> {
  const row = await db
    .select({ id: commerceCarts.id })
    .from(commerceCarts)
    .where(tenantScope(db, tenantId).where(commerceCarts, eq(commerceCarts.endUserId, endUserId), eq(commerceCarts.status, "open")))
    .orderBy(desc(commerceCarts.updatedAt))
    .get();
  return row?.id ?? null;
}
