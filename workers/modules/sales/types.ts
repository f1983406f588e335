import type { SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../platform/db";
import type { salesActivities, salesCompanies, salesDeals, salesLeads, salesStages, salesTasks } from "../../../schema/sales";

/** Row types of the CRM tables (schema/sales.ts), shared by the crm services and the module's public entry. */
export type LeadRow = typeof salesLeads.$inferSelect;
export type CompanyRow = typeof salesCompanies.$inferSelect;
export type ActivityRow = typeof salesActivities.$inferSelect;
export type StageRow = typeof salesStages.$inferSelect;
export type DealRow = typeof salesDeals.$inferSelect;
export type TaskRow = typeof salesTasks.$inferSelect;
/** One statement for `db.batch()`. */
export type Stmt = BatchItem<"sqlite">;

/**
 * A raw SQL statement usable in `db.batch()`. drizzle's `db.run(sql)` is batchable only without
 * parameters (its D1 session binds parameters to a prepared statement that raw queries lack), so
 * the statement is prepared here.
 */
export function rawStmt(db: Db, query: SQL): Stmt {
  const raw = db.run(query) as unknown as { getQuery(): { sql: string }; stmt?: D1PreparedStatement };
  raw.stmt = (db as unknown as { $client: D1Database }).$client.prepare(raw.getQuery().sql);
  return raw as unknown as Stmt;
}
