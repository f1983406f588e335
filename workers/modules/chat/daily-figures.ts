import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";

/**
 * Read-only chat figures between `from` (inclusive) and `to` (exclusive), epoch ms, for proactive
 * insights (modules/insights). `offlineWaits`: conversations a visitor opened through the offline
 * form (prechat source `offline_form`, public.routes.ts) — they asked for a person while nobody was online.
 */
export async function chatDailyFigures(
  db: Db,
  tenantId: string,
  from: number,
  to: number,
): Promise<{ conversations: number; offlineWaits: number }> {
  const row = await db.get<{ conversations: number; offline: number }>(sql`
    SELECT count(*) AS conversations,
      coalesce(sum(CASE WHEN json_extract(prechat, '$.source') = 'offline_form' THEN 1 ELSE 0 END), 0) AS offline
    FROM chat_conversations WHERE tenant_id = ${tenantId} AND created_at >= ${from} AND created_at < ${to}`);
  return { conversations: row?.conversations ?? 0, offlineWaits: row?.offline ?? 0 };
}
