/** The end-users module's routers, mounted by workers/app.ts. */
export { endUsersAdminRoutes } from "./admin.routes";
export { portalAuthRoutes } from "./auth.routes";
export { portalAssistantRoutes } from "./portal.assistant.routes";
export { portalInboxRoutes } from "./portal.inbox.routes";
export { portalMeRoutes } from "./me.routes";
import { portalOrderRoutes } from "./portal.orders.routes";
import { portalSubscriptionRoutes } from "./portal.subscriptions.routes";
// The subscriptions routes ride on the orders router (same mount, /public/v1).
portalOrderRoutes.route("/", portalSubscriptionRoutes);
export { portalOrderRoutes };
export { portalPages } from "./portal.page";
export { portalTicketRoutes } from "./portal.tickets.routes";
export { portalStaffRoutes } from "./tickets.staff.routes";
