import type { CouponKind, CouponScope, ShippingKind, WeightBand } from "../../../schema/commerce";
import { allocate, mulDivRound } from "./money";

/**
 * The pure pricing function: cart lines + coupon + tax + shipping → totals, all in integer minor
 * units of one currency. No I/O: carts, the coupon check and part 2's checkout/order all price
 * through this, so the number a visitor sees is the number that is charged. The rounding rules
 * (docs/commerce.md "Pricing") in short:
 *  1. a line's subtotal is unit × quantity (exact);
 *  2. a discount is computed once on the eligible subtotal (percent: rounded half up; amount: capped
 *     at the eligible subtotal), then split over the eligible lines by largest remainder, so the
 *     lines' discounts add up to the order's exactly;
 *  3. shipping is the rate's amount for the cart's weight, 0 when the discounted subtotal reaches
 *     `free_over_amount` or nothing in the cart ships;
 *  4. tax is computed once on the whole taxable base (discounted goods, plus shipping if the rate
 *     says so), rounded half up — exclusive: base × rate; inclusive: base × rate / (1 + rate),
 *     extracted from prices that contain it — then split over the lines (and shipping) by largest
 *     remainder;
 *  5. total = subtotal − discount + shipping + (exclusive tax); an inclusive tax is inside it.
 */

export interface PricingLine {
  key: string;
  productId: string;
  unitAmount: number;
  quantity: number;
  /** Per unit; 0 when unknown. */
  weightGrams: number;
  /** A physical good (needs shipping). */
  shippable: boolean;
}

export interface CouponRule {
  code: string;
  kind: CouponKind;
  percentOffBps: number | null;
  amountOff: number | null;
  appliesTo: CouponScope;
  productIds: string[];
}

export interface TaxRule {
  name: string;
  ratePpm: number;
  inclusive: boolean;
  appliesToShipping: boolean;
}

export interface ShippingRule {
  id: string;
  name: string;
  kind: ShippingKind;
  amount: number;
  weightBands: WeightBand[];
  freeOverAmount: number | null;
}

export interface PricingInput {
  currency: string;
  lines: PricingLine[];
  coupon?: CouponRule | null;
  tax?: TaxRule | null;
  shipping?: ShippingRule | null;
}

export interface PricedLine {
  key: string;
  unit_amount: number;
  quantity: number;
  subtotal: number;
  discount: number;
  tax: number;
  /** subtotal − discount (+ tax when exclusive). */
  total: number;
}

export interface Totals {
  currency: string;
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  shipping_tax: number;
  tax: number;
  tax_inclusive: boolean;
  total: number;
  weight_grams: number;
  requires_shipping: boolean;
}

/** Whether a coupon's scope covers a line. */
export const couponCovers = (coupon: CouponRule, line: { productId: string }) =>
  coupon.appliesTo === "order" || coupon.productIds.includes(line.productId);

/** The order-level discount of a coupon on an eligible subtotal (rule 2). */
export function discountOn(coupon: CouponRule, eligibleSubtotal: number): number {
  if (eligibleSubtotal <= 0) return 0;
  if (coupon.kind === "percent") return Math.min(eligibleSubtotal, mulDivRound(eligibleSubtotal, coupon.percentOffBps ?? 0, 10_000));
  return Math.min(eligibleSubtotal, coupon.amountOff ?? 0);
}

/** Shipping for a weight and discounted subtotal (rule 3); null = this rate does not ship that weight. */
export function shippingAmount(rule: ShippingRule, weightGrams: number, discountedSubtotal: number): number | null {
  let amount: number;
  if (rule.kind === "flat") amount = rule.amount;
  else {
    const band = [...rule.weightBands].sort((a, b) => a.up_to_grams - b.up_to_grams).find((b) => weightGrams <= b.up_to_grams);
    if (!band) return null;
    amount = band.amount;
  }
  if (rule.freeOverAmount !== null && discountedSubtotal >= rule.freeOverAmount) return 0;
  return amount;
}

/** Tax on a base (rule 4). */
export function taxOn(tax: TaxRule, base: number): number {
  if (base <= 0 || tax.ratePpm <= 0) return 0;
  return tax.inclusive ? mulDivRound(base, tax.ratePpm, 1_000_000 + tax.ratePpm) : mulDivRound(base, tax.ratePpm, 1_000_000);
}

export function priceCart(input: PricingInput): Totals {
  const lines = input.lines.map((l) => ({ ...l, subtotal: l.unitAmount * l.quantity }));
  const subtotal = lines.reduce((s, l) => s + l.subtotal, 0);

  // Rule 2: discount once, split over the eligible lines.
  const discounts = lines.map(() => 0);
  if (input.coupon) {
    const coupon = input.coupon;
    const eligible = lines.map((l, i) => ({ i, w: couponCovers(coupon, l) ? l.subtotal : 0 }));
    const total = discountOn(
      coupon,
      eligible.reduce((s, e) => s + e.w, 0),
    );
    const parts =
      total > 0
        ? allocate(
            total,
            eligible.map((e) => e.w),
          )
        : [];
    parts.forEach((p, i) => {
      discounts[i] = p;
    });
  }
  const discount = discounts.reduce((s, d) => s + d, 0);
  const discounted = subtotal - discount;

  // Rule 3: shipping.
  const shippable = lines.filter((l) => l.shippable);
  const requiresShipping = shippable.length > 0;
  const weight = shippable.reduce((s, l) => s + l.weightGrams * l.quantity, 0);
  const shipping = requiresShipping && input.shipping ? (shippingAmount(input.shipping, weight, discounted) ?? 0) : 0;

  // Rule 4: tax once on the base, split over the lines and shipping.
  const lineBases = lines.map((l, i) => l.subtotal - (discounts[i] ?? 0));
  const shippingBase = input.tax?.appliesToShipping ? shipping : 0;
  const tax = input.tax ? taxOn(input.tax, lineBases.reduce((s, b) => s + b, 0) + shippingBase) : 0;
  const taxParts = tax > 0 ? allocate(tax, [...lineBases, shippingBase]) : [...lineBases, shippingBase].map(() => 0);
  const inclusive = input.tax?.inclusive ?? false;

  const priced: PricedLine[] = lines.map((l, i) => {
    const lineTax = taxParts[i] ?? 0;
    const base = lineBases[i] ?? 0;
    return {
      key: l.key,
      unit_amount: l.unitAmount,
      quantity: l.quantity,
      subtotal: l.subtotal,
      discount: discounts[i] ?? 0,
      tax: lineTax,
      total: inclusive ? base : base + lineTax,
    };
  });
  return {
    currency: input.currency,
    lines: priced,
    subtotal,
    discount,
    shipping,
    shipping_tax: taxParts[lines.length] ?? 0,
    tax,
    tax_inclusive: inclusive,
    total: discounted + shipping + (inclusive ? 0 : tax),
    weight_grams: weight,
    requires_shipping: requiresShipping,
  };
}
