import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/** A tenant's outbound webhook endpoint (Standard Webhooks signing). */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    tenantId: tenantId(),
    id: id(),
    url: text("url").notNull(),
    description: text("description"),
    eventTypes: text("event_types", { mode: "json" }).$type<string[]>().notNull(), // empty = every event
    secret: text("secret").notNull(), // encryptSecret("whsec_…")
    previousSecret: text("previous_secret"), // still signed with until previous_secret_expires_at
    previousSecretExpiresAt: timestamp("previous_secret_expires_at"),
    status: text("status", { enum: ["enabled", "disabled"] }).notNull(),
    disabledReason: text("disabled_reason"),
    failingSince: timestamp("failing_since"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    lastSuccessAt: timestamp("last_success_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_endpoints_tenant_idx").on(t.tenantId, t.createdAt)],
);

/** One published event; its id is the `webhook-id` of every delivery of it. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    tenantId: tenantId(),
    id: id(),
    type: text("type").notNull(),
    payload: text("payload").notNull(), // the exact JSON body that is signed and sent
    createdAt: createdAt(),
  },
  (t) => [index("webhook_events_tenant_idx").on(t.tenantId, t.createdAt)],
);
