import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { tenantId } from "./columns";

/**
 * Per-workspace dictionary of event names → small integer codes, so a timeline stores an event in
 * 7 characters instead of its name. Codes are assigned in order of first appearance by the
 * timeline trigger (migration `analytics_timelines`) and never change; names are never deleted.
 */
export const analyticsEventNames = sqliteTable(
  "analytics_event_names",
  {
    tenantId: tenantId(),
    name: text("name").notNull(),
    code: integer("code").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);

/**
 * Compact per-person timelines for funnels: one row per (workspace, UTC day, person) holding every
 * non-bot event of that person that day as 7-character tokens (2 for the name code, 5 for the
 * milliseconds into the day, base 64 over the characters '0'…'o'), appended in insertion order.
 * A funnel then reads ~one short row per active person-day instead of every event row.
 * Kept by the database: a trigger on analytics_events appends each new event (so a duplicate that
 * inserts nothing appends nothing); identity merges and retention rebuild the rows they touch
 * from the raw events (workers/modules/analytics/timelines.ts). WITHOUT ROWID (hand-edited in the
 * migration): the row lives in the primary-key b-tree, so a day range is one contiguous scan.
 */
export const analyticsTimelines = sqliteTable(
  "analytics_timelines",
  {
    tenantId: tenantId(),
    day: integer("day").notNull(), // days since the epoch (UTC)
    personId: text("person_id").notNull(),
    events: text("events").notNull(),
    /** 1 once the row reached its size cap (~200,000 events of one person in one day) and stopped taking events: funnels over its day read raw events. */
    full: integer("full").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.personId] }),
    // An identity merge rebuilds one person's rows: found without scanning the workspace's days.
    index("analytics_timelines_person_idx").on(t.tenantId, t.personId),
  ],
);
