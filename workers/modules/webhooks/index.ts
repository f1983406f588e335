// Public entry of the webhooks module: the only file other modules import (see docs/engineering.md).
export { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_SCHEDULE_SECONDS } from "./catalogue";
export { deliverWebhook, onWebhookDeliveryFailed } from "./deliver";
export { publishEvent, publishEventSafely } from "./publish";
