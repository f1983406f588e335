// Public entry of the billing module: the only file other modules import (see docs/engineering.md).
export {
  checkQuota,
  consumeQuota,
  consumeQuotaOrThrow,
  hasFeature,
  quotaExceeded,
  releaseQuota,
  requireFeature,
} from "./entitlements";
export { meter } from "./meter";
export { syncPaidSeats } from "./seat-sync";
export { seatLimitReached, seatPolicy } from "./seats";
export { accountsNearLimit, paidBase, usageGrowthAcrossWorkspaces } from "./expansion";
export type { AccountNearLimit, PaidBase, UsageGrowth } from "./expansion";
// Payment-provider plumbing reused by commerce (a workspace's own Stripe / PayPal): the transport
// tests route to fakes, the official Stripe SDK on fetch, webhook signatures, the PayPal REST client.
export { providerFetch, providerTransport } from "./transport";
export { stripeCrypto } from "./stripe/client";
export { signStripePayload, verifyStripeSignature } from "./stripe/signature";
export { paypalRequest, paypalToken, verifyWithPaypalApi } from "./paypal/client";
