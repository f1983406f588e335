import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Commerce part 2 (modules/commerce): checkouts, orders, payments, fulfilment and refunds. Money is
 * integer minor units next to the order's ISO 4217 currency. An order snapshots what it sold (titles,
 * SKUs, unit prices, discounts, tax), so catalogue edits never rewrite it. The state machine and the
 * rules that make payment events idempotent are in docs/commerce.md.
 */

export const PAYMENT_PROVIDERS = ["stripe", "paypal", "simulator"] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

export const CHECKOUT_STATUSES = ["open", "paying", "completed", "expired", "cancelled"] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postal_code: string;
  country: string; // ISO 3166-1 alpha-2
  phone?: string;
}

/** Totals in minor units, as priceCart returns them. */
export interface CheckoutTotals {
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
}

/**
 * A checkout: a priced snapshot of a cart (or of a "Buy" link's lines) with the buyer's email and
 * address, holding stock (commerce_reservations with this id) and a coupon use until `expires_at`.
 * Its id is a capability (160 random bits) usable only with the workspace's publishable key or on
 * the workspace's hosted checkout page. Paying it creates its one order (commerce_orders.checkout_id
 * is unique).
 */
export const commerceCheckouts = sqliteTable(
  "commerce_checkouts",
  {
    tenantId: tenantId(),
    id: id(),
    cartId: text("cart_id"),
    endUserId: text("end_user_id"),
    email: text("email"),
    customerKey: text("customer_key"),
    currency: text("currency").notNull(),
    shippingAddress: text("shipping_address", { mode: "json" }).$type<Address | null>(),
    shippingRateId: text("shipping_rate_id"),
    couponCode: text("coupon_code"),
    /** The priced lines (PricedLine[] of the pricing function) when last priced. */
    lines: text("lines", { mode: "json" }).$type<unknown[]>().notNull().default([]),
    totals: text("totals", { mode: "json" }).$type<CheckoutTotals>().notNull(),
    status: text("status", { enum: CHECKOUT_STATUSES }).notNull().default("open"),
    orderId: text("order_id"),
    successUrl: text("success_url"),
    cancelUrl: text("cancel_url"),
    expiresAt: integer("expires_at").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("commerce_checkouts_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("commerce_checkouts_tenant_cart_idx").on(t.tenantId, t.cartId),
    // Cross-tenant read of the expiry cron: open / paying checkouts only.
    index("commerce_checkouts_due_idx").on(t.expiresAt).where(sql`status in ('open', 'paying')`),
  ],
);

export const ORDER_STATUSES = [
  "pending",
  "payment_failed",
  "paid",
  "fulfilled",
  "partially_refunded",
  "refunded",
  "cancelled",
  "expired",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const FULFILMENT_STATUSES = ["unfulfilled", "partial", "fulfilled", "not_required"] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

/**
 * An order. `number` is the human order number, per workspace (1001, 1002…). `status` moves only
 * along docs/commerce.md's state machine, each move one conditional UPDATE (… WHERE status IN
 * (allowed sources)), so racing events (browser redirect vs signed webhook, replays, out-of-order
 * deliveries) cannot apply twice. `paid` only from a signed provider webhook or a verified capture
 * response. `provider_payment_id`: the Stripe PaymentIntent / PayPal order / simulator payment id;
 * `idempotency_key`: sent as Idempotency-Key / PayPal-Request-Id on every create/capture call.
 * `access_token`: the buyer's capability for the confirmation page and receipt links.
 * `receipt_sent_at`: set by the one conditional UPDATE that sends the receipt (exactly once).
 */
export const commerceOrders = sqliteTable(
  "commerce_orders",
  {
    tenantId: tenantId(),
    id: id(),
    number: integer("number").notNull(),
    checkoutId: text("checkout_id").notNull(),
    cartId: text("cart_id"),
    endUserId: text("end_user_id"),
    email: text("email").notNull(),
    customerKey: text("customer_key").notNull(),
    currency: text("currency").notNull(),
    subtotal: integer("subtotal").notNull(),
    discount: integer("discount").notNull().default(0),
    shipping: integer("shipping").notNull().default(0),
    tax: integer("tax").notNull().default(0),
    total: integer("total").notNull(),
    refunded: integer("refunded").notNull().default(0),
    couponCode: text("coupon_code"),
    shippingAddress: text("shipping_address", { mode: "json" }).$type<Address | null>(),
    shippingRateId: text("shipping_rate_id"),
    shippingName: text("shipping_name"),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("pending"),
    fulfilmentStatus: text("fulfilment_status", { enum: FULFILMENT_STATUSES }).notNull().default("unfulfilled"),
    provider: text("provider", { enum: PAYMENT_PROVIDERS }).notNull(),
    providerPaymentId: text("provider_payment_id"),
    providerCaptureId: text("provider_capture_id"),
    idempotencyKey: text("idempotency_key").notNull(),
    accessToken: text("access_token").notNull(),
    failureReason: text("failure_reason"),
    receiptSentAt: timestamp("receipt_sent_at"),
    paidAt: timestamp("paid_at"),
    fulfilledAt: timestamp("fulfilled_at"),
    cancelledAt: timestamp("cancelled_at"),
    refundedAt: timestamp("refunded_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("commerce_orders_tenant_number_uq").on(t.tenantId, t.number),
    uniqueIndex("commerce_orders_tenant_checkout_uq").on(t.tenantId, t.checkoutId),
    index("commerce_orders_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("commerce_orders_tenant_status_created_idx").on(t.tenantId, t.status, t.createdAt, t.id),
    index("commerce_orders_tenant_customer_idx").on(t.tenantId, t.customerKey, t.createdAt),
    index("commerce_orders_tenant_email_idx").on(t.tenantId, t.email),
    index("commerce_orders_tenant_user_idx").on(t.tenantId, t.endUserId).where(sql`end_user_id is not null`),
    index("commerce_orders_tenant_payment_idx").on(t.tenantId, t.provider, t.providerPaymentId),
    index("commerce_orders_tenant_paid_idx").on(t.tenantId, t.paidAt).where(sql`paid_at is not null`),
    check("commerce_orders_amounts_check", sql`${t.total} >= 0 AND ${t.refunded} >= 0 AND ${t.refunded} <= ${t.total}`),
  ],
);

/** What an order sold, snapshotted at checkout. Amounts are for the whole line (quantity × unit − discount). */
export const commerceOrderLines = sqliteTable(
  "commerce_order_lines",
  {
    tenantId: tenantId(),
    id: id(),
    orderId: text("order_id").notNull(),
    productId: text("product_id").notNull(),
    variantId: text("variant_id").notNull(),
    title: text("title").notNull(),
    variantTitle: text("variant_title").notNull().default(""),
    sku: text("sku").notNull(),
    type: text("type", { enum: ["physical", "digital"] }).notNull(),
    digitalFileId: text("digital_file_id"),
    quantity: integer("quantity").notNull(),
    unitAmount: integer("unit_amount").notNull(),
    discount: integer("discount").notNull().default(0),
    tax: integer("tax").notNull().default(0),
    total: integer("total").notNull(),
    fulfilledQuantity: integer("fulfilled_quantity").notNull().default(0),
    refundedQuantity: integer("refunded_quantity").notNull().default(0),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    index("commerce_order_lines_tenant_order_idx").on(t.tenantId, t.orderId, t.position),
    index("commerce_order_lines_tenant_product_idx").on(t.tenantId, t.productId),
    check(
      "commerce_order_lines_quantity_check",
      sql`${t.quantity} > 0 AND ${t.fulfilledQuantity} >= 0 AND ${t.fulfilledQuantity} <= ${t.quantity} AND ${t.refundedQuantity} >= 0 AND ${t.refundedQuantity} <= ${t.quantity}`,
    ),
  ],
);

/**
 * The order's timeline: every state change, payment attempt, refund, fulfilment, email and note,
 * with who or what did it (`actor`: "system", "provider:stripe", a member id, "customer").
 */
export const commerceOrderEvents = sqliteTable(
  "commerce_order_events",
  {
    tenantId: tenantId(),
    id: id(),
    orderId: text("order_id").notNull(),
    type: text("type").notNull(),
    actor: text("actor").notNull().default("system"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("commerce_order_events_tenant_order_idx").on(t.tenantId, t.orderId, t.createdAt)],
);

/**
 * Provider webhook events already handled, by the provider's own event id: a replay is an
 * INSERT that finds its row and changes nothing. `outcome` records what the event did (for support).
 */
export const commerceProviderEvents = sqliteTable(
  "commerce_provider_events",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: PAYMENT_PROVIDERS }).notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    orderId: text("order_id"),
    outcome: text("outcome").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.eventId] })],
);

