/**
 * Funnels read from per-person timelines (schema/analytics-timelines.ts) instead of raw events: one
 * short row per active person-day, 7 characters per event. D1 concatenates each day's rows into two
 * values (handing rows to the Worker costs more per row than scanning them), the Worker groups the
 * rows by person, decodes their events into typed arrays, keeps those inside [from, to + window)
 * — the raw path's range — sorted by time (ties in insertion order, as the raw path's ts, rowid) and
 * walks them with the same walk (funnel-walk.ts).
 *
 * Used when every step is a bare event name (filters need the properties, a breakdown the first
 * step's properties: those read raw events) and no row in the range is over its size cap.
 * Returns false when it does not apply; the caller then reads raw events.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db";
import { DAY_MS, OVERFLOW_CODE, ROW_CAP_CHARS, TOKEN_BASE, TOKEN_CHARS } from "../timelines";
import { walkEvents } from "./funnel-walk";
import type { FunnelQuery } from "./funnels";
import { AMBIGUOUS, BAD, giveBack, OK, type PageResult, takeRows, type TimelineRows } from "./timeline-rows";

/** Called per person who reached step 1: their level and times (the array is reused: read it before returning). */
export type OnPerson = (level: number, times: Float64Array) => void;

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

interface DayPage {
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

const daysSql = (tenantId: string, from: number, to: number, plain: boolean): SQL =>
  sql`SELECT t.day AS day, ${people(sql`t.person_id`, plain)} AS p, group_concat(t.events, ',') AS e
    FROM analytics_timelines t WHERE t.tenant_id = ${tenantId} AND t.day >= ${from} AND t.day <= ${to} GROUP BY t.day`;

const sliceSql = (tenantId: string, day: number, after: string, limit: number, plain: boolean): SQL =>
  sql`SELECT ${people(sql`p.person_id`, plain)} AS p, group_concat(p.events, ',') AS e, count(*) AS n, max(p.person_id) AS last
    FROM (SELECT t.person_id, t.events FROM analytics_timelines t
      WHERE t.tenant_id = ${tenantId} AND t.day = ${day} AND t.person_id > ${after} ORDER BY t.person_id LIMIT ${sql.raw(String(limit))}) p`;

/** Runs of consecutive days [first, last] holding about `perPage` events each (by the rollups), covering [from, to]. */
async function dayRuns(db: Db, tenantId: string, from: number, to: number, perPage: number): Promise<[number, number][]> {
  const days = await db.all<{ day: number; n: number }>(
    sql`SELECT day, sum(count) AS n FROM analytics_daily WHERE tenant_id = ${tenantId} AND kind = 'event' AND day >= ${from} AND day <= ${to} GROUP BY day ORDER BY day`,
  );
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

/** Step masks per name code (bit k: the code's event matches step k+1), or null when a step's name overflowed. */
export async function stepMasks(db: Db, tenantId: string, q: FunnelQuery): Promise<Int32Array | null> {
  const names = [...new Set(q.steps.map((s) => s.event))];
  const rows = await db.all<{ name: string; code: number }>(
    sql`SELECT name, code FROM analytics_event_names WHERE tenant_id = ${tenantId} AND name IN (${sql.join(
      names.map((n) => sql`${n}`),
      sql`, `,
    )})`,
  );
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
 * `sliceSize` (tests): read every day a slice of that many people at a time instead of by runs of days;
 * `eventsPerPage` (tests): smaller pages (more runs of days, each read while the one before is grouped).
 */
export async function timelineFunnel(
  db: Db,
  tenantId: string,
  q: FunnelQuery,
  onPerson: OnPerson,
  sliceSize?: number,
  eventsPerPage = EVENTS_PER_PAGE,
): Promise<boolean> {
  if (q.breakdown || q.steps.some((s) => s.filters?.length)) return false;
  const until = q.to + q.window_seconds * 1000; // the raw path reads ts in [from, to + window)
  const fromDay = Math.floor(q.from / DAY_MS);
  const toDay = Math.floor((until - 1) / DAY_MS);
  const [masks, runs] = await Promise.all([
    stepMasks(db, tenantId, q),
    sliceSize ? ([] as [number, number][]) : dayRuns(db, tenantId, fromDay, toDay, eventsPerPage),
  ]);
  if (!masks) return false;
  if (sliceSize) for (let d = fromDay; d <= toDay; d++) runs.push([d, d]);
  const rows = takeRows();
  try {
    let r = await readRuns(db, tenantId, runs, rows, true, sliceSize);
    if (r === AMBIGUOUS) {
      rows.clear(); // an id holds a comma: the people again as JSON arrays
      r = await readRuns(db, tenantId, runs, rows, false, sliceSize);
    }
    if (r !== OK) return false;
    walkTimelines(rows, q, masks, onPerson);
    return true;
  } finally {
    giveBack(rows);
  }
}

/** Reads the runs of days into `rows`; BAD when the timelines cannot answer (a full row, too many people). */
async function readRuns(
  db: Db,
  tenantId: string,
  runs: [number, number][],
  rows: TimelineRows,
  plain: boolean,
  sliceSize?: number,
): Promise<PageResult> {
  // null: a value over D1's size limit (the same days are read again a slice at a time)
  const requested = new Map<number, Promise<DayPage[] | null>>();
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

/** Walks each person's timeline rows: decoded, cut to [from, to + window), in time order. */
export function walkTimelines(rows: TimelineRows, q: FunnelQuery, masks: Int32Array, onPerson: OnPerson): void {
  const window = q.window_seconds * 1000;
  const until = q.to + window - q.from; // offsets are relative to `from`
  const n = q.steps.length;
  const end = q.to - q.from;
  const strict = q.order === "strict";
  // sequential and strict: nobody gets past step 1 without a step-1 event before `to`; any order: any step starts.
  const needsFirst = q.order !== "any";
  const times = new Float64Array(n);
  let cap = 1024;
  let mask = new Int32Array(cap);
  let ts = new Float64Array(cap);
  let order = new Int32Array(cap);
  let sMask = new Int32Array(cap);
  let sTs = new Float64Array(cap);
  const { rowPage, rowFrom, rowTo, rowDay, rowNext, head, events } = rows;
  for (let p = 0; p < rows.people; p++) {
    let len = 0;
    let sorted = true;
    let started = !needsFirst;
    for (let r = head[p] ?? -1; r !== -1; r = rowNext[r] ?? -1) {
      const s = events[rowPage[r] ?? 0] ?? "";
      const lo = rowFrom[r] ?? 0;
      const hi = rowTo[r] ?? 0;
      const base = (rowDay[r] ?? 0) * DAY_MS - q.from;
      const count = (hi - lo) / TOKEN_CHARS;
      if (len + count > cap) {
        while (len + count > cap) cap *= 2;
        const [m2, t2] = [new Int32Array(cap), new Float64Array(cap)];
        m2.set(mask.subarray(0, len));
        t2.set(ts.subarray(0, len));
        [mask, ts, order, sMask, sTs] = [m2, t2, new Int32Array(cap), new Int32Array(cap), new Float64Array(cap)];
      }
      for (let i = lo; i < hi; i += TOKEN_CHARS) {
        const m = masks[((s.charCodeAt(i) - TOKEN_BASE) << 6) | (s.charCodeAt(i + 1) - TOKEN_BASE)] ?? 0;
        // Other events only matter to strict order (they break a chain); the rest ignore them.
        if (!m && !strict) continue;
        const t =
          base +
          (s.charCodeAt(i + 2) - TOKEN_BASE) * 16_777_216 +
          (s.charCodeAt(i + 3) - TOKEN_BASE) * 262_144 +
          (s.charCodeAt(i + 4) - TOKEN_BASE) * 4096 +
          (s.charCodeAt(i + 5) - TOKEN_BASE) * 64 +
          (s.charCodeAt(i + 6) - TOKEN_BASE);
        if (t < 0 || t >= until) continue;
        if (len && t < (ts[len - 1] ?? 0)) sorted = false;
        if (m & 1 && t < end) started = true;
        mask[len] = m;
        ts[len] = t;
        len++;
      }
    }
    if (!len || !started) continue;
    let level: number;
    if (sorted) level = walkEvents(q.order, mask, ts, len, n, window, end, times);
    else {
      // Out-of-order arrivals: a stable sort by time keeps insertion order for equal times.
      for (let i = 0; i < len; i++) order[i] = i;
      const o = Array.from(order.subarray(0, len)).sort((x, y) => (ts[x] ?? 0) - (ts[y] ?? 0) || x - y);
      o.forEach((j, i) => {
        sMask[i] = mask[j] ?? 0;
        sTs[i] = ts[j] ?? 0;
      });
      level = walkEvents(q.order, sMask, sTs, len, n, window, end, times);
    }
    if (level) onPerson(level, times);
  }
}
