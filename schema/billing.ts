import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const PLAN_IDS = ["free", "starter", "professional", "enterprise"] as const;
export type PlanId = (typeof PLAN_IDS)[number];
export const BILLING_INTERVALS = ["month", "year"] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];
export const SUBSCRIPTION_STATUSES = ["active", "trialing", "past_due", "restricted", "canceled"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export const BILLING_PROVIDERS = ["none", "stripe", "paypal", "simulator"] as const;
export type BillingProvider = (typeof BILLING_PROVIDERS)[number];

/**
 * One row per workspace: its plan and the provider subscription behind it. A workspace without
 * a row is on Free. `state_at` is the provider time of the newest event applied, so an older
 * event arriving late cannot roll the state back.
 */
export const billingSubscriptions = sqliteTable(
  "billing_subscriptions",
  {
    tenantId: tenantId(),
    plan: text("plan", { enum: PLAN_IDS }).notNull(),
    interval: text("interval", { enum: BILLING_INTERVALS }).notNull(),
    status: text("status", { enum: SUBSCRIPTION_STATUSES }).notNull(),
    seats: integer("seats").notNull(),
    provider: text("provider", { enum: BILLING_PROVIDERS }).notNull(),
    providerCustomerId: text("provider_customer_id"),
    providerSubscriptionId: text("provider_subscription_id"),
    trialEndsAt: timestamp("trial_ends_at"),
    trialUsedAt: timestamp("trial_used_at"),
    periodStart: integer("period_start").notNull(),
    periodEnd: integer("period_end").notNull(),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    graceEndsAt: timestamp("grace_ends_at"), // dunning: restricted to Free limits after this
    allowOverage: integer("allow_overage", { mode: "boolean" }).notNull().default(false),
    stateAt: integer("state_at").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);

/**
 * Provider-side ids (Stripe customer/subscription, PayPal subscription) → workspace. A platform
 * lookup for webhooks, which name provider ids rather than tenants.
 */
export const billingProviderRefs = sqliteTable(
  "billing_provider_refs",
  {
    provider: text("provider", { enum: ["stripe", "paypal"] }).notNull(),
    ref: text("ref").notNull(),
    tenantId: tenantId(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.ref] }), index("billing_provider_refs_tenant_idx").on(t.tenantId)],
);

/**
 * Accepted usage events, kept for the dedupe window (event ids are unique per tenant). `batch_id`
 * marks the rows a consumer batch inserted, so counters add exactly the new rows in the same
 * transaction. `reported_at` is set once the event's quantity was reported to the provider.
 */
export const usageEvents = sqliteTable(
  "usage_events",
  {
    tenantId: tenantId(),
    eventId: text("event_id").notNull(),
    meter: text("meter").notNull(),
    quantity: integer("quantity").notNull(),
    period: text("period").notNull(), // YYYY-MM (UTC) of occurred_at
    day: text("day").notNull(), // YYYY-MM-DD (UTC)
    userId: text("user_id"),
    batchId: text("batch_id").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.eventId] }),
    index("usage_events_batch_idx").on(t.tenantId, t.batchId),
    index("usage_events_created_idx").on(t.tenantId, t.createdAt),
  ],
);

/** Per-tenant, per-meter, per-period totals. Running-total meters (storage, leads…) use period "total". */
export const usageCounters = sqliteTable(
  "usage_counters",
  {
    tenantId: tenantId(),
    meter: text("meter").notNull(),
    period: text("period").notNull(),
    quantity: integer("quantity").notNull(),
    reported: integer("reported").notNull().default(0), // how much of `quantity` was reported to Stripe
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.meter, t.period] })],
);

/** Daily series per meter. */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    tenantId: tenantId(),
    meter: text("meter").notNull(),
    day: text("day").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.meter, t.day] })],
);

/** Usage attributed to a member (per-seat view), per month. */
export const usageSeats = sqliteTable(
  "usage_seats",
  {
    tenantId: tenantId(),
    period: text("period").notNull(),
    userId: text("user_id").notNull(),
    meter: text("meter").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.period, t.userId, t.meter] })],
);

