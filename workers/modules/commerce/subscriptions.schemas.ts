import { z } from "@hono/zod-openapi";
import { COMMERCE_SUBSCRIPTION_INTERVALS, COMMERCE_SUBSCRIPTION_STATUSES } from "../../../schema/commerce-subscriptions";
import { PAYMENT_PROVIDERS } from "../../../schema/commerce-orders";
import { pageQuerySchema } from "../../platform/pagination";

/** JSON shapes of subscriptions (staff API and the portal's end-user API). */

export const recurringInput = z
  .object({
    interval: z.enum(COMMERCE_SUBSCRIPTION_INTERVALS),
    interval_count: z.number().int().min(1).max(12).default(1),
    trial_days: z.number().int().min(0).max(730).default(0),
  })
  .openapi("CommerceRecurringInput");

export const recurringSchema = z
  .object({
    interval: z.enum(COMMERCE_SUBSCRIPTION_INTERVALS),
    interval_count: z.number().int(),
    trial_days: z.number().int(),
  })
  .openapi("CommerceRecurring");

export const subscriptionSchema = z
  .object({
    id: z.string(),
    status: z.enum(COMMERCE_SUBSCRIPTION_STATUSES),
    title: z.string(),
    variant_title: z.string(),
    product_id: z.string(),
    variant_id: z.string(),
    quantity: z.number().int(),
    email: z.string(),
    end_user_id: z.string().nullable(),
    currency: z.string(),
    amount: z.number().int().openapi({ description: "Charged every period, minor units" }),
    interval: z.enum(COMMERCE_SUBSCRIPTION_INTERVALS),
    interval_count: z.number().int(),
    period_label: z.string().openapi({ example: "month" }),
    trial_days: z.number().int(),
    provider: z.enum(PAYMENT_PROVIDERS),
    provider_subscription_id: z.string().nullable(),
    cancel_at_period_end: z.boolean(),
    current_period_start: z.string().nullable(),
    current_period_end: z.string().nullable(),
    trial_end: z.string().nullable(),
    canceled_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    cancel_reason: z.string().nullable(),
    canceled_by: z.string().nullable(),
    order_id: z.string(),
    created_at: z.string(),
  })
  .openapi("CommerceSubscription");

export const subscriptionInvoiceSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["first", "renewal"]),
    status: z.enum(["paid", "failed"]),
    amount: z.number().int(),
    currency: z.string(),
    provider_invoice_id: z.string(),
    period_start: z.string().nullable(),
    period_end: z.string().nullable(),
    failure_reason: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("CommerceSubscriptionInvoice");

export const subscriptionDetailSchema = subscriptionSchema
  .extend({ invoices: z.array(subscriptionInvoiceSchema) })
  .openapi("CommerceSubscriptionDetail");

export const subscriptionListQuery = pageQuerySchema.extend({
  status: z.enum(COMMERCE_SUBSCRIPTION_STATUSES).optional(),
});

export const staffCancelInput = z
  .object({
    mode: z
      .enum(["period_end", "now"])
      .default("period_end")
      .openapi({ description: "now: ends at once (no refund); period_end: does not renew" }),
    reason: z.string().trim().max(500).optional(),
  })
  .openapi("CommerceSubscriptionCancel");

export const simulateInput = z.object({ outcome: z.enum(["paid", "failed"]).default("paid") }).openapi("CommerceSubscriptionSimulate");
