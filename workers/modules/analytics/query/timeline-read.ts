/**
 * How a timeline funnel reads D1 (funnel-timeline.ts): runs of whole days, each day one row holding
 * its people and their events, grouped into `TimelineRows` as they arrive.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db";
import { OVERFLOW_CODE, ROW_CAP_CHARS } from "../timelines";
import type { FunnelQuery } from "./funnels";
import { BAD, OK, type PageResult, type TimelineRows } from "./timeline-rows";

/**
 * Events per page, sized from the daily rollups. A page is a run of whole days read with GROUP BY
 * day (the primary key's order: no sort, no subquery), one row per day, so a value holds one day
 * (D1 allows 2 MB per value: a day too big for one value is read again a slice of people at a time,
 * keyset on person within the day) and a page ~7 characters per event plus the people (~9 MB for
 * 1M events; D1 allows 50 MB per result). Every query costs a round trip (~2 ms locally even for a
 * tiny one): on the bench's 1M events, pages of 100k events (10 queries) took ~30 % longer than one.
 */
export const EVENTS_PER_PAGE = 1_000_000;
/** Pages requested before the current one is grouped, so D1 reads the next while the Worker works. */
export const READ_AHEAD = 1;
/** Rows per slice when one day is read a slice of people at a time. */
export const ROWS_PER_SLICE = 10_000;
/** Above this many people in one query the Worker's memory is at risk: read raw events a page of people at a time. */
export const MAX_TIMELINE_PEOPLE = 1_000_000;

export interface DayPage {
  day: number;
  p: string;
  e: string;
}
interface Slice {
  p: string | null;
  e: string | null;
  n: number;
  last: string | null;
}

// Each row steps every aggregate of its group once, in the same order: the people and the events
// lists line up; tokens never hold a comma. People comma-joined as they are (`plain`): an id holding
// a comma shows as more ids than rows, and then every page is read again with the people as a JSON
// array (an id may hold any character). On the bench's data the JSON array cost ~0.4× an indexed
// count more than the plain list (escaping in SQL, and of its quotes in D1's JSON transport).
// No max(full): a full row is at least ROW_CAP_CHARS long, so only a day (or slice) whose events
// reach that length is asked about it (hasFullRow); on the bench's data max(full) cost ~10 % of the SQL.
const people = (col: SQL, plain: boolean): SQL => (plain ? sql`group_concat(${col}, ',')` : sql`json_group_array(${col})`);

const daysSql = (tenantId: string, from: number, to: number, plain: boolean, when: SQL = sql`true`): SQL =>
  sql`SELECT t.day AS day, ${people(sql`t.person_id`, plain)} AS p, group_concat(t.events, ',') AS e
    FROM analytics_timelines t WHERE t.tenant_id = ${tenantId} AND t.day >= ${from} AND t.day <= ${to} AND ${when} GROUP BY t.day`;

const sliceSql = (tenantId: string, day: number, after: string, limit: number, plain: boolean): SQL =>
  sql`SELECT ${people(sql`p.person_id`, plain)} AS p, group_concat(p.events, ',') AS e, count(*) AS n, max(p.person_id) AS last
    FROM (SELECT t.person_id, t.events FROM analytics_timelines t
      WHERE t.tenant_id = ${tenantId} AND t.day = ${day} AND t.person_id > ${after} ORDER BY t.person_id LIMIT ${sql.raw(String(limit))}) p`;

const dailySql = (tenantId: string, from: number, to: number): SQL =>
  sql`SELECT day, sum(count) AS n FROM analytics_daily WHERE tenant_id = ${tenantId} AND kind = 'event' AND day >= ${from} AND day <= ${to} GROUP BY day ORDER BY day`;

/** Runs of consecutive days [first, last] holding about `perPage` events each (by the rollups), covering [from, to]. */
function dayRuns(days: { day: number; n: number }[], from: number, to: number, perPage: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = from;
  let size = 0;
  for (const d of days) {
    if (size && size + d.n > perPage) {
      runs.push([start, d.day - 1]);
      start = d.day;
      size = 0;
    }
    size += d.n;
  }
  runs.push([start, to]);
  return runs;
}

/** Whether a row of `day` stopped growing at its cap (the day then reads raw events). */
async function hasFullRow(db: Db, tenantId: string, day: number): Promise<boolean> {
  const r = await db.all(sql`SELECT 1 AS x FROM analytics_timelines WHERE tenant_id = ${tenantId} AND day = ${day} AND full = 1 LIMIT 1`);
  return r.length > 0;
}

/** One day a slice of people at a time. */
async function readDayInSlices(
  db: Db,
  tenantId: string,
  day: number,
  rows: TimelineRows,
  perSlice: number,
  plain: boolean,
): Promise<PageResult> {
  let after = "";
  for (;;) {
    const [slice]: Slice[] = await db.all<Slice>(sliceSql(tenantId, day, after, perSlice, plain));
    if (!slice?.n) return OK;
    if ((slice.e?.length ?? 0) >= ROW_CAP_CHARS && (await hasFullRow(db, tenantId, day))) return BAD;
    const r = rows.addPage(day, slice.p ?? "", slice.e ?? "", plain);
    if (r !== OK) return r;
    if (slice.n < perSlice || slice.last === null) return OK;
    after = slice.last;
  }
}

