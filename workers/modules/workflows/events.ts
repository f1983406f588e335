import { EVENT_TYPES } from "../webhooks";

/** The event catalogue an event trigger listens to: the platform's webhook event types. */
export function eventCatalogue() {
  return Object.entries(EVENT_TYPES)
    .filter(([type]) => type !== "webhook.test")
    .map(([type, e]) => ({ type, group: e.group, description: e.description, sample: { ...e.example } as Record<string, unknown> }));
}
