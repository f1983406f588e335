import type { ScoreModelMetrics } from "../../../schema/sales-scoring";
import { TRAITS, type Trait } from "./scoring";

/**
 * Learning the ICP weights from outcomes, pure: an L2-regularised logistic regression on the traits of
 * leads whose deals were won (1) or lost (0), fitted by Newton's method (IRLS: exact, deterministic, a
 * few iterations for ten features), its coefficients turned into points on the scale of the current
 * weights. Quality is measured the same way for the current and the proposed weights: a lead's real
 * score (exclusions and clamping included) is mapped to a probability by a one-feature logistic fit
 * (Platt scaling) and scored by log loss and accuracy — on the training outcomes, and on k held-out
 * folds (each fold predicted by weights and a calibration fitted without it).
 */

export const DEFAULT_LAMBDA = 1;
export const MIN_EACH = 10;
export const FOLDS = 5;

export interface LogisticFit {
  intercept: number;
  coef: number[];
  iterations: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solve A x = b (A square, symmetric positive definite here) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i] ?? 0]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r]?.[col] ?? 0) > Math.abs(M[piv]?.[col] ?? 0)) piv = r;
    [M[col], M[piv]] = [M[piv] as number[], M[col] as number[]];
    const p = M[col] as number[];
    const d = p[col] ?? 0;
    if (Math.abs(d) < 1e-14) continue;
    for (let r = col + 1; r < n; r++) {
      const row = M[r] as number[];
      const f = (row[col] ?? 0) / d;
      if (f !== 0) for (let k = col; k <= n; k++) row[k] = (row[k] ?? 0) - f * (p[k] ?? 0);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = M[r] as number[];
    let s = row[n] ?? 0;
    for (let k = r + 1; k < n; k++) s -= (row[k] ?? 0) * (x[k] ?? 0);
    const d = row[r] ?? 0;
    x[r] = Math.abs(d) < 1e-14 ? 0 : s / d;
  }
  return x;
}

function penalisedLoss(X: number[][], y: number[], theta: number[], lambda: number): number {
  let loss = 0;
  X.forEach((xi, i) => {
    let z = theta[0] ?? 0;
    for (let k = 0; k < xi.length; k++) z += (theta[k + 1] ?? 0) * (xi[k] ?? 0);
    // log(1 + e^z) − y z, computed stably
    loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (y[i] ?? 0) * z;
  });
  for (let k = 1; k < theta.length; k++) loss += (lambda / 2) * (theta[k] ?? 0) ** 2;
  return loss;
}

/** L2-regularised logistic regression (the intercept is not penalised) by Newton's method with step halving. */
export function fitLogistic(X: number[][], y: number[], lambda = DEFAULT_LAMBDA, maxIter = 100): LogisticFit {
  const k = X[0]?.length ?? 0;
  const theta = new Array<number>(k + 1).fill(0);
  let loss = penalisedLoss(X, y, theta, lambda);
  let it = 0;
  for (; it < maxIter; it++) {
    const g = new Array<number>(k + 1).fill(0);
    const H = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
    X.forEach((xi, i) => {
      const row = [1, ...xi];
      let z = 0;
      for (let j = 0; j < row.length; j++) z += (theta[j] ?? 0) * (row[j] ?? 0);
      const p = sigmoid(z);
      const w = Math.max(p * (1 - p), 1e-12);
      const r = p - (y[i] ?? 0);
      for (let a = 0; a <= k; a++) {
        g[a] = (g[a] ?? 0) + r * (row[a] ?? 0);
        const Ha = H[a] as number[];
        for (let b = 0; b <= k; b++) Ha[b] = (Ha[b] ?? 0) + w * (row[a] ?? 0) * (row[b] ?? 0);
      }
    });
    for (let a = 1; a <= k; a++) {
      g[a] = (g[a] ?? 0) + lambda * (theta[a] ?? 0);
      (H[a] as number[])[a] = ((H[a] as number[])[a] ?? 0) + lambda;
    }
    (H[0] as number[])[0] = ((H[0] as number[])[0] ?? 0) + 1e-9;
    const step = solve(H, g);
    let t = 1;
    let next = theta.map((v, j) => v - t * (step[j] ?? 0));
    let nextLoss = penalisedLoss(X, y, next, lambda);
    while (nextLoss > loss + 1e-12 && t > 1e-6) {
      t /= 2;
      next = theta.map((v, j) => v - t * (step[j] ?? 0));
      nextLoss = penalisedLoss(X, y, next, lambda);
    }
    const moved = Math.max(...step.map((s) => Math.abs(s * t)));
    theta.splice(0, theta.length, ...next);
    loss = nextLoss;
    if (moved < 1e-10) break;
  }
  return { intercept: theta[0] ?? 0, coef: theta.slice(1), iterations: it + 1 };
}

/** Log loss and accuracy (threshold 0.5) of probabilities against outcomes. */
export function quality(p: number[], y: number[]): { logLoss: number; accuracy: number } {
  if (!p.length) return { logLoss: 0, accuracy: 0 };
  let ll = 0;
  let right = 0;
  p.forEach((pi, i) => {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, pi));
    const yi = y[i] ?? 0;
    ll -= yi * Math.log(q) + (1 - yi) * Math.log(1 - q);
    if ((q >= 0.5 ? 1 : 0) === yi) right++;
  });
  return { logLoss: ll / p.length, accuracy: right / p.length };
}

