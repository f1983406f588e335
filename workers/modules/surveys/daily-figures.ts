import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";

/** NPS responses between `from` (inclusive) and `to` (exclusive), epoch ms (modules/insights). */
export async function npsResponseCount(db: Db, tenantId: string, from: number, to: number): Promise<number> {
  const row = await db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM survey_nps_responses WHERE tenant_id = ${tenantId} AND created_at >= ${from} AND created_at < ${to}`,
  );
  return row?.n ?? 0;
}
