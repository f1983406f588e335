import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, tenantId, timestamp, updatedAt } from "./columns";

export const FORWARD_PROVIDERS = ["mixpanel", "ga4", "webhook"] as const;
export type ForwardProvider = (typeof FORWARD_PROVIDERS)[number];
export const FORWARD_BATCH_STATUSES = ["queued", "retrying", "delivered", "partial", "failed", "skipped"] as const;
export type ForwardBatchStatus = (typeof FORWARD_BATCH_STATUSES)[number];

/** Provider settings that are not secret (the secret is sealed in `secret`). */
export interface DestinationConfig {
  /** Mixpanel */
  projectId?: string;
  region?: "us" | "eu" | "in";
  /** Mixpanel service account user name; absent → `secret` is the project's API secret. */
  serviceAccountUsername?: string | null;
  /** GA4 web stream */
  measurementId?: string;
  /** Custom webhook: the workspace's signed webhook endpoints that receive `analytics.events`. */
  endpointIds?: string[];
}

/**
 * Where a workspace forwards its product-analytics events (modules/analytics/forwarding): Mixpanel
 * /import, GA4 Measurement Protocol or its own signed webhook endpoints. Credentials are sealed
 * with encryptSecret and never returned; `secret_hint` is the last characters for recognition.
 */
export const analyticsDestinations = sqliteTable(
  "analytics_destinations",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    provider: text("provider", { enum: FORWARD_PROVIDERS }).notNull(),
    name: text("name").notNull(),
    config: text("config", { mode: "json" }).$type<DestinationConfig>().notNull(),
    secret: text("secret"),
    secretHint: text("secret_hint"),
    /** null = every event; otherwise only these event names. */
    eventNames: text("event_names", { mode: "json" }).$type<string[] | null>(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    lastSuccessAt: timestamp("last_success_at"),
    lastFailureAt: timestamp("last_failure_at"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("analytics_destinations_tenant_created_idx").on(t.tenantId, t.createdAt)],
);

/**
 * One forwarded batch (one ingest Queue message's new events, for one destination): its status,
 * attempts and outcome. `requests_done` is how many provider requests of the batch already
 * succeeded, so a retry resumes after them instead of sending those events twice.
 */
export const analyticsForwardBatches = sqliteTable(
  "analytics_forward_batches",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    destinationId: text("destination_id").notNull(),
    status: text("status", { enum: FORWARD_BATCH_STATUSES }).notNull(),
    eventCount: integer("event_count").notNull(),
    sentCount: integer("sent_count").notNull().default(0),
    failedCount: integer("failed_count").notNull().default(0),
    skippedCount: integer("skipped_count").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    requestsDone: integer("requests_done").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    error: text("error"),
    /** Notes for people: renamed/dropped events (GA4), rejected records (Mixpanel), webhook message ids. */
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    nextAttemptAt: timestamp("next_attempt_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("analytics_forward_batches_dest_idx").on(t.tenantId, t.destinationId, t.createdAt, t.id),
  ],
);

/** Events sent / failed per destination and UTC day. */
export const analyticsForwardDaily = sqliteTable(
  "analytics_forward_daily",
  {
    tenantId: tenantId(),
    destinationId: text("destination_id").notNull(),
    day: text("day").notNull(), // YYYY-MM-DD (UTC)
    sent: integer("sent").notNull().default(0),
    failed: integer("failed").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.destinationId, t.day] })],
);