export const REFUND_STATUSES = ["pending", "succeeded", "failed"] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * A refund asked of the provider. It counts against the order only when the provider confirms it
 * (its webhook, or a synchronous success answer), in the same batch as the order's `refunded`.
 */
export const commerceRefunds = sqliteTable(
  "commerce_refunds",
  {
    tenantId: tenantId(),
    id: id(),
    orderId: text("order_id").notNull(),
    amount: integer("amount").notNull(),
    lines: text("lines", { mode: "json" }).$type<{ line_id: string; quantity: number }[]>().notNull().default([]),
    restock: integer("restock", { mode: "boolean" }).notNull().default(false),
    reason: text("reason").notNull().default(""),
    status: text("status", { enum: REFUND_STATUSES }).notNull().default("pending"),
    providerRefundId: text("provider_refund_id"),
    idempotencyKey: text("idempotency_key").notNull(),
    failureReason: text("failure_reason"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("commerce_refunds_tenant_order_idx").on(t.tenantId, t.orderId),
    index("commerce_refunds_tenant_provider_idx").on(t.tenantId, t.providerRefundId),
    check("commerce_refunds_amount_check", sql`${t.amount} > 0`),
  ],
);

/** A shipment of (some of) an order's physical lines, with its tracking. */
export const commerceFulfilments = sqliteTable(
  "commerce_fulfilments",
  {
    tenantId: tenantId(),
    id: id(),
    orderId: text("order_id").notNull(),
    lines: text("lines", { mode: "json" }).$type<{ line_id: string; quantity: number }[]>().notNull().default([]),
    carrier: text("carrier"),
    trackingNumber: text("tracking_number"),
    trackingUrl: text("tracking_url"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [index("commerce_fulfilments_tenant_order_idx").on(t.tenantId, t.orderId)],
);

/**
 * A workspace's own payment-provider credentials (bring your own keys). Secrets are sealed with
 * the same key and helpers as the AI keys (platform/crypto encryptSecret); `settings` holds the
 * public parts (Stripe publishable key, PayPal client id, API base override, live/test mode).
 * `webhook_secret_sealed`: Stripe's whsec_…; PayPal's webhook id sits in `settings`.
 */
export const commercePaymentProviders = sqliteTable(
  "commerce_payment_providers",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: ["stripe", "paypal"] }).notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    settings: text("settings", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    secretSealed: text("secret_sealed").notNull(),
    webhookSecretSealed: text("webhook_secret_sealed"),
    lastTestedAt: timestamp("last_tested_at"),
    lastTestResult: text("last_test_result"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider] })],
);
