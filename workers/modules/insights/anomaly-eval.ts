import { BASELINE_DAYS, judge } from "./anomaly";

/**
 * Synthetic daily series with injected anomalies, to choose K and the minimum change on some seeds
 * and measure precision/recall on others (docs/automation.md "Proactive help"). Pure and seeded:
 * the same seed always gives the same series.
 *
 * A series: a base level (quiet 0.3–2/day, small 3–15, medium 20–80, busy 150–600), a weekly
 * pattern (weekends at 55–100 % of weekdays), a slow trend (±30 % over the 70 days), and
 * over-dispersed count noise (gamma-Poisson). About 1 day in 20 of the last 42 is an anomaly: a
 * spike (×2.5–5 of the expected value and at least +8) or, for levels ≥ 20, a drop (to 0–30 %).
 */
export interface Series {
  values: number[];
  anomalies: Set<number>;
}

export const SERIES_DAYS = 70;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(r: () => number) {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function poisson(r: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(r)));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}

export function syntheticSeries(seed: number): Series {
  const r = rng(seed * 7919 + 17);
  const tier = Math.floor(r() * 4);
  const base = [0.3 + r() * 1.7, 3 + r() * 12, 20 + r() * 60, 150 + r() * 450][tier] as number;
  const weekend = 0.55 + r() * 0.45;
  const trend = (r() - 0.5) * 0.6;
  const phase = Math.floor(r() * 7);
  const values: number[] = [];
  const anomalies = new Set<number>();
  for (let d = 0; d < SERIES_DAYS; d++) {
    const dow = (d + phase) % 7;
    const expected = base * (dow >= 5 ? weekend : 1) * (1 + (trend * d) / SERIES_DAYS);
    // Over-dispersion: the day's rate itself varies by ~12 % (gamma approximated by a clipped normal).
    const rate = Math.max(0, expected * (1 + 0.12 * gaussian(r)));
    let v = poisson(r, rate);
    if (d >= SERIES_DAYS - 42 && r() < 0.05) {
      const drop = expected >= 20 && r() < 0.4;
      v = drop ? Math.round(expected * r() * 0.3) : Math.round(Math.max(expected * (2.5 + r() * 2.5), expected + 8));
      anomalies.add(d);
    }
    values.push(v);
  }
  return { values, anomalies };
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Every day of the last 42 of each series judged against the 28 before it (bad = both ways). */
export function evaluate(seeds: number[], k: number, minChange: number): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const seed of seeds) {
    const s = syntheticSeries(seed);
    for (let d = SERIES_DAYS - 42; d < SERIES_DAYS; d++) {
      const v = judge(s.values.slice(Math.max(0, d - BASELINE_DAYS), d), s.values[d] as number, "both", minChange, k);
      const truth = s.anomalies.has(d);
      if (v.anomalous && truth) tp++;
      else if (v.anomalous) fp++;
      else if (truth) fn++;
    }
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  return { tp, fp, fn, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** The grid search: the (K, minimum change) pair with the best F1 on `seeds`. */
export function tune(seeds: number[], ks = [2.5, 3, 3.5, 4, 4.5, 5, 6], mins = [1, 2, 3, 5, 8]) {
  let best = { k: ks[0] as number, minChange: mins[0] as number, score: evaluate(seeds, ks[0] as number, mins[0] as number) };
  for (const k of ks)
    for (const m of mins) {
      const score = evaluate(seeds, k, m);
      if (score.f1 > best.score.f1) best = { k, minChange: m, score };
    }
  return best;
}

export const TRAIN_SEEDS = Array.from({ length: 300 }, (_, i) => 2 * i);
export const HELD_OUT_SEEDS = Array.from({ length: 300 }, (_, i) => 2 * i + 1);
