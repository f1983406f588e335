import type { BatchItem } from "drizzle-orm/batch";
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
