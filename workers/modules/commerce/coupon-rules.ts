import type { commerceCoupons } from "../../../schema/commerce";
import { couponCovers, type CouponRule, type PricingLine } from "./pricing";

/** Whether a coupon applies to a cart: pure rules, no I/O (the limits are re-checked atomically by redeemCoupon). */

type CouponRow = typeof commerceCoupons.$inferSelect;

export const toCouponRule = (c: CouponRow): CouponRule => ({
  code: c.code,
  kind: c.kind,
  percentOffBps: c.percentOffBps,
  amountOff: c.amountOff,
  appliesTo: c.appliesTo,
  productIds: c.productIds,
});

export const COUPON_PROBLEMS = [
  "not_found",
  "inactive",
  "not_started",
  "expired",
  "currency",
  "min_subtotal",
  "not_applicable",
  "first_order_only",
  "usage_limit",
  "customer_limit",
] as const;
export type CouponProblem = (typeof COUPON_PROBLEMS)[number];

export const COUPON_PROBLEM_TEXT: Record<CouponProblem, string> = {
  not_found: "There is no such code.",
  inactive: "This code is no longer active.",
  not_started: "This code is not valid yet.",
  expired: "This code has expired.",
  currency: "This code is for another currency.",
  min_subtotal: "The order is below this code's minimum.",
  not_applicable: "This code does not apply to anything in the cart.",
  first_order_only: "This code is for a first order only.",
  usage_limit: "This code has been used up.",
  customer_limit: "You have already used this code.",
};

export interface CouponContext {
  currency: string;
  lines: Pick<PricingLine, "productId" | "unitAmount" | "quantity">[];
  now: number;
  /** The customer's paid orders (part 2 supplies the count; see paidOrderCount). */
  paidOrders: number;
  /** The customer's live (held or redeemed) uses of this coupon, when known. */
  customerUses?: number;
}

/** Why a coupon does not apply (null: it does). Pure; the limits are re-checked atomically by redeemCoupon. */
export function couponProblem(c: CouponRow, ctx: CouponContext): CouponProblem | null {
  if (!c.active) return "inactive";
  if (c.startsAt !== null && ctx.now < c.startsAt) return "not_started";
  if (c.endsAt !== null && ctx.now >= c.endsAt) return "expired";
  if (c.currency !== null && c.currency !== ctx.currency) return "currency";
  const subtotal = ctx.lines.reduce((s, l) => s + l.unitAmount * l.quantity, 0);
  if (c.minSubtotal !== null && subtotal < c.minSubtotal) return "min_subtotal";
  const rule = toCouponRule(c);
  if (!ctx.lines.some((l) => couponCovers(rule, l))) return "not_applicable";
  if (c.firstOrderOnly && ctx.paidOrders > 0) return "first_order_only";
  if (c.maxRedemptions !== null && c.redeemedCount >= c.maxRedemptions) return "usage_limit";
  if (c.maxPerCustomer !== null && (ctx.customerUses ?? 0) >= c.maxPerCustomer) return "customer_limit";
  return null;
}

/** "user:<end user id>" when signed in, else "email:<lower-cased address>". */
export function customerKey(c: { endUserId?: string | null; email?: string | null }): string | null {
  if (c.endUserId) return `user:${c.endUserId}`;
  if (c.email) return `email:${c.email.trim().toLowerCase()}`;
  return null;
}
