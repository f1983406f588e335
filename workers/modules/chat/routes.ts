import { chatAgentRoutes } from "./agent.routes";
import { chatPublicRoutes } from "./public.routes";
import { widgetRoutes } from "./widget.routes";

/** Mount: `app.route("/api/v1", chatRoutes)`, `app.route("/", chatPublicRoutes)`, `app.route("/", widgetRoutes)`. */
export { chatAgentRoutes as chatRoutes, chatPublicRoutes, widgetRoutes };
export { ChatSession } from "./session.do";
export { TenantInbox } from "./inbox.do";
export { ChatEcho } from "./echo.do";
