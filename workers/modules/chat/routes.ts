import { createRouter } from "../../platform/router";
import { chatAgentLiveRoutes } from "./agent-live.routes";
import { chatAgentRoutes } from "./agent.routes";
import { chatPublicRoutes } from "./public.routes";
import { chatSettingsRoutes } from "./settings.routes";
import { widgetRoutes } from "./widget.routes";

/** The agent inbox API (conversations, saved replies + settings, live sockets); mounted at /api/v1. */
export const chatRoutes = createRouter();
chatRoutes.route("/", chatAgentRoutes);
chatRoutes.route("/", chatSettingsRoutes);
chatRoutes.route("/", chatAgentLiveRoutes);

/** Mount: `app.route("/api/v1", chatRoutes)`, `app.route("/", chatPublicRoutes)`, `app.route("/", widgetRoutes)`. */
export { chatPublicRoutes, widgetRoutes };