const namesSql = (tenantId: string, q: FunnelQuery): SQL =>
  sql`SELECT name, code FROM analytics_event_names WHERE tenant_id = ${tenantId} AND name IN (${sql.join(
    [...new Set(q.steps.map((s) => s.event))].map((n) => sql`${n}`),
    sql`, `,
  )})`;

/** Step masks per name code (bit k: the code's event matches step k+1), or null when a step's name overflowed. */
function stepMasks(rows: { name: string; code: number }[], q: FunnelQuery): Int32Array | null {
  const masks = new Int32Array(OVERFLOW_CODE + 1);
  for (const r of rows) {
    if (r.code >= OVERFLOW_CODE) return null;
    q.steps.forEach((st, k) => {
      if (st.event === r.name) masks[r.code] = (masks[r.code] ?? 0) | (1 << k);
    });
  }
  return masks;
}

/**
 * The step masks, the runs of days and, when the whole range fits one page, that page: in one D1
 * batch (one round trip; the page's statement returns nothing unless the rollups say it fits).
 * `first` is null when the range needs several pages or the batch failed (a value over D1's limit:
 * then the step codes and rollups are read again alone and the pages as below).
 */
export async function startRead(
  db: Db,
  tenantId: string,
  q: FunnelQuery,
  fromDay: number,
  toDay: number,
  perPage: number,
  sliceSize?: number,
): Promise<{ masks: Int32Array | null; runs: [number, number][]; first: DayPage[] | null }> {
  if (sliceSize) {
    const runs: [number, number][] = [];
    for (let d = fromDay; d <= toDay; d++) runs.push([d, d]);
    return { masks: stepMasks(await db.all(namesSql(tenantId, q)), q), runs, first: null };
  }
  const fits = sql`(SELECT coalesce(sum(count), 0) FROM analytics_daily WHERE tenant_id = ${tenantId} AND kind = 'event' AND day >= ${fromDay} AND day <= ${toDay}) <= ${perPage}`;
  try {
    // drizzle's batch cannot take raw SQL with parameters: the D1 binding's own batch.
    const d1 = (db as Db & { $client: D1Database }).$client;
    const stmt = (q: SQL) => {
      const { sql: text, params } = db.all(q).getQuery();
      return d1.prepare(text).bind(...params);
    };
    const [a, b, c] = await d1.batch([
      stmt(namesSql(tenantId, q)),
      stmt(dailySql(tenantId, fromDay, toDay)),
      stmt(daysSql(tenantId, fromDay, toDay, true, fits)),
    ]);
    const names = (a?.results ?? []) as { name: string; code: number }[];
    const days = (b?.results ?? []) as { day: number; n: number }[];
    const first = (c?.results ?? []) as DayPage[];
    const total = days.reduce((sum, d) => sum + d.n, 0);
    return { masks: stepMasks(names, q), runs: dayRuns(days, fromDay, toDay, perPage), first: total <= perPage ? first : null };
  } catch {
    const [names, days] = await Promise.all([
      db.all<{ name: string; code: number }>(namesSql(tenantId, q)),
      db.all<{ day: number; n: number }>(dailySql(tenantId, fromDay, toDay)),
    ]);
    return { masks: stepMasks(names, q), runs: dayRuns(days, fromDay, toDay, perPage), first: null };
  }
}

/**
 * Reads the runs of days into `rows` (`prefetched`: the first run, already read); BAD when the timelines
 * cannot answer (a full row, too many people).
 */
export async function readRuns(
  db: Db,
  tenantId: string,
  runs: [number, number][],
  rows: TimelineRows,
  plain: boolean,
  sliceSize?: number,
  prefetched?: DayPage[] | null,
): Promise<PageResult> {
  // null: a value over D1's size limit (the same days are read again a slice at a time)
  const requested = new Map<number, Promise<DayPage[] | null>>();
  if (prefetched) requested.set(0, Promise.resolve(prefetched));
  const request = (i: number) => {
    const run = runs[i];
    if (run && !sliceSize && !requested.has(i))
      requested.set(
        i,
        db.all<DayPage>(daysSql(tenantId, run[0], run[1], plain)).catch(() => null),
      );
  };
  for (let i = 0; i < runs.length; i++) {
    const [first, last] = runs[i] ?? [0, -1];
    for (let k = i; k <= i + READ_AHEAD; k++) request(k); // D1 reads the next pages while this one is grouped
    const days = (await requested.get(i)) ?? null;
    requested.delete(i);
    if (days) {
      for (const d of days) {
        if (d.e.length >= ROW_CAP_CHARS && (await hasFullRow(db, tenantId, d.day))) return BAD;
        const r = rows.addPage(d.day, d.p, d.e, plain);
        if (r !== OK) return r;
      }
    } else {
      for (let d = first; d <= last; d++) {
        const r = await readDayInSlices(db, tenantId, d, rows, sliceSize ?? ROWS_PER_SLICE, plain);
        if (r !== OK) return r;
      }
    }
    if (rows.people > MAX_TIMELINE_PEOPLE) return BAD;
  }
  return OK;
}
