/**
 * One person's funnel, from their events in time order as "mask:offset,…" (bit k of mask: the
 * event matches step k+1; offset: ms after the query's `from`). Returns the furthest step any
 * attempt reached and, per step, the earliest time after its attempt's start at which it was reached.
 *
 * - sequential: start[k] = the start time of the latest attempt that has reached step k+1 so far.
 *   The latest start is always the best one to continue (it leaves the most of the window), so an
 *   event matching step k+1 extends start[k−1] when it is within the window. Steps are updated from
 *   the last to the first, so one event never advances one attempt by two steps.
 * - strict: the same, but an event can only extend what the person's previous event reached.
 * - any: every event matching some step (inside the range) may start an attempt; its level is the
 *   number of steps that occur at or after it within the window (a backward pass keeps the next
 *   occurrence of each step).
 */
export interface PersonResult {
  level: number;
  times: number[];
}

const NONE = Number.NEGATIVE_INFINITY;

export function parseSequence(s: string): { mask: Int32Array; ts: Float64Array } {
  const parts = s.split(",");
  const mask = new Int32Array(parts.length);
  const ts = new Float64Array(parts.length);
  parts.forEach((p, i) => {
    const c = p.indexOf(":");
    mask[i] = +p.slice(0, c);
    ts[i] = +p.slice(c + 1);
  });
  return { mask, ts };
}

export function walkPerson(order: "sequential" | "strict" | "any", seq: string, n: number, window: number, end: number): PersonResult {
  const { mask, ts } = parseSequence(seq);
  const times = new Float64Array(n);
  const level = walkEvents(order, mask, ts, mask.length, n, window, end, times);
  return { level, times: [...times] };
}

// Scratch rows reused across calls (a funnel walks ~one person per active user: no allocation per person).
let next = new Float64Array(16);
let start = new Float64Array(16);
let rowA = new Float64Array(16);
let rowB = new Float64Array(16);

/**
 * The same walk over the first `len` entries of parallel arrays (time order; masks as above).
 * Returns the level; writes the times (ms from the attempt's start, +Infinity when not reached) to `times`.
 */
export function walkEvents(
  order: "sequential" | "strict" | "any",
  mask: Int32Array,
  ts: Float64Array,
  len: number,
  n: number,
  window: number,
  end: number,
  times: Float64Array,
): number {
  if (next.length < n) [next, start, rowA, rowB] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  // Loops rather than fill(): a funnel calls this once per person, and fill() is a call each time.
  for (let k = 0; k < n; k++) times[k] = Number.POSITIVE_INFINITY;
  let level = 0;
  if (order === "any") {
    for (let k = 0; k < n; k++) next[k] = Number.POSITIVE_INFINITY;
    for (let i = len - 1; i >= 0; i--) {
      const m = mask[i] ?? 0;
      const t = ts[i] ?? 0;
      for (let k = 0; k < n; k++) if (m & (1 << k)) next[k] = t;
      if (!m || t >= end) continue;
      let l = 0;
      for (let k = 0; k < n; k++) if ((next[k] ?? 0) - t <= window) l++;
      if (l > level) level = l;
    }
    return level;
  }
  const strict = order === "strict";
  for (let k = 0; k < n; k++) start[k] = NONE; // running best start per step
  if (strict) for (let k = 0; k < n; k++) rowA[k] = NONE;
  // strict: `before` is what the previous event reached, `row` what this one reaches (swapped per event)
  let before = strict ? rowA : start;
  let row = strict ? rowB : start;
  for (let i = 0; i < len; i++) {
    const m = mask[i] ?? 0;
    const t = ts[i] ?? 0;
    if (strict) for (let k = 0; k < n; k++) row[k] = NONE;
    for (let k = n - 1; k >= 1; k--) {
      const s = before[k - 1] ?? NONE;
      if (!(m & (1 << k)) || s === NONE || t - s > window) continue;
      if (s > (row[k] ?? NONE)) row[k] = s;
      if (t - s < (times[k] ?? Number.POSITIVE_INFINITY)) times[k] = t - s;
      if (k + 1 > level) level = k + 1;
    }
    if (m & 1 && t < end) {
      row[0] = t;
      times[0] = 0;
      if (level < 1) level = 1;
    }
    if (strict) {
      const swap = before;
      before = row;
      row = swap;
    }
  }
  return level;
}
