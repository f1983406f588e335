import { and, desc, eq, sql } from "drizzle-orm";
import { commerceCartLines, commerceCarts, commerceProducts, commerceReservations, commerceVariants } from "../../../schema/commerce";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest, notFound, Problem, validationFailed } from "../../platform/errors";
import { rawD1 } from "./d1";
import { newId, randomToken } from "../../platform/ids";
import { normalizeCode } from "./coupons.service";
import { getSettings } from "./settings.service";

/**
 * Carts of a tenant's site visitors. A cart id (`cart_` + 160 random bits) is a capability; every
 * function here also takes the tenant resolved from the publishable key, and a cart of another
 * tenant is "not found". Lines hold a variant and a quantity only: prices come from the catalogue
 * on every read (priced on the server only), in cart-pricing.ts.
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

/** Units of each variant held by this cart's own checkout (its reservations use the cart id): available to it. */
export async function heldByCart(db: Db, tenantId: string, cartId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ variantId: commerceReservations.variantId, quantity: commerceReservations.quantity })
    .from(commerceReservations)
    .where(
      tenantScope(db, tenantId).where(
        commerceReservations,
        eq(commerceReservations.checkoutId, cartId),
        eq(commerceReservations.status, "held"),
      ),
    );
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.variantId, (m.get(r.variantId) ?? 0) + r.quantity);
  return m;
}

async function checkStock(db: Db, tenantId: string, cartId: string, v: typeof commerceVariants.$inferSelect, quantity: number) {
  if (!v.trackInventory || quantity <= v.onHand - v.reserved) return;
  const available = v.onHand - v.reserved + ((await heldByCart(db, tenantId, cartId)).get(v.id) ?? 0);
  if (quantity > available)
    throw new Problem(409, "insufficient-stock", "Not enough stock", `Only ${Math.max(0, available)} of ${v.sku} left.`, {
      available: Math.max(0, available),
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
  await checkStock(db, tenantId, cartId, v, total);
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
  await checkStock(db, tenantId, cartId, await buyableVariant(db, tenantId, l.variantId), quantity);
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
