/**
 * Per-person timelines (schema/analytics-timelines.ts): what funnels read instead of raw events.
 *
 * A new event is appended by the `analytics_events_timeline` trigger (its migration). Two writers
 * change events after the fact, and rebuild the rows they touch from the raw events here — with the
 * same token expression as the trigger, events in (ts, rowid) order:
 * - an identity merge moves an anonymous id's events to a person (the consumer, after its UPDATE);
 * - retention deletes old events (the daily cron).
 */
export const DAY_MS = 86_400_000;
/** Characters per event in a timeline: 2 for the name code, 5 for the milliseconds into the day. */
export const TOKEN_CHARS = 7;
/** Codes at or above this share one token ("some other event"): a funnel on such a name reads raw events. */
export const OVERFLOW_CODE = 4095;
/** The first character of the base-64 alphabet ('0' … 'o' are 64 consecutive code points). */
export const TOKEN_BASE = 48;

/** SQL for one event's token; `code` and `ts` are SQL expressions. Must equal the trigger's. */
export function tokenSql(code: string, ts: string): string {
  const off = `(${ts} % 86400000)`;
  return `char(48 + (min(${code}, 4095) >> 6), 48 + (min(${code}, 4095) & 63), 48 + (${off} >> 24), 48 + ((${off} >> 18) & 63), 48 + ((${off} >> 12) & 63), 48 + ((${off} >> 6) & 63), 48 + (${off} & 63))`;
}

/**
 * A row stops growing at this many characters (200,000 events) and is marked full (the trigger,
 * migration 0037). So a row marked full is at least this long: a day whose rows are shorter in
 * total has none.
 */
export const ROW_CAP_CHARS = 1_400_000;
/** A rebuilt row past the trigger's cap is marked full, as the trigger would have. */
const FULL = `count(*) >= ${ROW_CAP_CHARS / TOKEN_CHARS}`;

/** The rows of `person` (all days), rebuilt from that person's raw events. */
const REBUILD_PERSON = `INSERT INTO analytics_timelines (tenant_id, day, person_id, events, full)
  SELECT e.tenant_id, e.ts / 86400000, e.person_id, group_concat(${tokenSql("n.code", "e.ts")}, '' ORDER BY e.ts, e.rowid), ${FULL}
  FROM analytics_events e INDEXED BY analytics_events_tenant_person_idx
  JOIN analytics_event_names n ON n.tenant_id = e.tenant_id AND n.name = e.name
  WHERE e.tenant_id = ?1 AND e.person_id = ?2 AND e.is_bot = 0
  GROUP BY e.ts / 86400000`;

/**
 * Statements that rebuild the timelines of `person` and drop those of `anon` after the anonymous
 * id's events moved to the person (run in the same D1 batch, after the UPDATE). `person` is an SQL
 * expression over ?1 (tenant) and ?2 (anonymous id): the alias the merge recorded.
 */
export function mergeTimelineStatements(d1: D1Database, tenantId: string, anon: string): D1PreparedStatement[] {
  const person = "(SELECT person_id FROM analytics_aliases WHERE tenant_id = ?1 AND distinct_id = ?2)";
  return [
    d1.prepare(`DELETE FROM analytics_timelines WHERE tenant_id = ?1 AND person_id IN (?2, ${person})`).bind(tenantId, anon),
    d1.prepare(REBUILD_PERSON.replace("e.person_id = ?2", `e.person_id = ${person}`)).bind(tenantId, anon),
  ];
}

/**
 * After retention deleted a workspace's events older than some time: drops the timeline days that
 * no longer have any event and rebuilds the oldest remaining day (it may have lost part of its events).
 */
export async function pruneTimelines(d1: D1Database, tenantId: string): Promise<void> {
  const oldest = await d1
    .prepare("SELECT min(ts) AS ts FROM analytics_events WHERE tenant_id = ?1")
    .bind(tenantId)
    .first<{ ts: number | null }>();
  if (oldest?.ts === null || oldest?.ts === undefined) {
    await d1.prepare("DELETE FROM analytics_timelines WHERE tenant_id = ?1").bind(tenantId).run();
    return;
  }
  const day = Math.floor(oldest.ts / DAY_MS);
  await d1.batch([
    d1.prepare("DELETE FROM analytics_timelines WHERE tenant_id = ?1 AND day <= ?2").bind(tenantId, day),
    d1
      .prepare(
        `INSERT INTO analytics_timelines (tenant_id, day, person_id, events, full)
         SELECT e.tenant_id, ?2, e.person_id, group_concat(${tokenSql("n.code", "e.ts")}, '' ORDER BY e.ts, e.rowid), ${FULL}
         FROM analytics_events e INDEXED BY analytics_events_tenant_ts_idx
         JOIN analytics_event_names n ON n.tenant_id = e.tenant_id AND n.name = e.name
         WHERE e.tenant_id = ?1 AND e.ts >= ?3 AND e.ts < ?4 AND e.is_bot = 0
         GROUP BY e.person_id`,
      )
      .bind(tenantId, day, day * DAY_MS, (day + 1) * DAY_MS),
  ]);
}
