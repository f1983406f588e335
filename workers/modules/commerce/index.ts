// Public entry of the commerce module: what part 2 (checkout, orders, payments) and other modules
// (the portal's end-user sign-in, recommendations…) use. The composition root mounts routes.ts and
// runs cron.ts.

// Pricing: the pure function every total goes through, and money helpers.
export { priceCart, discountOn, shippingAmount, taxOn } from "./pricing";
export type { CouponRule, PricedLine, PricingInput, PricingLine, ShippingRule, TaxRule, Totals } from "./pricing";
export { allocate, currencyExponent, formatMajor, mulDivRound, parseMajor } from "./money";

// Catalogue reads.
export { loadProducts } from "./products.read";
export type { ProductFull, VariantFull } from "./products.read";

// Carts (the priced view is what a checkout starts from; merge is for the portal's sign-in).
export { getCartRow, mergeCarts, openCartOf } from "./carts.service";
export type { CartRow } from "./carts.service";
export { pricedCart } from "./cart-pricing";
export type { PricedCart } from "./cart-pricing";

// Tax, shipping and settings lookups.
export { shippingRatesFor, taxFor } from "./rates.service";
export { getSettings } from "./settings.service";
export type { CommerceSettings } from "./settings.service";

// Coupons: the pure check and the atomic use / give-back / commit.
export { findCouponByCode } from "./coupons.service";
export { couponProblem, customerKey, toCouponRule } from "./coupon-rules";
export type { CouponContext, CouponProblem } from "./coupon-rules";
export { commitRedemptions, CouponRefused, paidOrderCount, redeemCoupon, releaseRedemptions } from "./redemptions.service";

// GDPR: an end user's carts and coupon uses (registered with platform/end-user-hooks in compose.ts).
export { eraseCommerceEndUser, isCommerceCustomer } from "./erase";

// Stock held for checkouts.
export { commitReservations, InsufficientStock, releaseReservations, reservationsOf, reserveStock } from "./inventory.service";
export type { Reservation, ReservationLine } from "./inventory.service";

// Part 2: checkout, payments, orders (what the hosted checkout pages, the dashboard's helpers and
// the portal call).
export { createCheckout, getCheckoutRow, updateCheckout } from "./checkouts.service";
export type { CheckoutInput, CheckoutPatch, CheckoutRow } from "./checkouts.service";
export { checkoutView } from "./checkouts.routes";
export { capturePaypalReturn, payCheckout } from "./checkouts.pay";
export type { PayResult } from "./checkouts.pay";
export { buyerOrder, buyerView, latestOrdersOfEndUserRead, ordersOfEndUser } from "./orders.read";
export type { BuyerOrder } from "./orders.read";
export { getOrderRow } from "./orders.service";
export { reorder, resendReceipt } from "./orders.actions";
export type { OrderRow } from "./orders.service";

// Subscriptions (the portal's subscriptions page and JSON routes).
export { cancelSubscription, resumeSubscription } from "./subscriptions.actions";
export {
  getSubscriptionRow,
  isLive,
  serializeSubscription,
  subscriptionDetail,
  subscriptionsOfEndUser,
} from "./subscriptions.service";
export type { SubscriptionRow } from "./subscriptions.service";
export { periodLabel } from "./subscriptions.plans";
export { subscriptionDetailSchema, subscriptionSchema } from "./subscriptions.schemas";
// Automation (modules/workflows): the update_record step's order updater.
export { updateOrderFromWorkflow } from "./workflow-updates";
// Wizards (modules/wizards, the store set-up): currency, tax rates, first product and Stripe keys as upserts.
export { applyStoreSetup } from "./store-setup";
export type { StoreSetupInput, StoreSetupResult } from "./store-setup";
// Proactive insights (modules/insights): daily read-only figures.
export { commerceDailyFigures } from "./daily-figures";
