import type { BadDirection } from "./metrics";

/**
 * The anomaly rule (docs/automation.md "Proactive help"): a day's value is far from its usual range
 * when |x − median| > max(K · 1.4826 · MAD, minChange), over the previous BASELINE_DAYS days, once at
 * least MIN_HISTORY_DAYS of them exist. 1.4826·MAD estimates the standard deviation of normal noise
 * while one or two earlier spikes in the window barely move it (unlike the mean and standard deviation).
 * K and MIN_CHANGE_FLOOR were tuned on synthetic series of even seeds and checked on odd ones
 * (anomaly-eval.ts; the held-out figures are asserted in test/insights.test.ts).
 */
export const K = 3.5;
export const BASELINE_DAYS = 28;
export const MIN_HISTORY_DAYS = 14;
/** The smallest minChange any metric may have (the tuned generic floor); metrics set their own above it. */
export const MIN_CHANGE_FLOOR = 5;
export const MAD_SCALE = 1.4826;

export interface Verdict {
  anomalous: boolean;
  direction: "up" | "down";
  median: number;
  mad: number;
  low: number;
  high: number;
  historyDays: number;
}

export function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Median and usual range of a baseline; the range is never narrower than ±minChange. */
export function usualRange(history: number[], minChange: number, k = K) {
  const m = median(history);
  const mad = median(history.map((x) => Math.abs(x - m)));
  const half = Math.max(k * MAD_SCALE * mad, minChange);
  return { median: m, mad, low: Math.max(0, m - half), high: m + half, half };
}

/** Judge one value against the days before it (oldest first; only the last BASELINE_DAYS count). */
export function judge(history: number[], value: number, bad: BadDirection, minChange: number, k = K): Verdict {
  const window = history.slice(-BASELINE_DAYS);
  const r = usualRange(window, Math.max(minChange, 0), k);
  const direction = value >= r.median ? "up" : "down";
  const far = Math.abs(value - r.median) > r.half;
  const badWay = bad === "both" || bad === direction;
  return {
    anomalous: window.length >= MIN_HISTORY_DAYS && far && badWay,
    direction,
    median: r.median,
    mad: r.mad,
    low: r.low,
    high: r.high,
    historyDays: window.length,
  };
}
