/** Request/response schemas of the billing API (also its OpenAPI components). */
import { z } from "@hono/zod-openapi";
import { BILLING_INTERVALS, PLAN_IDS } from "../../../schema/billing";
import { FEATURE_NAMES, METER_NAMES } from "./plans";

const meterId = z.enum(METER_NAMES as [string, ...string[]]);
const featureId = z.enum(FEATURE_NAMES as [string, ...string[]]);

export const subscriptionSchema = z
  .object({
    plan: z.enum(PLAN_IDS),
    interval: z.enum(BILLING_INTERVALS),
    status: z.string(),
    seats: z.number().int(),
    provider: z.string(),
    trial_ends_at: z.string().nullable(),
    current_period_start: z.string(),
    current_period_end: z.string(),
    cancel_at_period_end: z.boolean(),
    grace_ends_at: z.string().nullable(),
    allow_overage: z.boolean(),
  })
  .openapi("Subscription");
export const usageItem = z.object({
  meter: z.string(),
  label: z.string(),
  unit: z.string(),
  used: z.number(),
  limit: z.number().nullable(),
  overage_enabled: z.boolean(),
  period: z.string(),
});
export const summarySchema = z
  .object({
    subscription: subscriptionSchema,
    effective_plan: z.enum(PLAN_IDS),
    features: z.array(z.string()),
    recurring_cents: z.number().int(),
    dunning: z.object({ status: z.string(), grace_ends_at: z.string().nullable() }).nullable(),
    trial: z.object({ ends_at: z.string().nullable(), plan: z.string() }).nullable(),
    trial_available: z.boolean(),
    usage: z.array(usageItem),
    pending_items_cents: z.number().int(),
    payment: z.object({ stripe: z.boolean(), paypal: z.boolean(), simulator: z.boolean(), portal: z.boolean() }),
  })
  .openapi("BillingSummary");
export const lineSchema = z.object({
  kind: z.string(),
  description: z.string(),
  quantity: z.number(),
  unitAmountCents: z.number().int(),
  unitSize: z.number().int(),
  amountCents: z.number().int(),
  meter: z.string().optional(),
});
export const invoiceSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    period_start: z.string(),
    period_end: z.string(),
    plan: z.string(),
    currency: z.string(),
    subtotal_cents: z.number().int(),
    total_cents: z.number().int(),
    status: z.string(),
    provider: z.string(),
    provider_invoice_id: z.string().nullable(),
    hosted_url: z.string().nullable(),
    paid_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Invoice");
export const invoiceDetailSchema = invoiceSchema
  .extend({
    lines: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        description: z.string(),
        meter: z.string().nullable(),
        quantity: z.number(),
        unit_amount_cents: z.number().int(),
        unit_size: z.number().int(),
        amount_cents: z.number().int(),
      }),
    ),
  })
  .openapi("InvoiceDetail");
export const planChoice = z.object({
  plan: z.enum(PLAN_IDS),
  interval: z.enum(BILLING_INTERVALS).default("month"),
  seats: z.number().int().min(1).max(1000),
});
export const redirectSchema = z
  .object({ url: z.string(), mode: z.enum(["stripe", "paypal", "simulator", "unconfigured"]) })
  .openapi("BillingRedirect");

export const planCatalogSchema = z
  .object({
    yearly_discount_percent: z.number().int(),
    plans: z.array(
      z.object({
        id: z.enum(PLAN_IDS),
        name: z.string(),
        description: z.string(),
        monthly_cents: z.number().int(),
        yearly_cents: z.number().int(),
        included_seats: z.number().int(),
        max_seats: z.number().int().nullable().openapi({ description: "null = unlimited" }),
        seat_monthly_cents: z.number().int(),
        seat_yearly_cents: z.number().int(),
        trial_days: z.number().int(),
        limits: z.record(z.string(), z.number().nullable()).openapi({ description: "Per meter; null = unlimited" }),
        features: z.array(featureId),
      }),
    ),
    meters: z.array(
      z.object({
        id: meterId,
        label: z.string(),
        unit: z.string(),
        resets: z.boolean().openapi({ description: "Counted per billing period (true) or a running total such as storage (false)" }),
        overage: z.object({ unit_amount_cents: z.number().int(), unit_size: z.number().int(), unit_label: z.string() }).nullable(),
      }),
    ),
    features: z.array(z.object({ id: featureId, label: z.string() })),
  })
  .openapi("PlanCatalog");

export const seatUsageSchema = z
  .object({
    period: z.string(),
    seats_purchased: z.number().int(),
    seats_used: z.number().int(),
    per_seat_average: z
      .record(z.string(), z.number())
      .openapi({ description: "Per meter: this period's attributed usage divided by the members" }),
    data: z.array(
      z.object({
        user_id: z.string(),
        name: z.string().nullable(),
        email: z.string(),
        role: z.string(),
        usage: z.record(z.string(), z.number()).openapi({ description: "Per meter: usage attributed to this member this period" }),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi("SeatUsage");
