/**
 * Funnels read from per-person timelines (schema/analytics-timelines.ts) instead of raw events: one
 * short row per active person-day, 7 characters per event. D1 concatenates a page of rows into ONE
 * string (handing rows to the Worker costs more per row than scanning them), the Worker groups the
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
import { DAY_MS, OVERFLOW_CODE, TOKEN_BASE, TOKEN_CHARS } from "../timelines";
import { walkEvents } from "./funnel-walk";
import type { FunnelQuery } from "./funnels";

/** Called per person who reached step 1: their level and times (the array is reused: read it before returning). */
export type OnPerson = (level: number, times: Float64Array) => void;

/** Timeline rows per D1 query: ~60 characters each, so a page's string stays far below D1's 2 MB. */
export const TIMELINE_ROWS_PER_PAGE = 10_000;
/** Above this many people in one query the Worker's memory is at risk: read raw events a page of people at a time. */
export const MAX_TIMELINE_PEOPLE = 1_000_000;

interface Page {
  d: string | null;
  p: string | null;
  e: string | null;
  n: number;
  last: string | null;
  full: number | null;
}

function pageSql(tenantId: string, fromDay: number, toDay: number, after: { day: number; person: string } | null, limit: number): SQL {
  const start = after ? sql`(t.day, t.person_id) > (${after.day}, ${after.person})` : sql`t.day >= ${fromDay}`;
  // Three lists in one pass (an aggregate query feeds every aggregate the same rows in the same order);
  // the people as a JSON array, since an id may hold any character (tokens never hold a comma).
  return sql`SELECT group_concat(p.day, ',') AS d, json_group_array(p.person_id) AS p, group_concat(p.events, ',') AS e, count(*) AS n,
      max(printf('%010d', p.day) || p.person_id) AS last, max(p.full) AS full
    FROM (SELECT t.day, t.person_id, t.events, t.full FROM analytics_timelines t
      WHERE t.tenant_id = ${tenantId} AND ${start} AND t.day <= ${toDay}
      ORDER BY t.day, t.person_id LIMIT ${sql.raw(String(limit))}) p`;
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
 * The timeline rows of a query grouped by person, the rows of one person linked in page order
 * (= day order). Flat arrays, no object per row.
 */
export class TimelineRows {
  events: string[] = [];
  day: number[] = [];
  next: number[] = [];
  last: number[] = []; // for a person's first row: their last row
  head = new Map<string, number>();

  /** A page as D1 concatenated it: days and events comma-separated, people a JSON array, in the same order. */
  addPage(days: string, people: string, events: string) {
    // split() and JSON.parse are native: several times faster than scanning one string with indexOf.
    const d = days.split(",");
    const p = JSON.parse(people) as string[];
    const e = events.split(",");
    for (let i = 0; i < e.length; i++) {
      const r = this.day.length;
      this.day.push(+(d[i] ?? 0));
      this.events.push(e[i] ?? "");
      this.next.push(-1);
      this.last.push(r);
      const person = p[i] ?? "";
      const h = this.head.get(person);
      if (h === undefined) this.head.set(person, r);
      else {
        this.next[this.last[h] ?? h] = r;
        this.last[h] = r;
      }
    }
  }
}

export async function timelineFunnel(
  db: Db,
  tenantId: string,
  q: FunnelQuery,
  onPerson: OnPerson,
  pageSize = TIMELINE_ROWS_PER_PAGE,
): Promise<boolean> {
  if (q.breakdown || q.steps.some((s) => s.filters?.length)) return false;
  const masks = await stepMasks(db, tenantId, q);
  if (!masks) return false;
  const window = q.window_seconds * 1000;
  const until = q.to + window; // the raw path reads ts in [from, to + window)
  const fromDay = Math.floor(q.from / DAY_MS);
  const toDay = Math.floor((until - 1) / DAY_MS);
  const rows = new TimelineRows();
  let after: { day: number; person: string } | null = null;
  for (;;) {
    const pages: Page[] = await db.all<Page>(pageSql(tenantId, fromDay, toDay, after, pageSize));
    const page = pages[0];
    if (!page?.n) break;
    if (page.full) return false;
    rows.addPage(page.d ?? "", page.p ?? "[]", page.e ?? "");
    if (rows.head.size > MAX_TIMELINE_PEOPLE) return false;
    if (page.n < pageSize || !page.last) break;
    after = { day: +page.last.slice(0, 10), person: page.last.slice(10) };
  }

  walkTimelines(rows, q, masks, onPerson);
  return true;
}

/** Walks each person's timeline rows: decoded, cut to [from, to + window), in time order. */
export function walkTimelines(rows: TimelineRows, q: FunnelQuery, masks: Int32Array, onPerson: OnPerson): void {
  const window = q.window_seconds * 1000;
  const until = q.to + window;
  const n = q.steps.length;
  const end = q.to - q.from;
  const strict = q.order === "strict";
  const times = new Float64Array(n);
  let cap = 1024;
  let mask = new Int32Array(cap);
  let ts = new Float64Array(cap);
  let order = new Int32Array(cap);
  let sMask = new Int32Array(cap);
  let sTs = new Float64Array(cap);
  for (const first of rows.head.values()) {
    let len = 0;
    let sorted = true;
    for (let r = first; r !== -1; r = rows.next[r] ?? -1) {
      const s = rows.events[r] ?? "";
      const lo = 0;
      const hi = s.length;
      const base = (rows.day[r] ?? 0) * DAY_MS - q.from;
      const count = (hi - lo) / TOKEN_CHARS;
      if (len + count > cap) {
        while (len + count > cap) cap *= 2;
        const [m2, t2] = [new Int32Array(cap), new Float64Array(cap)];
        m2.set(mask.subarray(0, len));
        t2.set(ts.subarray(0, len));
        [mask, ts, order, sMask, sTs] = [m2, t2, new Int32Array(cap), new Int32Array(cap), new Float64Array(cap)];
      }
      for (let i = lo; i + TOKEN_CHARS <= hi; i += TOKEN_CHARS) {
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
        if (t < 0 || t + q.from >= until) continue;
        if (len && t < (ts[len - 1] ?? 0)) sorted = false;
        mask[len] = m;
        ts[len] = t;
        len++;
      }
    }
    if (!len) continue;
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
