import { createRouter } from "../../platform/router";
import { catalogueRoutes } from "./catalogue.routes";
import { customerRoutes } from "./customers.routes";
import { orderRoutes } from "./orders.routes";
import { pricingRoutes } from "./pricing.routes";
import { providerRoutes } from "./providers.routes";
import { subscriptionRoutes } from "./subscriptions.routes";

/** Commerce for a workspace's staff (mounted at /api/v1) and its site's storefront API (/public/v1). */
export const commerceRoutes = createRouter();
commerceRoutes.route("/", catalogueRoutes);
commerceRoutes.route("/", pricingRoutes);
commerceRoutes.route("/", customerRoutes);
commerceRoutes.route("/", orderRoutes);
commerceRoutes.route("/", providerRoutes);
commerceRoutes.route("/", subscriptionRoutes);
export { commercePublicRoutes } from "./public.routes";
// The hosted checkout pages (/checkout) and the Buy button script (/buy.js).
export { buyScriptRoutes } from "./checkout-page/buy-script";
export { checkoutPages } from "./checkout-page/checkout.page";
