import { asc, gt } from "drizzle-orm";
import { tenants } from "../../../schema/tenancy";
import type { Db } from "../../platform/db";

/**
 * Workspace ids in id order after `afterId` (exclusive), at most `limit`: for crons that walk every
 * workspace in bounded slices (modules/insights keeps its cursor). Read-only, on the primary key.
 */
export async function workspaceIdsAfter(db: Db, afterId: string, limit: number): Promise<string[]> {
  const rows = await db.select({ id: tenants.id }).from(tenants).where(gt(tenants.id, afterId)).orderBy(asc(tenants.id)).limit(limit);
  return rows.map((r) => r.id);
}
