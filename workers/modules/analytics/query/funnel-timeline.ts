/**
 * Funnels read from per-person timelines (schema/analytics-timelines.ts) instead of raw events: one
 * short row per active person-day, 7 characters per event. D1 concatenates each day's rows into two
 * values (handing rows to the Worker costs more per row than scanning them; timeline-read.ts), the
 * Worker groups the rows by person (timeline-rows.ts), decodes their events into typed arrays,
 * keeps those inside [from, to + window) — the raw path's range — sorted by time (ties in insertion
 * order, as the raw path's ts, rowid) and walks them with the same walk (funnel-walk.ts).
 *
 * Used when every step is a bare event name (filters need the properties, a breakdown the first
 * step's properties: those read raw events) and no row in the range is over its size cap.
 * Returns false when it does not apply; the caller then reads raw events.
 */
import type { Db } from "../../../platform/db";
import { DAY_MS, TOKEN_BASE, TOKEN_CHARS } from "../timelines";
import { walkEvents } from "./funnel-walk";
import type { FunnelQuery } from "./funnels";
import { EVENTS_PER_PAGE, readRuns, startRead } from "./timeline-read";
import { AMBIGUOUS, giveBack, OK, takeRows, type TimelineRows } from "./timeline-rows";

/** Called per person who reached step 1: their level and times (the array is reused: read it before returning). */
export type OnPerson = (level: number, times: Float64Array) => void;

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
  const { masks, runs, first } = await startRead(db, tenantId, q, fromDay, toDay, eventsPerPage, sliceSize);
  if (!masks) return false;
  const rows = takeRows();
  try {
    let r = await readRuns(db, tenantId, runs, rows, true, sliceSize, first);
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
