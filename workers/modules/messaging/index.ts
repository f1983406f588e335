// Public entry of the messaging module: the only file other modules import (see docs/engineering.md).
export { messagingConfig } from "./config";
export { emailStops, type EmailStop } from "./contactability";
export { recordAttempt } from "./delivery-attempts";
export type { DeliveryContext, OutboxRow, Outcome } from "./delivery-attempts";
export { configureMessaging } from "./hooks";
export type { WebhookChannel } from "./hooks";
export type { OutboxMessage } from "./message";
export { replayMessage, serializeMessage } from "./messages.service";
export { outboundFetch } from "./providers/http";
export { messageSchema } from "./schemas";
export { enqueueRows, send } from "./send";
export { runListSyncCron } from "./list-sync/cron";
// The portal's notification centre (modules/endusers): an end user's in-app notifications are rows of
// this module addressed to their end-user id, and their preferences are rows keyed by that id (in-app)
// and their email address (email), under the same categories and rules as everyone else's.
export { CATEGORIES, CATEGORY_NAMES, canOptOut, type MessageCategory } from "./categories";
export {
  deleteNotificationsOf,
  listNotifications,
  markAllRead,
  markRead,
  serializeNotification,
  unreadCount,
  unreadOverviewRead,
} from "./notifications.service";
export { listPreferences, setPreference } from "./preferences";
