import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { tenantId } from "./columns";

/**
 * The AI salesboard's computed figures (modules/salesboard, issue 17; docs/sales.md "salesboard"):
 * one row per workspace and filter set, kept for a few minutes so a dashboard that many people open
 * does not re-aggregate the pipeline each time. A D1 row rather than the per-isolate cache: "Sync
 * now" must be seen by the next request whichever isolate serves it, and everyone sees the same
 * "computed at". Rows older than an hour are deleted when the workspace next writes one.
 */
export const salesboardCache = sqliteTable(
  "salesboard_cache",
  {
    tenantId: tenantId(),
    key: text("key").notNull(), // the normalised filters (period or from/to, owner, source, sequence, interval)
    payload: text("payload").notNull(), // the board as JSON (what GET /salesboard answers, minus the cache fields)
    computedAt: integer("computed_at").notNull(),
    elapsedMs: integer("elapsed_ms").notNull().default(0), // how long the computation took
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);
