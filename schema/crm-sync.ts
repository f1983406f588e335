import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * The integration hub (modules/crmsync, issue 17; docs/sales.md "CRM sync"): two-way sync of leads
 * (remote contacts) and deals with HubSpot, Salesforce and Pipedrive. `credentials` is a JSON blob
 * (token, refresh token, instance URL…) sealed with `encryptSecret`; the API shows only
 * `credentials_hint`. Links pair a local row with its remote record and remember the modified
 * times last seen on both sides, so an unchanged record is not written back (no ping-pong).
 */
export const CRM_PROVIDERS = ["hubspot", "salesforce", "pipedrive"] as const;
export type CrmProvider = (typeof CRM_PROVIDERS)[number];
export const CRM_DIRECTIONS = ["two_way", "pull", "push"] as const;
export type CrmDirection = (typeof CRM_DIRECTIONS)[number];
export const CRM_CONFLICT_RULES = ["last_modified", "weft_wins", "crm_wins"] as const;
export type CrmConflictRule = (typeof CRM_CONFLICT_RULES)[number];
export const CRM_ENTITIES = ["lead", "deal"] as const;
export type CrmEntity = (typeof CRM_ENTITIES)[number];

/** One mapped field: the remote property ↔ a local field (`email`, `first_name`… or `custom:<key>`). */
export interface CrmFieldMapping {
  remote: string;
  local: string;
}
/** Remote stage id → local stage id (stg_…). */
export type CrmStageMap = Record<string, string>;
/** Remote stages as the CRM lists them (id, label), refreshed on connect and on each run. */
export interface CrmRemoteStage {
  id: string;
  label: string;
}

export const crmConnections = sqliteTable(
  "crm_connections",
  {
    tenantId: tenantId(),
    id: id(), // crm_…
    provider: text("provider", { enum: CRM_PROVIDERS }).notNull(),
    authKind: text("auth_kind", { enum: ["token", "oauth"] }).notNull(),
    credentials: text("credentials").notNull(), // sealed JSON
    credentialsHint: text("credentials_hint").notNull(),
    accountLabel: text("account_label"), // portal id / org / company domain shown in the UI
    status: text("status", { enum: ["active", "error"] })
      .notNull()
      .default("active"),
    lastError: text("last_error"),
    direction: text("direction", { enum: CRM_DIRECTIONS }).notNull().default("two_way"),
    conflictRule: text("conflict_rule", { enum: CRM_CONFLICT_RULES }).notNull().default("last_modified"),
    intervalMinutes: integer("interval_minutes"), // null: manual only
    leadMapping: text("lead_mapping", { mode: "json" }).$type<CrmFieldMapping[]>().notNull(),
    dealMapping: text("deal_mapping", { mode: "json" }).$type<CrmFieldMapping[]>().notNull(),
    stageMap: text("stage_map", { mode: "json" }).$type<CrmStageMap>().notNull().default({}),
    remoteStages: text("remote_stages", { mode: "json" }).$type<CrmRemoteStage[]>().notNull().default([]),
    // High-water marks: remote modified time pulled through, per entity; local updated_at pushed through.
    pulledThrough: text("pulled_through", { mode: "json" }).$type<Partial<Record<CrmEntity, number>>>().notNull().default({}),
    pushedThrough: text("pushed_through", { mode: "json" }).$type<Partial<Record<CrmEntity, number>>>().notNull().default({}),
    lastSyncAt: timestamp("last_sync_at"),
    nextSyncAt: timestamp("next_sync_at"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("crm_connections_tenant_idx").on(t.tenantId, t.createdAt),
    // The one cross-tenant read: the cron tick's "scheduled and due" scan.
    index("crm_connections_due_idx").on(t.nextSyncAt),
  ],
);

export const crmLinks = sqliteTable(
  "crm_links",
  {
    tenantId: tenantId(),
    connectionId: text("connection_id").notNull(),
    entity: text("entity", { enum: CRM_ENTITIES }).notNull(),
    localId: text("local_id").notNull(),
    remoteId: text("remote_id").notNull(),
    remoteModifiedAt: integer("remote_modified_at").notNull(), // the remote record's modified time last seen/written
    localModifiedAt: integer("local_modified_at").notNull(), // the local row's updated_at last pulled into/pushed from
    syncedAt: integer("synced_at").notNull(),
  },
  (t) => [
    uniqueIndex("crm_links_remote_uq").on(t.tenantId, t.connectionId, t.entity, t.remoteId),
    uniqueIndex("crm_links_local_uq").on(t.tenantId, t.connectionId, t.entity, t.localId),
  ],
);

/** A per-record line of a run's log: an error, a conflict and how it was resolved, or an unknown remote stage. */
export interface CrmRunRecord {
  kind: "error" | "conflict" | "stage";
  entity: CrmEntity;
  local_id: string | null;
  remote_id: string | null;
  message: string;
}
export const CRM_RUN_STATUSES = ["queued", "running", "succeeded", "partial", "failed"] as const;

export const crmSyncRuns = sqliteTable(
  "crm_sync_runs",
  {
    tenantId: tenantId(),
    id: id(), // crr_…
    connectionId: text("connection_id").notNull(),
    trigger: text("trigger", { enum: ["manual", "schedule"] }).notNull(),
    status: text("status", { enum: CRM_RUN_STATUSES }).notNull(),
    phase: text("phase"), // what it is doing now ("pulling contacts", "pushing deals"…)
    pulled: integer("pulled").notNull().default(0), // remote records read
    pushed: integer("pushed").notNull().default(0), // local records written to the CRM
    created: integer("created").notNull().default(0), // local rows created
    updated: integer("updated").notNull().default(0), // local rows updated
    unchanged: integer("unchanged").notNull().default(0),
    conflicts: integer("conflicts").notNull().default(0),
    errors: integer("errors").notNull().default(0),
    records: text("records", { mode: "json" }).$type<CrmRunRecord[]>().notNull().default([]), // the first 200
    error: text("error"), // why the run failed as a whole
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
    createdAt: createdAt(),
  },
  (t) => [index("crm_sync_runs_connection_idx").on(t.tenantId, t.connectionId, t.createdAt)],
);
