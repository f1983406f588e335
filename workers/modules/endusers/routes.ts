/** The end-users module's routers, mounted by workers/app.ts. */
export { endUsersAdminRoutes } from "./admin.routes";
export { portalAuthRoutes } from "./auth.routes";
export { portalMeRoutes } from "./me.routes";
export { portalPages } from "./portal.page";
