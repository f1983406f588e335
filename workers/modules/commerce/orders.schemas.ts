import { z } from "@hono/zod-openapi";
import { FULFILMENT_STATUSES, ORDER_STATUSES, PAYMENT_PROVIDERS, REFUND_STATUSES } from "../../../schema/commerce-orders";
import { pageQuerySchema } from "../../platform/pagination";
import { addressSchema } from "./checkouts.schemas";

/** zod schemas (→ OpenAPI) of the staff orders and payment-provider APIs (docs/commerce-api.md). */

export const orderSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    status: z.enum(ORDER_STATUSES),
    fulfilment_status: z.enum(FULFILMENT_STATUSES),
    email: z.string(),
    end_user_id: z.string().nullable(),
    currency: z.string(),
    subtotal: z.number().int(),
    discount: z.number().int(),
    shipping: z.number().int(),
    tax: z.number().int(),
    total: z.number().int(),
    refunded: z.number().int(),
    coupon_code: z.string().nullable(),
    shipping_address: addressSchema.nullable(),
    shipping_name: z.string().nullable(),
    provider: z.enum(PAYMENT_PROVIDERS),
    provider_payment_id: z.string().nullable(),
    failure_reason: z.string().nullable(),
    created_at: z.string(),
    paid_at: z.string().nullable(),
    fulfilled_at: z.string().nullable(),
    cancelled_at: z.string().nullable(),
    refunded_at: z.string().nullable(),
    line_count: z.number().int(),
    item_count: z.number().int(),
  })
  .openapi("CommerceOrder");

const lineRef = z.object({ line_id: z.string().min(1).max(64), quantity: z.number().int().min(1).max(999) });

export const refundSchema = z
  .object({
    id: z.string(),
    amount: z.number().int(),
    lines: z.array(lineRef),
    reason: z.string(),
    status: z.enum(REFUND_STATUSES),
    failure_reason: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("CommerceRefund");

export const orderDetailSchema = orderSchema
  .extend({
    lines: z.array(
      z.object({
        id: z.string(),
        product_id: z.string(),
        variant_id: z.string(),
        title: z.string(),
        variant_title: z.string(),
        sku: z.string(),
        type: z.enum(["physical", "digital"]),
        quantity: z.number().int(),
        unit_amount: z.number().int(),
        discount: z.number().int(),
        tax: z.number().int(),
        total: z.number().int(),
        fulfilled_quantity: z.number().int(),
        refunded_quantity: z.number().int(),
      }),
    ),
    events: z.array(
      z.object({ id: z.string(), type: z.string(), actor: z.string(), detail: z.record(z.string(), z.unknown()), created_at: z.string() }),
    ),
    refunds: z.array(refundSchema),
    fulfilments: z.array(
      z.object({
        id: z.string(),
        lines: z.array(lineRef),
        carrier: z.string().nullable(),
        tracking_number: z.string().nullable(),
        tracking_url: z.string().nullable(),
        created_at: z.string(),
      }),
    ),
  })
  .openapi("CommerceOrderDetail");

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "an ISO date or time");
export const orderListQuery = pageQuerySchema.extend({
  status: z.enum(ORDER_STATUSES).optional(),
  fulfilment_status: z.enum(FULFILMENT_STATUSES).optional(),
  q: z.string().max(200).optional().openapi({ description: "An order number (#1001 or 1001) or part of an email" }),
  from: isoDate.optional().openapi({ description: "Created at or after (ISO)" }),
  to: isoDate.optional().openapi({ description: "Created before (ISO)" }),
  customer: z.string().max(254).optional().openapi({ description: "The customer's email, exactly" }),
});

export const refundInput = z
  .object({
    amount: z.number().int().min(1).max(1_000_000_000_000).optional(),
    lines: z.array(lineRef).max(100).optional(),
    restock: z.boolean().optional(),
    reason: z.string().max(500).optional(),
  })
  .openapi("CommerceRefundInput");

export const fulfilmentInput = z
  .object({
    lines: z.array(lineRef).max(100).optional().openapi({ description: "Default: every unshipped physical unit" }),
    carrier: z.string().max(100).nullable().optional(),
    tracking_number: z.string().max(100).nullable().optional(),
    tracking_url: z.url().max(2000).nullable().optional(),
    notify: z.boolean().optional().openapi({ description: "Email the buyer (commerce.shipped); default true" }),
  })
  .openapi("CommerceFulfilmentInput");

export const cancelInput = z.object({ reason: z.string().max(500).optional(), restock: z.boolean().optional() });
export const noteInput = z.object({ body: z.string().trim().min(1).max(4000) });
export const timelineEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  actor: z.string(),
  detail: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

const providerState = z.object({ last_tested_at: z.string().nullable(), last_test_result: z.string().nullable() });
export const providersSchema = z
  .object({
    stripe: providerState.extend({
      configured: z.boolean(),
      enabled: z.boolean(),
      publishable_key: z.string().nullable(),
      secret_hint: z.string().nullable(),
      webhook_url: z.string(),
      webhook_configured: z.boolean(),
    }),
    paypal: providerState.extend({
      configured: z.boolean(),
      enabled: z.boolean(),
      client_id: z.string().nullable(),
      webhook_id: z.string().nullable(),
      webhook_url: z.string(),
      mode: z.enum(["sandbox", "live"]),
    }),
    simulator: z.object({ available: z.boolean() }),
  })
  .openapi("CommercePaymentProviders");

export const stripeInput = z
  .object({
    secret_key: z
      .string()
      .trim()
      .regex(/^(sk|rk)_(test|live)_\w+$/, "a Stripe secret key (sk_test_…, sk_live_…)")
      .optional(),
    publishable_key: z
      .string()
      .trim()
      .regex(/^pk_(test|live)_\w+$/, "a Stripe publishable key (pk_…)")
      .nullable()
      .optional(),
    webhook_secret: z
      .string()
      .trim()
      .regex(/^whsec_\w+$/, "a webhook signing secret (whsec_…)")
      .nullable()
      .optional(),
    enabled: z.boolean().optional(),
    api_base: z.url().nullable().optional().openapi({ description: "Outside production only (stripe-mock)" }),
  })
  .openapi("CommerceStripeInput");
export const paypalInput = z
  .object({
    client_id: z.string().trim().min(1).max(200).optional(),
    client_secret: z.string().trim().min(1).max(200).optional(),
    webhook_id: z.string().trim().max(100).nullable().optional(),
    mode: z.enum(["sandbox", "live"]).optional(),
    enabled: z.boolean().optional(),
    api_base: z.url().nullable().optional().openapi({ description: "Outside production only" }),
  })
  .openapi("CommercePaypalInput");
