import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import type { CheckoutLine } from "./checkout-pricing";
import type { CheckoutTotals } from "../../../schema/commerce-orders";
import type { CheckoutRow } from "./checkouts.service";
import { availableProviders } from "./providers.service";

/** What the totals JSON keeps besides the figures: the last pricing's options and coupon verdict. */
export interface StoredTotals extends CheckoutTotals {
  tax_inclusive?: boolean;
  requires_shipping?: boolean;
  shipping_options?: { id: string; name: string; amount: number }[];
  shipping_name?: string | null;
  coupon_problem?: string | null;
  coupon_message?: string | null;
  coupon_id?: string | null;
}

export const storedTotals = (co: CheckoutRow) => co.totals as StoredTotals;

/** The public Checkout shape (docs/commerce-api.md). */
export async function serializeCheckout(
  env: Env,
  db: Db,
  co: CheckoutRow,
  order: { id: string; number: number; status: string; accessToken: string } | null,
) {
  const t = storedTotals(co);
  const now = Date.now();
  return {
    id: co.id,
    status: co.status === "open" && co.expiresAt <= now ? ("expired" as const) : co.status,
    currency: co.currency,
    email: co.email,
    shipping_address: co.shippingAddress ?? null,
    shipping_rate_id: co.shippingRateId,
    shipping_options: t.shipping_options ?? [],
    requires_shipping: t.requires_shipping ?? false,
    coupon_code: co.couponCode,
    coupon_problem: t.coupon_problem ?? null,
    coupon_message: t.coupon_message ?? null,
    lines: (co.lines as CheckoutLine[]).map((l) => ({
      variant_id: l.variant_id,
      product_id: l.product_id,
      title: l.title,
      variant_title: l.variant_title,
      sku: l.sku,
      quantity: l.quantity,
      unit_amount: l.unit_amount,
      discount: l.discount,
      tax: l.tax,
      total: l.total,
      image_file_id: l.image_file_id,
      type: l.type,
    })),
    totals: {
      subtotal: t.subtotal,
      discount: t.discount,
      shipping: t.shipping,
      tax: t.tax,
      tax_inclusive: t.tax_inclusive ?? false,
      total: t.total,
    },
    providers: await availableProviders(db, env, co.tenantId),
    success_url: co.successUrl,
    cancel_url: co.cancelUrl,
    expires_at: new Date(co.expiresAt).toISOString(),
    order: order ? { id: order.id, number: order.number, status: order.status, access_token: order.accessToken } : null,
  };
}
