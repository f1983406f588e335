import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";

/** Workflow runs that ended failed, created between `from` (inclusive) and `to` (exclusive), epoch ms (modules/insights). */
export async function workflowRunsFailed(db: Db, tenantId: string, from: number, to: number): Promise<number> {
  const row = await db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM workflow_runs WHERE tenant_id = ${tenantId} AND status = 'failed' AND created_at >= ${from} AND created_at < ${to}`,
  );
  return row?.n ?? 0;
}
