import { createRouter } from "../../platform/router";
import { listsRoutes } from "./lists.routes";
import { listSyncRoutes } from "./list-sync/routes";
import { messagesRoutes } from "./messages.routes";
import { notificationsRoutes } from "./notifications.routes";
import { settingsRoutes } from "./settings.routes";
import { templatesRoutes } from "./templates.routes";

/** Messaging: delivery log, send API, templates, providers, preferences, notifications, lists; mounted at /api/v1. */
export const messagingRoutes = createRouter();
messagingRoutes.route("/", messagesRoutes);
messagingRoutes.route("/", templatesRoutes);
messagingRoutes.route("/", settingsRoutes);
messagingRoutes.route("/", notificationsRoutes);
messagingRoutes.route("/", listsRoutes);
messagingRoutes.route("/", listSyncRoutes);
export { messagingPublicRoutes } from "./public.routes";
export { messagingCallbackRoutes } from "./callbacks.routes";
export { devSmsPage } from "./dev-sms.page";
