import { and, eq, inArray } from "drizzle-orm";
import { commerceProducts, commerceVariantPrices, commerceVariants } from "../../../schema/commerce";
import type { CheckoutTotals } from "../../../schema/commerce-orders";
import { tenantScope, type Db } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { COUPON_PROBLEM_TEXT, couponProblem, toCouponRule, type CouponProblem } from "./coupon-rules";
import { findCouponByCode } from "./coupons.service";
import { priceCart, shippingAmount, type CouponRule, type PricingLine } from "./pricing";
import { chunks } from "./products.read";
import { shippingRatesFor, taxFor } from "./rates.service";
import { customerUses, paidOrderCount } from "./redemptions.service";

/**
 * Prices a checkout's lines (variant + quantity) from the catalogue, through the same pure
 * `priceCart` the carts use, so the checkout shows what the order charges. Unlike a cart, a
 * checkout holds its stock (reservations), so stock is not a line problem here; a line whose
 * product was archived or has no price in the currency makes the checkout unpayable (422).
 */

export interface CheckoutLine {
  variant_id: string;
  product_id: string;
  title: string;
  variant_title: string;
  sku: string;
  type: "physical" | "digital";
  digital_file_id: string | null;
  image_file_id: string | null;
  weight_grams: number;
  quantity: number;
  unit_amount: number;
  discount: number;
  tax: number;
  total: number;
}

export interface CheckoutPricingInput {
  currency: string;
  lines: { variantId: string; quantity: number }[];
  couponCode: string | null;
  customerKey: string | null;
  country: string | null;
  region: string | null;
  shippingRateId: string | null;
  now?: number;
}

export interface PricedCheckout {
  lines: CheckoutLine[];
  totals: CheckoutTotals & { tax_inclusive: boolean; requires_shipping: boolean };
  shippingOptions: { id: string; name: string; amount: number }[];
  shippingRateId: string | null;
  shippingName: string | null;
  couponProblem: CouponProblem | null;
  couponMessage: string | null;
  couponId: string | null;
}

export class UnsellableLines extends Problem {
  constructor(lines: { variant_id: string; problem: string }[]) {
    super(422, "unsellable-lines", "Some items cannot be sold", "Some items are unavailable or not sold in this currency.", {
      errors: lines.map((l) => ({ path: `lines.${l.variant_id}`, message: l.problem })),
      lines,
    });
  }
}

export async function priceCheckoutLines(db: Db, tenantId: string, input: CheckoutPricingInput): Promise<PricedCheckout> {
  const now = input.now ?? Date.now();
  const merged = new Map<string, number>();
  for (const l of input.lines) merged.set(l.variantId, (merged.get(l.variantId) ?? 0) + l.quantity);
  const ids = [...merged.keys()];
  type Row = {
    v: typeof commerceVariants.$inferSelect;
    p: typeof commerceProducts.$inferSelect;
    price: number | null;
  };
  const found = new Map<string, Row>();
  for (const part of chunks(ids, 40)) {
    const rows = await db
      .select({ v: commerceVariants, p: commerceProducts, price: commerceVariantPrices.amount })
      .from(commerceVariants)
      .innerJoin(
        commerceProducts,
        and(eq(commerceProducts.tenantId, commerceVariants.tenantId), eq(commerceProducts.id, commerceVariants.productId)),
      )
      .leftJoin(
        commerceVariantPrices,
        and(
          eq(commerceVariantPrices.tenantId, commerceVariants.tenantId),
          eq(commerceVariantPrices.variantId, commerceVariants.id),
          eq(commerceVariantPrices.currency, input.currency),
        ),
      )
      .where(tenantScope(db, tenantId).where(commerceVariants, inArray(commerceVariants.id, part)));
    for (const r of rows) found.set(r.v.id, r);
  }
  const problems: { variant_id: string; problem: string }[] = [];
  for (const id of ids) {
    const r = found.get(id);
    if (r?.p.status !== "active") problems.push({ variant_id: id, problem: "unavailable" });
    else if (r.price === null) problems.push({ variant_id: id, problem: "not_sold_in_currency" });
  }
  if (problems.length) throw new UnsellableLines(problems);

  const pricingLines: PricingLine[] = ids.map((id) => {
    const r = found.get(id) as Row;
    return {
      key: id,
      productId: r.p.id,
      unitAmount: r.price ?? 0,
      quantity: merged.get(id) ?? 0,
      weightGrams: r.v.weightGrams ?? r.p.weightGrams ?? 0,
      shippable: r.p.type === "physical",
    };
  });

  let rule: CouponRule | null = null;
  let reason: CouponProblem | null = null;
  let couponId: string | null = null;
  if (input.couponCode) {
    const c = await findCouponByCode(db, tenantId, input.couponCode);
    reason = !c
      ? "not_found"
      : couponProblem(c, {
          currency: input.currency,
          lines: pricingLines,
          now,
          paidOrders: input.customerKey ? await paidOrderCount(db, tenantId, input.customerKey) : 0,
          customerUses: input.customerKey ? await customerUses(db, tenantId, c.id, input.customerKey) : 0,
        });
    if (c && !reason) {
      rule = toCouponRule(c);
      couponId = c.id;
    }
  }

  const [tax, rates] = await Promise.all([
    taxFor(db, tenantId, input.country, input.region),
    shippingRatesFor(db, tenantId, input.currency, input.country),
  ]);
  const base = priceCart({ currency: input.currency, lines: pricingLines, coupon: rule });
  const options = base.requires_shipping
    ? rates.flatMap((r) => {
        const amount = shippingAmount(r, base.weight_grams, base.subtotal - base.discount);
        return amount === null ? [] : [{ id: r.id, name: r.name, amount, rule: r }];
      })
    : [];
  const chosen = options.find((o) => o.id === input.shippingRateId) ?? [...options].sort((a, b) => a.amount - b.amount)[0] ?? null;
  const totals = priceCart({ currency: input.currency, lines: pricingLines, coupon: rule, tax, shipping: chosen?.rule ?? null });
  const byKey = new Map(totals.lines.map((l) => [l.key, l]));
  return {
    lines: ids.map((id) => {
      const r = found.get(id) as Row;
      const p = byKey.get(id);
      return {
        variant_id: id,
        product_id: r.p.id,
        title: r.p.title,
        variant_title: r.v.title,
        sku: r.v.sku,
        type: r.p.type,
        digital_file_id: r.p.digitalFileId ?? null,
        image_file_id: r.p.images?.[0] ?? null,
        weight_grams: r.v.weightGrams ?? r.p.weightGrams ?? 0,
        quantity: merged.get(id) ?? 0,
        unit_amount: r.price ?? 0,
        discount: p?.discount ?? 0,
        tax: p?.tax ?? 0,
        total: p?.total ?? 0,
      };
    }),
    totals: {
      subtotal: totals.subtotal,
      discount: totals.discount,
      shipping: totals.shipping,
      tax: totals.tax,
      total: totals.total,
      tax_inclusive: totals.tax_inclusive,
      requires_shipping: totals.requires_shipping,
    },
    shippingOptions: options.map(({ id, name, amount }) => ({ id, name, amount })),
    shippingRateId: chosen?.id ?? null,
    shippingName: chosen?.name ?? null,
    couponProblem: reason,
    couponMessage: reason ? COUPON_PROBLEM_TEXT[reason] : null,
    couponId,
  };
}
