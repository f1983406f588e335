import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";

const DAY = 86_400_000;

/**
 * Page views (the `$pageview` rollup of analytics_daily, bots excluded) and unique visitors (distinct
 * people with a non-bot event in the raw events; within the raw-event retention only) between `from`
 * (inclusive) and `to` (exclusive), epoch ms. Page views count whole UTC days (the rollup's grain).
 */
export async function analyticsDailyFigures(
  db: Db,
  tenantId: string,
  from: number,
  to: number,
): Promise<{ pageViews: number; visitors: number }> {
  const row = await db.get<{ views: number; visitors: number }>(sql`
    SELECT
      (SELECT coalesce(sum(count), 0) FROM analytics_daily WHERE tenant_id = ${tenantId} AND kind = 'event' AND key = '$pageview'
        AND day >= ${Math.floor(from / DAY)} AND day < ${Math.ceil(to / DAY)}) AS views,
      (SELECT count(DISTINCT person_id) FROM analytics_events WHERE tenant_id = ${tenantId} AND ts >= ${from} AND ts < ${to} AND is_bot = 0) AS visitors`);
  return { pageViews: row?.views ?? 0, visitors: row?.visitors ?? 0 };
}
