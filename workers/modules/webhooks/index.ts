// Public entry of the webhooks module: the only file other modules import (see docs/engineering.md).
export { webhookChannel } from "./deliver";
export { publishEvent, publishEventSafely } from "./publish";
export { getEndpointRow } from "./endpoints.service";
// Automation (modules/workflows): the event catalogue event triggers listen to.
export { EVENT_TYPES } from "./catalogue";
