import { z } from "@hono/zod-openapi";
import { COUPON_KINDS, COUPON_SCOPES } from "../../../schema/commerce";
import { amountField, currencyField, plain } from "./catalogue.schemas";

export const couponInput = z
  .object({
    code: z
      .string()
      .trim()
      .min(3)
      .max(40)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "letters, digits, - and _")
      .openapi({ description: "Case-insensitive (stored upper case)", example: "SPRING10" }),
    name: plain(100).optional(),
    kind: z.enum(COUPON_KINDS),
    percent_off_bps: z.number().int().min(1).max(10_000).nullable().optional().openapi({ description: "Basis points: 10 % = 1000" }),
    amount_off: amountField.nullable().optional(),
    currency: currencyField.nullable().optional().openapi({ description: "Required with amount_off or min_subtotal" }),
    applies_to: z.enum(COUPON_SCOPES).optional().openapi({ description: "order (default) or products (product_ids only)" }),
    product_ids: z.array(z.string().min(1).max(64)).max(100).optional(),
    min_subtotal: amountField.nullable().optional(),
    starts_at: z.iso.datetime({ offset: true }).nullable().optional(),
    ends_at: z.iso.datetime({ offset: true }).nullable().optional(),
    first_order_only: z.boolean().optional(),
    max_redemptions: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .nullable()
      .optional()
      .openapi({ description: "Total uses (null = unlimited)" }),
    max_per_customer: z.number().int().min(1).max(1000).nullable().optional(),
    active: z.boolean().optional(),
  })
  .openapi("CommerceCouponInput");

export const couponSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(COUPON_KINDS),
    percent_off_bps: z.number().int().nullable(),
    amount_off: z.number().int().nullable(),
    currency: z.string().nullable(),
    applies_to: z.enum(COUPON_SCOPES),
    product_ids: z.array(z.string()),
    min_subtotal: z.number().int().nullable(),
    starts_at: z.string().nullable(),
    ends_at: z.string().nullable(),
    first_order_only: z.boolean(),
    max_redemptions: z.number().int().nullable(),
    max_per_customer: z.number().int().nullable(),
    redeemed_count: z.number().int().openapi({ description: "Live uses: held by open checkouts or paid" }),
    active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("CommerceCoupon");
