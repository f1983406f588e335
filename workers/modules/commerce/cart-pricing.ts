import { and, asc, eq } from "drizzle-orm";
import { commerceCartLines, commerceProducts, commerceVariantPrices, commerceVariants } from "../../../schema/commerce";
import { tenantScope, type Db } from "../../platform/db";
import { getCartRow, heldByCart } from "./carts.service";
import { COUPON_PROBLEM_TEXT, couponProblem, customerKey, toCouponRule, type CouponProblem } from "./coupon-rules";
import { findCouponByCode } from "./coupons.service";
import { priceCart, shippingAmount, type PricingLine } from "./pricing";
import { shippingRatesFor, taxFor } from "./rates.service";
import { customerUses, paidOrderCount } from "./redemptions.service";

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

  const mine = await heldByCart(db, tenantId, cartId);
  const lineProblem = (r: (typeof rows)[number]): string | null => {
    if (!r.productId || r.productStatus !== "active") return "unavailable";
    if (r.price === null) return "not_sold_in_currency";
    if (r.track && r.line.quantity > (r.onHand ?? 0) - (r.reserved ?? 0) + (mine.get(r.line.variantId) ?? 0)) return "insufficient_stock";
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
