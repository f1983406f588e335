import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";

/** End users (portal accounts) created between `from` (inclusive) and `to` (exclusive), epoch ms (modules/insights). */
export async function endUserSignUps(db: Db, tenantId: string, from: number, to: number): Promise<number> {
  const row = await db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM end_users WHERE tenant_id = ${tenantId} AND created_at >= ${from} AND created_at < ${to}`,
  );
  return row?.n ?? 0;
}
