import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";

/** Lead replies (email_replied activities) between `from` (inclusive) and `to` (exclusive), epoch ms (modules/insights). */
export async function leadReplies(db: Db, tenantId: string, from: number, to: number): Promise<number> {
  const row = await db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM sales_activities WHERE tenant_id = ${tenantId} AND kind = 'email_replied' AND occurred_at >= ${from} AND occurred_at < ${to}`,
  );
  return row?.n ?? 0;
}
