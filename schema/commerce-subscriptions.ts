import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";
import { PAYMENT_PROVIDERS } from "./commerce-orders";

/**
 * Subscriptions sold through commerce (modules/commerce, subscriptions.*.ts). A product recurs when
 * it has a plan row (interval, interval count, trial days); its variants' prices are the price per
 * period. Paying a subscription checkout creates the checkout's order (the first period, as for a
 * one-off sale) and one subscription row; from then on the provider drives it by signed webhooks
 * (created, renewed, past due, cancelled). Renewals are invoice rows here, not orders
 * (docs/commerce.md, "Subscriptions").
 */

export const COMMERCE_SUBSCRIPTION_INTERVALS = ["month", "year"] as const;
export type CommerceSubscriptionInterval = (typeof COMMERCE_SUBSCRIPTION_INTERVALS)[number];

/** Stripe's statuses (the simulator and the webhooks map onto these). */
export const COMMERCE_SUBSCRIPTION_STATUSES = ["incomplete", "trialing", "active", "past_due", "canceled", "incomplete_expired"] as const;
export type CommerceSubscriptionStatus = (typeof COMMERCE_SUBSCRIPTION_STATUSES)[number];

/** Makes a product recurring: every `interval_count` months or years, after `trial_days` free days. */
export const commerceSubscriptionPlans = sqliteTable(
  "commerce_subscription_plans",
  {
    tenantId: tenantId(),
    productId: text("product_id").notNull(),
    interval: text("interval", { enum: COMMERCE_SUBSCRIPTION_INTERVALS }).notNull(),
    intervalCount: integer("interval_count").notNull().default(1),
    trialDays: integer("trial_days").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.productId] }),
    check("commerce_subscription_plans_check", sql`${t.intervalCount} BETWEEN 1 AND 12 AND ${t.trialDays} BETWEEN 0 AND 730`),
  ],
);

/**
 * One customer's subscription. What it sells (product, variant, quantity, `amount` per period in
 * `currency`, the plan's interval) is snapshotted from its checkout. `provider_subscription_id` is
 * Stripe's `sub_…` (or the simulator's `sub_sim_…`); `status`, the current period and
 * `cancel_at_period_end` follow the provider's signed events. `canceled_by`: "customer", a member
 * id, or "provider" (the provider ended it, e.g. after failed renewals).
 */
export const commerceSubscriptions = sqliteTable(
  "commerce_subscriptions",
  {
    tenantId: tenantId(),
    id: id(),
    checkoutId: text("checkout_id").notNull(),
    orderId: text("order_id").notNull(),
    productId: text("product_id").notNull(),
    variantId: text("variant_id").notNull(),
    title: text("title").notNull(),
    variantTitle: text("variant_title").notNull().default(""),
    quantity: integer("quantity").notNull().default(1),
    endUserId: text("end_user_id"),
    email: text("email").notNull(),
    customerKey: text("customer_key").notNull(),
    currency: text("currency").notNull(),
    amount: integer("amount").notNull(),
    interval: text("interval", { enum: COMMERCE_SUBSCRIPTION_INTERVALS }).notNull(),
    intervalCount: integer("interval_count").notNull().default(1),
    trialDays: integer("trial_days").notNull().default(0),
    status: text("status", { enum: COMMERCE_SUBSCRIPTION_STATUSES }).notNull().default("incomplete"),
    provider: text("provider", { enum: PAYMENT_PROVIDERS }).notNull(),
    providerSubscriptionId: text("provider_subscription_id"),
    providerCustomerId: text("provider_customer_id"),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    currentPeriodStart: timestamp("current_period_start"),
    currentPeriodEnd: timestamp("current_period_end"),
    trialEnd: timestamp("trial_end"),
    canceledAt: timestamp("canceled_at"),
    endedAt: timestamp("ended_at"),
    cancelReason: text("cancel_reason"),
    canceledBy: text("canceled_by"),
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("commerce_subscriptions_tenant_checkout_uq").on(t.tenantId, t.checkoutId),
    index("commerce_subscriptions_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("commerce_subscriptions_tenant_status_created_idx").on(t.tenantId, t.status, t.createdAt, t.id),
    index("commerce_subscriptions_tenant_user_idx").on(t.tenantId, t.endUserId).where(sql`end_user_id is not null`),
    index("commerce_subscriptions_tenant_email_idx").on(t.tenantId, t.email),
    index("commerce_subscriptions_tenant_provider_idx").on(t.tenantId, t.providerSubscriptionId),
    check("commerce_subscriptions_amount_check", sql`${t.amount} >= 0 AND ${t.quantity} > 0`),
  ],
);

export const COMMERCE_SUBSCRIPTION_INVOICE_KINDS = ["first", "renewal"] as const;

/**
 * A provider invoice of a subscription that was paid or failed: the first period's (which also pays
 * the checkout's order) and each renewal. Unique per (invoice, status): the same invoice paid twice
 * (a replay under another event id) is one row; a failed attempt and the later successful retry are two.
 */
export const commerceSubscriptionInvoices = sqliteTable(
  "commerce_subscription_invoices",
  {
    tenantId: tenantId(),
    id: id(),
    subscriptionId: text("subscription_id").notNull(),
    providerInvoiceId: text("provider_invoice_id").notNull(),
    kind: text("kind", { enum: COMMERCE_SUBSCRIPTION_INVOICE_KINDS }).notNull(),
    status: text("status", { enum: ["paid", "failed"] }).notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    periodStart: timestamp("period_start"),
    periodEnd: timestamp("period_end"),
    failureReason: text("failure_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("commerce_subscription_invoices_tenant_invoice_uq").on(t.tenantId, t.providerInvoiceId, t.status),
    index("commerce_subscription_invoices_tenant_sub_idx").on(t.tenantId, t.subscriptionId, t.createdAt),
  ],
);
