// Statistics for bench/retrieval.mjs: seeded query split, nDCG / recall, paired bootstrap, and the
// tuning procedure (argmax on one half) re-run over many random splits. Pure functions, no I/O.

/** Small seeded PRNG (mulberry32): the same seed gives the same split on every machine. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Splits query ids into [tuning, held-out] halves: ids sorted numerically (then as text), a
 * Fisher–Yates shuffle driven by rng(seed), the first half tunes, the second half is held out.
 */
export function splitQueries(ids, seed) {
  const a = [...ids].sort((x, y) => Number(x) - Number(y) || String(x).localeCompare(String(y)));
  const r = rng(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  const h = Math.floor(a.length / 2);
  return [a.slice(0, h), a.slice(h)];
}

export function ndcgAt(docs, rel, k) {
  let dcg = 0;
  docs.slice(0, k).forEach((d, i) => {
    const g = rel.get(d) ?? 0;
    if (g > 0) dcg += (2 ** g - 1) / Math.log2(i + 2);
  });
  const ideal = [...rel.values()].sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((g, i) => {
    idcg += (2 ** g - 1) / Math.log2(i + 2);
  });
  return idcg ? dcg / idcg : 0;
}

export function recallAt(docs, rel, k) {
  const top = new Set(docs.slice(0, k));
  let hit = 0;
  let n = 0;
  for (const [d, g] of rel) {
    if (g <= 0) continue;
    n++;
    if (top.has(d)) hit++;
  }
  return n ? hit / n : 0;
}

/** Mean of per-query values `v` (an object qid → number) over the query ids `qs`. */
export const meanOver = (v, qs) => qs.reduce((s, q) => s + v[q], 0) / qs.length;

/**
 * Paired bootstrap over queries: resamples the per-query differences a − b with replacement
 * `B` times and returns the observed mean difference, its 95% percentile interval, and how many
 * queries a won / tied / lost.
 */
export function pairedBootstrap(a, b, qs, B = 10000, seed = 7) {
  const d = qs.map((q) => a[q] - b[q]);
  const obs = d.reduce((s, x) => s + x, 0) / d.length;
  const r = rng(seed);
  const means = new Float64Array(B);
  for (let i = 0; i < B; i++) {
    let s = 0;
    for (let j = 0; j < d.length; j++) s += d[Math.floor(r() * d.length)];
    means[i] = s / d.length;
  }
  means.sort();
  const eps = 1e-12;
  let atOrBelow = 0;
  for (const m of means) if (m <= 0) atOrBelow++;
  return {
    delta: obs,
    share_at_or_below_zero: atOrBelow / B,
    lo: means[Math.floor(0.025 * B)],
    hi: means[Math.ceil(0.975 * B) - 1],
    wins: d.filter((x) => x > eps).length,
    ties: d.filter((x) => Math.abs(x) <= eps).length,
    losses: d.filter((x) => x < -eps).length,
  };
}

/** The tuning rule: the grid entry with the best mean on `qs` (first in grid order on a tie). */
export function argmaxOn(grid, perQuery, qs) {
  let best = null;
  let bv = -Infinity;
  for (const name of grid) {
    const v = meanOver(perQuery[name], qs);
    if (v > bv + 1e-12) {
      bv = v;
      best = name;
    }
  }
  return best;
}

/**
 * The whole procedure (choose on a tuning half, measure on its held-out half) over `n` random
 * splits: the spread of the held-out difference is how much the result depends on which queries
 * happen to land in which half.
 */
export function repeatedSplits({ ids, grid, perQuery, baselines, n, firstSeed, bootstrapB }) {
  const deltas = Object.fromEntries(Object.keys(baselines).map((k) => [k, []]));
  const ciAbove = Object.fromEntries(Object.keys(baselines).map((k) => [k, 0]));
  const picks = new Map();
  for (let s = 0; s < n; s++) {
    const [tune, held] = splitQueries(ids, firstSeed + s);
    const pick = argmaxOn(grid, perQuery, tune);
    picks.set(pick, (picks.get(pick) ?? 0) + 1);
    for (const [k, base] of Object.entries(baselines)) {
      const b = pairedBootstrap(perQuery[pick], base, held, bootstrapB, firstSeed + s);
      deltas[k].push(b.delta);
      if (b.lo > 0) ciAbove[k]++;
    }
  }
  const summary = {};
  for (const [k, ds] of Object.entries(deltas)) {
    const sorted = [...ds].sort((a, b) => a - b);
    const m = ds.reduce((a, b) => a + b, 0) / ds.length;
    summary[k] = {
      mean: m,
      sd: Math.sqrt(ds.reduce((a, b) => a + (b - m) ** 2, 0) / (ds.length - 1)),
      p5: sorted[Math.floor(0.05 * (sorted.length - 1))],
      min: sorted[0],
      positive: ds.filter((x) => x > 0).length,
      ci_above_zero: ciAbove[k],
    };
  }
  return { splits: n, summary, picks: [...picks].sort((a, b) => b[1] - a[1]) };
}