/** A score (0–100) → probability map fitted on (score, outcome) pairs; weak L2 so separable data stays finite. */
export function calibrate(scores: number[], y: number[]): (score: number) => number {
  const fit = fitLogistic(
    scores.map((s) => [s / 100]),
    y,
    0.01,
  );
  return (s) => sigmoid(fit.intercept + (fit.coef[0] ?? 0) * (s / 100));
}

/**
 * Coefficients → points per trait: scaled so the largest |coefficient × cap⁻¹…| lands on the largest
 * current full-trait points (weight × cap), signs kept; per-unit weights for counted traits; rounded.
 * Traits in `kept` (no variation in the data) keep their current weights.
 */
export function coefficientsToWeights(
  coef: number[],
  current: Record<Trait, number>,
  caps: number[],
  kept: Set<Trait>,
): Record<Trait, number> {
  const full = TRAITS.map((t, i) => (current[t] ?? 0) * (caps[i] ?? 1));
  const target = Math.max(...full.map(Math.abs)) || 25;
  const maxCoef = Math.max(0, ...TRAITS.map((t, i) => (kept.has(t) ? 0 : Math.abs(coef[i] ?? 0))));
  const out = {} as Record<Trait, number>;
  TRAITS.forEach((t, i) => {
    if (kept.has(t) || maxCoef < 1e-9) out[t] = current[t] ?? 0;
    else out[t] = Math.round(((coef[i] ?? 0) * (target / maxCoef)) / (caps[i] ?? 1)) || 0;
  });
  return out;
}

export interface RefitInput {
  X: number[][]; // rows of traitVector(), TRAITS order
  y: number[]; // 1 won, 0 lost
  current: Record<Trait, number>;
  caps: number[]; // traitCap per trait, TRAITS order
  /** The lead's real score (0–100) under some weights: scoreLead(...).score. */
  score: (row: number, weights: Record<Trait, number>) => number;
  lambda?: number;
  folds?: number;
}
export interface RefitResult {
  weights: Record<Trait, number>;
  coefficients: Record<Trait, number>;
  intercept: number;
  metrics: ScoreModelMetrics;
}

const constantTraits = (X: number[][], rows: number[]): Set<Trait> =>
  new Set(TRAITS.filter((_, k) => rows.every((r) => (X[r]?.[k] ?? 0) === (X[rows[0] ?? 0]?.[k] ?? 0))));

function fitOn(input: RefitInput, rows: number[]) {
  const kept = constantTraits(input.X, rows);
  const fit = fitLogistic(
    rows.map((r) => input.X[r] as number[]),
    rows.map((r) => input.y[r] ?? 0),
    input.lambda ?? DEFAULT_LAMBDA,
  );
  const coef = fit.coef.map((c, k) => (kept.has(TRAITS[k] as Trait) ? 0 : c));
  return { fit, coef, kept, weights: coefficientsToWeights(coef, input.current, input.caps, kept) };
}

function evaluate(input: RefitInput, trainRows: number[], testRows: number[], weights: Record<Trait, number>) {
  const ys = (rows: number[]) => rows.map((r) => input.y[r] ?? 0);
  const cal = calibrate(
    trainRows.map((r) => input.score(r, weights)),
    ys(trainRows),
  );
  return quality(
    testRows.map((r) => cal(input.score(r, weights))),
    ys(testRows),
  );
}

/** Fit on every outcome; measure before/after on the training outcomes and on stratified held-out folds. */
export function refit(input: RefitInput): RefitResult {
  const all = input.y.map((_, i) => i);
  const { fit, coef, kept, weights } = fitOn(input, all);
  const before = evaluate(input, all, all, input.current);
  const after = evaluate(input, all, all, weights);

  // Stratified folds, assigned in input order (the service sorts by lead id: deterministic).
  const k = input.folds ?? FOLDS;
  const fold = new Array<number>(all.length);
  let wins = 0;
  let losses = 0;
  for (const i of all) fold[i] = input.y[i] === 1 ? wins++ % k : losses++ % k;
  let heldOut: ScoreModelMetrics["heldOut"] = null;
  if (Math.min(wins, losses) >= k) {
    const pb: number[] = [];
    const pa: number[] = [];
    const yy: number[] = [];
    for (let f = 0; f < k; f++) {
      const train = all.filter((i) => fold[i] !== f);
      const test = all.filter((i) => fold[i] === f);
      const w = fitOn(input, train).weights;
      const calB = calibrate(
        train.map((r) => input.score(r, input.current)),
        train.map((r) => input.y[r] ?? 0),
      );
      const calA = calibrate(
        train.map((r) => input.score(r, w)),
        train.map((r) => input.y[r] ?? 0),
      );
      for (const r of test) {
        pb.push(calB(input.score(r, input.current)));
        pa.push(calA(input.score(r, w)));
        yy.push(input.y[r] ?? 0);
      }
    }
    const b = quality(pb, yy);
    const a = quality(pa, yy);
    heldOut = { folds: k, logLossBefore: b.logLoss, logLossAfter: a.logLoss, accuracyBefore: b.accuracy, accuracyAfter: a.accuracy };
  }
  return {
    weights,
    coefficients: Object.fromEntries(TRAITS.map((t, i) => [t, coef[i] ?? 0])) as Record<Trait, number>,
    intercept: fit.intercept,
    metrics: {
      logLossBefore: before.logLoss,
      logLossAfter: after.logLoss,
      accuracyBefore: before.accuracy,
      accuracyAfter: after.accuracy,
      heldOut,
      kept: [...kept],
      lambda: input.lambda ?? DEFAULT_LAMBDA,
    },
  };
}
