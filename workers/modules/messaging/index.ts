// Public entry of the messaging module: the only file other modules import (see docs/engineering.md).
export { messagingConfig } from "./config";
export { recordAttempt } from "./deliver";
export type { DeliveryContext, OutboxRow, Outcome } from "./deliver";
export { configureMessaging } from "./hooks";
export type { WebhookChannel } from "./hooks";
export type { OutboxMessage } from "./message";
export { replayMessage, serializeMessage } from "./messages.service";
export { outboundFetch } from "./providers/http";
export { messageSchema } from "./schemas";
export { enqueueRows, send } from "./send";
export { runListSyncCron } from "./list-sync/cron";
