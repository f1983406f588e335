import { z } from "@hono/zod-openapi";
import { CHECKOUT_STATUSES, FULFILMENT_STATUSES, ORDER_STATUSES, PAYMENT_PROVIDERS } from "../../../schema/commerce-orders";
import { currencyField } from "./catalogue.schemas";

/** zod schemas (→ OpenAPI) of the storefront's checkout and the buyer's order (docs/commerce-api.md). */

export const addressSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1).max(100),
    region: z
      .string()
      .trim()
      .max(3)
      .transform((s) => s.toUpperCase())
      .optional(),
    postal_code: z.string().trim().min(1).max(20),
    country: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{2}$/, "a two-letter ISO 3166-1 country code")),
    phone: z.string().trim().max(40).optional(),
  })
  .openapi("CommerceAddress");

export const checkoutInput = z
  .object({
    cart_id: z.string().min(1).max(64).optional(),
    lines: z
      .array(z.object({ variant_id: z.string().min(1).max(64), quantity: z.number().int().min(1).max(999) }))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "A Buy link's lines (instead of cart_id)" }),
    currency: currencyField.optional(),
    email: z.email().max(254).nullable().optional(),
    shipping_address: addressSchema.nullable().optional(),
    shipping_rate_id: z.string().max(64).nullable().optional(),
    coupon_code: z.string().trim().max(40).nullable().optional(),
    success_url: z.url().max(2000).nullable().optional(),
    cancel_url: z.url().max(2000).nullable().optional(),
  })
  .refine((v) => !!v.cart_id !== !!v.lines, { message: "give cart_id or lines", path: ["cart_id"] })
  .openapi("CommerceCheckoutInput");

export const checkoutPatch = z
  .object({
    email: z.email().max(254).nullable().optional(),
    shipping_address: addressSchema.nullable().optional(),
    shipping_rate_id: z.string().max(64).nullable().optional(),
    coupon_code: z.string().trim().max(40).nullable().optional().openapi({ description: "null removes the code" }),
  })
  .openapi("CommerceCheckoutPatch");

const totals = z.object({
  subtotal: z.number().int(),
  discount: z.number().int(),
  shipping: z.number().int(),
  tax: z.number().int(),
  tax_inclusive: z.boolean(),
  total: z.number().int(),
});

export const checkoutSchema = z
  .object({
    id: z.string().openapi({ description: "A capability (chk_ + 160 random bits)" }),
    status: z.enum(CHECKOUT_STATUSES),
    currency: z.string(),
    email: z.string().nullable(),
    shipping_address: addressSchema.nullable(),
    shipping_rate_id: z.string().nullable(),
    shipping_options: z.array(z.object({ id: z.string(), name: z.string(), amount: z.number().int() })),
    requires_shipping: z.boolean(),
    coupon_code: z.string().nullable(),
    coupon_problem: z.string().nullable().openapi({ description: "Why the code does not apply (a coupon reason), or null" }),
    coupon_message: z.string().nullable(),
    lines: z.array(
      z.object({
        variant_id: z.string(),
        product_id: z.string(),
        title: z.string(),
        variant_title: z.string(),
        sku: z.string(),
        quantity: z.number().int(),
        unit_amount: z.number().int(),
        discount: z.number().int(),
        tax: z.number().int(),
        total: z.number().int(),
        image_file_id: z.string().nullable(),
        type: z.enum(["physical", "digital"]),
      }),
    ),
    totals,
    providers: z.array(z.enum(PAYMENT_PROVIDERS)),
    success_url: z.string().nullable(),
    cancel_url: z.string().nullable(),
    expires_at: z.string(),
    order: z.object({ id: z.string(), number: z.number().int(), status: z.string(), access_token: z.string() }).nullable(),
  })
  .openapi("CommerceCheckout");

export const payInput = z.object({ provider: z.enum(PAYMENT_PROVIDERS) }).openapi("CommercePayInput");
export const payResult = z
  .object({
    order_id: z.string(),
    order_number: z.number().int(),
    provider: z.enum(PAYMENT_PROVIDERS),
    redirect_url: z.string(),
    access_token: z.string().openapi({ description: "The buyer's token for GET /orders/{id}?token=" }),
  })
  .openapi("CommercePayResult");

export const captureInput = z.object({ paypal_order_id: z.string().min(1).max(64) });
export const captureResult = z.object({ order_id: z.string(), status: z.string(), access_token: z.string() });

export const buyerOrderSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    status: z.enum(ORDER_STATUSES),
    fulfilment_status: z.enum(FULFILMENT_STATUSES),
    email: z.string(),
    currency: z.string(),
    totals: totals.omit({ tax_inclusive: true }),
    refunded: z.number().int(),
    lines: z.array(
      z.object({
        title: z.string(),
        variant_title: z.string(),
        quantity: z.number().int(),
        unit_amount: z.number().int(),
        total: z.number().int(),
        type: z.enum(["physical", "digital"]),
        download_url: z.string().nullable().openapi({ description: "Signed, ~24 h; only once paid" }),
      }),
    ),
    shipping_address: addressSchema.nullable(),
    tracking: z.array(
      z.object({ carrier: z.string().nullable(), tracking_number: z.string().nullable(), tracking_url: z.string().nullable() }),
    ),
    failure_reason: z.string().nullable(),
    created_at: z.string(),
    paid_at: z.string().nullable(),
  })
  .openapi("CommerceBuyerOrder");
