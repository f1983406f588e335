import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const LIST_SYNC_PROVIDERS = ["mailchimp", "sendgrid", "kit"] as const;
export type ListSyncProvider = (typeof LIST_SYNC_PROVIDERS)[number];
export const LIST_SYNC_DIRECTIONS = ["push", "two_way"] as const;
export const LIST_SYNC_SCHEDULES = ["off", "hourly", "daily"] as const;
export const LIST_SYNC_RUN_STATUSES = ["queued", "running", "succeeded", "partial", "failed"] as const;
export const LIST_SYNC_TRIGGERS = ["manual", "schedule", "change"] as const;

/**
 * A connection from one email list (messaging `email_lists`) to a list/audience/form at an email
 * marketing provider (modules/messaging/list-sync). `credentials` is the provider's API key sealed
 * with `encryptSecret`; the API only ever shows `credentials_hint`. `field_map` names the remote
 * fields the subscriber's first/last name go to. `pulled_through` is the watermark of unsubscribes
 * read back from the provider (two-way connections).
 */
export const listSyncConnections = sqliteTable(
  "list_sync_connections",
  {
    tenantId: tenantId(),
    id: id(),
    listId: text("list_id").notNull(),
    provider: text("provider", { enum: LIST_SYNC_PROVIDERS }).notNull(),
    credentials: text("credentials").notNull(),
    credentialsHint: text("credentials_hint").notNull(),
    remoteListId: text("remote_list_id").notNull(),
    // Kit: add subscribers to a form or to a tag; unused by the other providers.
    remoteTarget: text("remote_target", { enum: ["list", "form", "tag"] })
      .notNull()
      .default("list"),
    fieldMap: text("field_map", { mode: "json" }).$type<{ first_name: string | null; last_name: string | null }>().notNull(),
    direction: text("direction", { enum: LIST_SYNC_DIRECTIONS }).notNull().default("push"),
    schedule: text("schedule", { enum: LIST_SYNC_SCHEDULES }).notNull().default("daily"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    status: text("status", { enum: ["new", "ok", "error"] })
      .notNull()
      .default("new"),
    lastError: text("last_error"),
    lastSyncAt: timestamp("last_sync_at"),
    nextSyncAt: timestamp("next_sync_at"),
    pulledThrough: timestamp("pulled_through"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("list_sync_connections_list_idx").on(t.tenantId, t.listId, t.createdAt),
    // The one cross-tenant read: the cron tick's "scheduled and due" scan.
    index("list_sync_connections_due_idx").on(t.enabled, t.nextSyncAt),
  ],
);

/** One sync run of a connection: what it did, with the errors per contact (at most 100 kept). */
export const listSyncRuns = sqliteTable(
  "list_sync_runs",
  {
    tenantId: tenantId(),
    id: id(),
    connectionId: text("connection_id").notNull(),
    listId: text("list_id").notNull(),
    trigger: text("trigger", { enum: LIST_SYNC_TRIGGERS }).notNull(),
    mode: text("mode", { enum: ["full", "incremental"] }).notNull(),
    status: text("status", { enum: LIST_SYNC_RUN_STATUSES }).notNull(),
    total: integer("total").notNull().default(0),
    processed: integer("processed").notNull().default(0),
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    unsubscribed: integer("unsubscribed").notNull().default(0),
    pulled: integer("pulled").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    errors: text("errors", { mode: "json" }).$type<{ email: string; status: number | null; error: string }[]>().notNull(),
    error: text("error"),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
    createdAt: createdAt(),
  },
  (t) => [index("list_sync_runs_connection_idx").on(t.tenantId, t.connectionId, t.createdAt)],
);

/**
 * What was last pushed for a contact on a connection (its fingerprint: status and mapped fields).
 * A run pushes only contacts whose fingerprint changed, so a re-run of an in-sync list sends
 * nothing. `remote_id`: the provider's id when it has one we need later (Kit's subscriber id).
 */
export const listSyncContacts = sqliteTable(
  "list_sync_contacts",
  {
    tenantId: tenantId(),
    connectionId: text("connection_id").notNull(),
    email: text("email").notNull(),
    fingerprint: text("fingerprint").notNull(),
    remoteId: text("remote_id"),
    syncedAt: integer("synced_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.connectionId, t.email] })],
);
