import { chatAgentRoutes } from "./agent.routes";
import { chatPublicRoutes } from "./public.routes";
import { widgetRoutes } from "./widget.routes";

/** Mount: `app.route("/api/v1", chatRoutes)`, `app.route("/", chatPublicRoutes)`, `app.route("/", widgetRoutes)`. */
export { chatAgentRoutes as chatRoutes, chatPublicRoutes, widgetRoutes };
// The Durable Object classes are exported from workers/index.ts directly (they import
// `cloudflare:workers`, which scripts that build the app in Node, like api-types, cannot load).
