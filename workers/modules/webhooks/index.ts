// Public entry of the webhooks module: the only file other modules import (see docs/engineering.md).
export { webhookChannel } from "./deliver";
export { publishEvent, publishEventSafely } from "./publish";
export { getEndpointRow } from "./endpoints.service";
