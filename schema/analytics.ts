import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, updatedAt } from "./columns";

export const EVENT_SOURCES = ["web", "server"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];
export const DEVICE_TYPES = ["desktop", "mobile", "tablet", "bot", "other"] as const;

/**
 * Raw product-analytics events, one row per accepted event. The primary key (tenant, client event
 * id) is what makes ingestion idempotent: a retried batch inserts nothing the second time.
 * `person_id` is the distinct id after identity merging (an anonymous id that later identified
 * points at the user), rewritten when an `$identify` arrives, so queries never join an alias table.
 * The enrichment columns (path, referrer, UTM, country, device) are extracted once at ingestion so
 * the top-N reports group on plain columns instead of parsing JSON per row.
 */
export const analyticsEvents = sqliteTable(
  "analytics_events",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    distinctId: text("distinct_id").notNull(),
    personId: text("person_id").notNull(),
    ts: integer("ts").notNull(),
    receivedAt: integer("received_at").notNull(),
    source: text("source", { enum: EVENT_SOURCES }).notNull(),
    sessionId: text("session_id"),
    host: text("host"),
    path: text("path"),
    referrerHost: text("referrer_host"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    country: text("country"),
    device: text("device", { enum: DEVICE_TYPES }),
    browser: text("browser"),
    os: text("os"),
    isBot: integer("is_bot", { mode: "boolean" }).notNull().default(false),
    props: text("props", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("analytics_events_tenant_ts_idx").on(t.tenantId, t.ts),
    index("analytics_events_tenant_name_ts_idx").on(t.tenantId, t.name, t.ts),
    // Funnels and retention walk one person's events in time order; is_bot is in the index so the
    // funnel scan never touches the table (index-only: ~2× faster per page of people).
    index("analytics_events_tenant_person_idx").on(t.tenantId, t.personId, t.ts, t.name, t.isBot),
  ],
);

/** An anonymous distinct id merged into a person by `identify` (the first merge wins, as in PostHog). */
export const analyticsAliases = sqliteTable(
  "analytics_aliases",
  {
    tenantId: tenantId(),
    distinctId: text("distinct_id").notNull(),
    personId: text("person_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.distinctId] }), index("analytics_aliases_person_idx").on(t.tenantId, t.personId)],
);

/** Identified people: traits from `identify` (`$set`), first and last time seen. */
export const analyticsPersons = sqliteTable(
  "analytics_persons",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    traits: text("traits", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    firstSeenAt: integer("first_seen_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("analytics_persons_last_seen_idx").on(t.tenantId, t.lastSeenAt)],
);

export const ROLLUP_KINDS = ["event", "page", "referrer", "utm_source", "country", "device", "dropped"] as const;
export type RollupKind = (typeof ROLLUP_KINDS)[number];

/**
 * Daily counts per (kind, key), kept by triggers on analytics_events (migration 0012) so they
 * change in the same transaction as the insert and exactly once per new event; bots are not
 * counted. `dropped` counts tracker events sampled out while the workspace was over its quota.
 * Rollups outlive the raw-event retention period.
 */
export const analyticsDaily = sqliteTable(
  "analytics_daily",
  {
    tenantId: tenantId(),
    day: integer("day").notNull(), // days since the epoch (UTC)
    kind: text("kind", { enum: ROLLUP_KINDS }).notNull(),
    key: text("key").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.kind, t.key] })],
);

/** Per-workspace tracker and storage settings (defaults apply while there is no row). */
export const analyticsSettings = sqliteTable("analytics_settings", {
  tenantId: text("tenant_id").primaryKey(),
  autocaptureLinks: integer("autocapture_links", { mode: "boolean" }).notNull().default(true),
  autocaptureForms: integer("autocapture_forms", { mode: "boolean" }).notNull().default(true),
  respectDnt: integer("respect_dnt", { mode: "boolean" }).notNull().default(true),
  requireConsent: integer("require_consent", { mode: "boolean" }).notNull().default(false),
  /** Raw events older than this are deleted by the daily cron; null = the plan's default. */
  retentionDays: integer("retention_days"),
  /** Activation: the sign-up event and up to 10 milestones (an event within N days of sign-up); null = none defined. */
  activation: text("activation", { mode: "json" }).$type<ActivationConfig>(),
  /** Churn-recovery email series for people at risk (off until the workspace turns it on). */
  recovery: text("recovery", { mode: "json" }).$type<RecoveryConfig>(),
  /** Upgrade prompts: an email to an identified person whose `limit_approached` event crosses the threshold (off until turned on). */
  upgradePrompts: text("upgrade_prompts", { mode: "json" }).$type<UpgradePromptConfig>(),
  updatedAt: updatedAt(),
});

export interface UpgradePromptConfig {
  enabled: boolean;
  /** Percent of a limit from which the email goes (one per person, meter, month and threshold: 80 or 100). */
  min_percent: number;
  /** Where the email's button leads (the tenant's own pricing or billing page). */
  upgrade_url: string;
}

export interface RecoveryConfig {
  enabled: boolean;
  /** Churn-risk score (0–100) from which a person enters the series. */
  min_score: number;
}

/**
 * One row per person who entered the churn-recovery series: which email of the series went last
 * and when, and when they came back (recovered) — so each email goes once and a recovered person
 * leaves the series.
 */
export const analyticsRecovery = sqliteTable(
  "analytics_recovery",
  {
    tenantId: tenantId(),
    personId: text("person_id").notNull(),
    email: text("email").notNull(),
    startedAt: integer("started_at").notNull(),
    step: integer("step").notNull(),
    lastSentAt: integer("last_sent_at").notNull(),
    recoveredAt: integer("recovered_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.personId] })],
);

export interface ActivationConfig {
  signup_event: string;
  milestones: { name: string; event: string; within_days: number }[];
}

/** A saved funnel: its query definition (steps, window, order) as the funnel API takes it. */
export const analyticsFunnels = sqliteTable(
  "analytics_funnels",
  {
    id: id(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    definition: text("definition", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("analytics_funnels_tenant_idx").on(t.tenantId, t.createdAt)],
);
