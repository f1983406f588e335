import { z } from "@hono/zod-openapi";
import { CART_STATUSES } from "../../../schema/commerce";
import { COUPON_PROBLEMS } from "./coupon-rules";
import { currencyField } from "./catalogue.schemas";

export const publicKeyQuery = z.object({
  key: z.string().max(200).optional().openapi({ description: "Publishable key (pk_live_…); or send it as X-Publishable-Key" }),
});

const country = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, "a two-letter ISO 3166-1 country code"));
export const cartInput = z
  .object({
    currency: currencyField.optional().openapi({ description: "Default: the shop's default currency" }),
    email: z.email().max(254).nullable().optional(),
    country: country.nullable().optional(),
    region: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(/^[A-Z0-9]{1,3}$/, "a subdivision code such as CA"))
      .nullable()
      .optional(),
    coupon_code: z.string().trim().max(40).nullable().optional(),
    shipping_rate_id: z.string().max(64).nullable().optional(),
  })
  .openapi("CommerceCartInput");

export const lineInput = z
  .object({ variant_id: z.string().min(1).max(64), quantity: z.number().int().min(1).max(999).default(1) })
  .openapi("CommerceCartLineInput");
export const lineQuantityInput = z.object({ quantity: z.number().int().min(0).max(999).openapi({ description: "0 removes the line" }) });

export const cartSchema = z
  .object({
    id: z.string().openapi({ description: "A capability: keep it secret like a session id" }),
    status: z.enum(CART_STATUSES),
    merged_into: z.string().nullable(),
    currency: z.string(),
    email: z.string().nullable(),
    end_user_id: z.string().nullable(),
    country: z.string().nullable(),
    region: z.string().nullable(),
    coupon: z
      .object({ code: z.string(), applied: z.boolean(), reason: z.enum(COUPON_PROBLEMS).nullable(), message: z.string().nullable() })
      .nullable(),
    shipping_rate_id: z.string().nullable(),
    shipping_options: z.array(z.object({ id: z.string(), name: z.string(), amount: z.number().int() })),
    shipping_available: z.boolean().openapi({ description: "false: the cart ships but no rate covers its destination or weight" }),
    tax_name: z.string().nullable(),
    lines: z.array(
      z.object({
        id: z.string(),
        variant_id: z.string(),
        product_id: z.string().nullable(),
        product_title: z.string().nullable(),
        variant_title: z.string().nullable(),
        sku: z.string().nullable(),
        image: z.string().nullable().openapi({ description: "File id of the product's main image" }),
        quantity: z.number().int(),
        unit_amount: z.number().int().nullable(),
        subtotal: z.number().int(),
        discount: z.number().int(),
        tax: z.number().int(),
        total: z.number().int(),
        problem: z
          .string()
          .nullable()
          .openapi({ description: "unavailable | not_sold_in_currency | insufficient_stock — such lines are left out of the totals" }),
      }),
    ),
    totals: z.object({
      subtotal: z.number().int(),
      discount: z.number().int(),
      shipping: z.number().int(),
      tax: z.number().int(),
      tax_inclusive: z.boolean(),
      total: z.number().int(),
      weight_grams: z.number().int(),
      requires_shipping: z.boolean(),
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("CommerceCart");
