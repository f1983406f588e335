import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Proactive help (modules/insights, docs/automation.md "Proactive help").
 *
 * A day is a UTC calendar day written as `YYYY-MM-DD`. The metric ids are the registry's
 * (workers/modules/insights/metrics.ts); they are not an enum here so a new metric needs no migration.
 */

/** One value of one metric for one workspace and day, written by the cron (an idempotent upsert). */
export const insightSnapshots = sqliteTable(
  "insight_snapshots",
  {
    tenantId: tenantId(),
    metric: text("metric").notNull(),
    day: text("day").notNull(),
    value: real("value").notNull(),
    computedAt: integer("computed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.metric, t.day] })],
);

export const INSIGHT_ALERT_STATUSES = ["open", "acknowledged"] as const;
export type InsightAlertStatus = (typeof INSIGHT_ALERT_STATUSES)[number];

/**
 * A metric far from its usual range on one day, with the numbers the decision rests on: the day's
 * value, the median and MAD of the baseline window, the usual range (median ± k·1.4826·MAD, floored
 * by the minimum absolute change) and how many days of history the baseline had. One per
 * (workspace, metric, day): the unique index is the dedupe key of the notification too.
 */
export const insightAlerts = sqliteTable(
  "insight_alerts",
  {
    tenantId: tenantId(),
    id: id(),
    metric: text("metric").notNull(),
    day: text("day").notNull(),
    direction: text("direction", { enum: ["up", "down"] }).notNull(),
    value: real("value").notNull(),
    median: real("median").notNull(),
    mad: real("mad").notNull(),
    low: real("low").notNull(),
    high: real("high").notNull(),
    historyDays: integer("history_days").notNull(),
    status: text("status", { enum: INSIGHT_ALERT_STATUSES }).notNull().default("open"),
    notifiedAt: timestamp("notified_at"),
    acknowledgedBy: text("acknowledged_by"),
    acknowledgedAt: timestamp("acknowledged_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("insight_alerts_metric_day_uq").on(t.tenantId, t.metric, t.day),
    index("insight_alerts_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("insight_alerts_tenant_status_idx").on(t.tenantId, t.status, t.createdAt),
  ],
);

export const DIGEST_FREQUENCIES = ["daily", "weekly"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/**
 * A workspace's insight settings and the cron's bookkeeping for it. No row = the defaults (digest
 * on, weekly, Monday 08:00 UTC); the cron creates the row the first time it visits the workspace.
 * `snapshot_day`: the newest day whose snapshots (and alerts) are done. `next_digest_at`: when the
 * next digest is due (epoch ms; the claim of a digest moves it forward in one conditional UPDATE).
 */
export const insightSettings = sqliteTable(
  "insight_settings",
  {
    tenantId: text("tenant_id").primaryKey(),
    digestEnabled: integer("digest_enabled", { mode: "boolean" }).notNull().default(true),
    digestFrequency: text("digest_frequency", { enum: DIGEST_FREQUENCIES }).notNull().default("weekly"),
    digestWeekday: integer("digest_weekday").notNull().default(1), // 0 = Sunday … 6 = Saturday
    digestHour: integer("digest_hour").notNull().default(8),
    timezone: text("timezone").notNull().default("UTC"),
    alertsEnabled: integer("alerts_enabled", { mode: "boolean" }).notNull().default(true),
    snapshotDay: text("snapshot_day"),
    nextDigestAt: timestamp("next_digest_at"),
    updatedAt: updatedAt(),
  },
  // The one cross-tenant read: the cron's "digest due" scan.
  (t) => [index("insight_settings_next_digest_idx").on(t.nextDigestAt)],
);

/**
 * A member's own digest choice. No row: owners and admins receive it, other roles do not; a row
 * overrides that either way (the opt-out link in the email writes `subscribed = false`).
 */
export const insightDigestPrefs = sqliteTable(
  "insight_digest_prefs",
  {
    tenantId: tenantId(),
    userId: text("user_id").notNull(),
    subscribed: integer("subscribed", { mode: "boolean" }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

/** One row per digest period sent: the primary key is the "exactly once per period" claim. */
export const insightDigestSends = sqliteTable(
  "insight_digest_sends",
  {
    tenantId: tenantId(),
    periodKey: text("period_key").notNull(), // "weekly:2026-12-07" / "daily:2026-12-07" (the local due date)
    periodStart: text("period_start").notNull(), // first UTC day covered
    periodEnd: text("period_end").notNull(), // last UTC day covered
    recipients: integer("recipients").notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.periodKey] })],
);

/** A suggestion a member dismissed, hidden from them until `until` (epoch ms). */
export const insightDismissals = sqliteTable(
  "insight_dismissals",
  {
    tenantId: tenantId(),
    userId: text("user_id").notNull(),
    suggestionId: text("suggestion_id").notNull(),
    until: integer("until").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId, t.suggestionId] })],
);

/**
 * The snapshot cron's walk over workspaces (one row, key "snapshots"): the UTC day being
 * snapshotted and the last workspace id done, so each tick does a bounded slice.
 */
export const insightCronState = sqliteTable("insight_cron_state", {
  key: text("key").primaryKey(),
  day: text("day").notNull(),
  afterTenantId: text("after_tenant_id").notNull().default(""),
  updatedAt: updatedAt(),
});
