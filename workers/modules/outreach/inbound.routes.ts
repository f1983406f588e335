import { createRouter } from "../../platform/router";

/** Inbound replies: the email provider's signed inbound webhook (mounted at /webhooks; docs/sales.md). */
export const outreachInboundRoutes = createRouter();