/** Provider webhook events, stored by provider event id before they are applied. */
export const billingWebhookEvents = sqliteTable(
  "billing_webhook_events",
  {
    provider: text("provider", { enum: ["stripe", "paypal"] }).notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    tenantId: text("tenant_id"),
    occurredAt: integer("occurred_at").notNull(),
    payload: text("payload", { mode: "json" }).notNull(),
    outcome: text("outcome"), // applied | ignored_stale | ignored_unknown | failed: <msg>
    processedAt: timestamp("processed_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] }), index("billing_webhook_events_tenant_idx").on(t.tenantId, t.createdAt)],
);

export const INVOICE_STATUSES = ["draft", "open", "paid", "payment_failed", "void"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Monthly (or yearly) invoices; all money is integer cents (USD). */
export const invoices = sqliteTable(
  "billing_invoices",
  {
    tenantId: tenantId(),
    id: id(),
    number: text("number").notNull(),
    periodStart: integer("period_start").notNull(),
    periodEnd: integer("period_end").notNull(),
    plan: text("plan", { enum: PLAN_IDS }).notNull(),
    currency: text("currency").notNull().default("usd"),
    subtotalCents: integer("subtotal_cents").notNull(),
    totalCents: integer("total_cents").notNull(),
    status: text("status", { enum: INVOICE_STATUSES }).notNull(),
    provider: text("provider", { enum: BILLING_PROVIDERS }).notNull(),
    providerInvoiceId: text("provider_invoice_id"),
    hostedUrl: text("hosted_url"),
    paidAt: timestamp("paid_at"),
    stateAt: integer("state_at").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("billing_invoices_tenant_created_idx").on(t.tenantId, t.createdAt),
    uniqueIndex("billing_invoices_tenant_period_uq").on(t.tenantId, t.periodStart),
    index("billing_invoices_provider_idx").on(t.tenantId, t.providerInvoiceId),
  ],
);

export const invoiceLines = sqliteTable(
  "billing_invoice_lines",
  {
    tenantId: tenantId(),
    id: id(),
    invoiceId: text("invoice_id").notNull(),
    kind: text("kind", { enum: ["platform_fee", "seats", "overage", "proration", "credit"] }).notNull(),
    description: text("description").notNull(),
    meter: text("meter"),
    quantity: integer("quantity").notNull(),
    unitAmountCents: integer("unit_amount_cents").notNull(),
    unitSize: integer("unit_size").notNull().default(1), // price is per `unit_size` units (e.g. per 1,000 emails)
    amountCents: integer("amount_cents").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [index("billing_invoice_lines_invoice_idx").on(t.tenantId, t.invoiceId, t.position)],
);

/** Proration and other one-off items waiting for the next invoice. */
export const pendingInvoiceItems = sqliteTable(
  "billing_pending_items",
  {
    tenantId: tenantId(),
    id: id(),
    kind: text("kind", { enum: ["proration", "credit"] }).notNull(),
    description: text("description").notNull(),
    amountCents: integer("amount_cents").notNull(),
    invoiceId: text("invoice_id"),
    createdAt: createdAt(),
  },
  (t) => [index("billing_pending_items_tenant_idx").on(t.tenantId, t.invoiceId, t.createdAt)],
);

export const SIMULATOR_PAYMENT_METHODS = ["card", "card_declines", "none"] as const;
export type SimulatorPaymentMethod = (typeof SIMULATOR_PAYMENT_METHODS)[number];

/**
 * Simulated checkouts (local payment simulator): what the approve/decline page acts on. The
 * latest approved one also holds the simulated customer's payment method, which decides whether
 * the simulator's renewals and trial conversions (billing cron) are paid, declined, or — with no
 * payment method — end the trial.
 */
export const simulatorCheckouts = sqliteTable(
  "billing_simulator_checkouts",
  {
    tenantId: tenantId(),
    id: id(),
    provider: text("provider", { enum: ["stripe", "paypal"] }).notNull(),
    plan: text("plan", { enum: PLAN_IDS }).notNull(),
    interval: text("interval", { enum: BILLING_INTERVALS }).notNull(),
    seats: integer("seats").notNull(),
    trial: integer("trial", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: ["open", "approved", "declined"] }).notNull(),
    paymentMethod: text("payment_method", { enum: SIMULATOR_PAYMENT_METHODS }).notNull().default("card"),
    returnUrl: text("return_url").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("billing_simulator_checkouts_tenant_idx").on(t.tenantId, t.createdAt)],
);

/**
 * The payment simulator's test clocks (local only, like Stripe's test clocks): per workspace, how
 * far its billing time runs ahead of real time. A workspace's billing time is real time +
 * `offset_ms` (0 without a row); the offset only grows, so simulated time only moves forward.
 * The test clock's advance and the billing cron both evaluate the workspace at that time.
 */
export const simulatorClocks = sqliteTable(
  "billing_simulator_clocks",
  {
    tenantId: tenantId(),
    offsetMs: integer("offset_ms").notNull(),
    advancedAt: integer("advanced_at").notNull(), // real time of the last advance
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);
