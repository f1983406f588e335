/**
 * The bandit that lets a step's A/B variants compete (pure: no I/O). Thompson sampling on the
 * positive-reply rate: each arm's rate has the posterior Beta(1 + positive, 1 + sent − positive)
 * (a uniform prior, so an arm nobody has tried yet is as likely as any to be picked); one draw per
 * arm, the highest draw wins the send. Arms that do well get most sends while weak ones still get
 * an occasional try. The same sampler, repeated, estimates each arm's probability of being best
 * (shown on GET /outreach/sequences/{id}/variants).
 */

export interface Arm {
  id: string;
  sent: number;
  positive: number;
}

/** A random source in [0, 1). Tests pass `seededRandom(n)`; production passes Math.random. */
export type Rng = () => number;

/** mulberry32: a small, fast, seedable generator (good enough for sampling, not for secrets). */
export function seededRandom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function standardNormal(rng: Rng): number {
  // Box–Muller; 1 − u keeps the log's argument in (0, 1].
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 via the boost Gamma(a) = Gamma(a + 1)·U^(1/a). */
export function sampleGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * (1 - rng()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(alpha: number, beta: number, rng: Rng): number {
  const x = sampleGamma(alpha, rng);
  const y = sampleGamma(beta, rng);
  return x / (x + y);
}

/** The posterior's parameters; counters from the database are clamped so a bad row cannot make them invalid. */
export function posterior(arm: Arm): { alpha: number; beta: number } {
  const sent = Math.max(0, arm.sent);
  const positive = Math.min(Math.max(0, arm.positive), sent);
  return { alpha: 1 + positive, beta: 1 + sent - positive };
}

/** One Thompson-sampling pick: the arm with the highest draw from its posterior (null without arms). */
export function pickArm<A extends Arm>(arms: readonly A[], rng: Rng = Math.random): A | null {
  let best: A | null = null;
  let bestDraw = -1;
  for (const arm of arms) {
    const { alpha, beta } = posterior(arm);
    const draw = sampleBeta(alpha, beta, rng);
    if (draw > bestDraw) {
      bestDraw = draw;
      best = arm;
    }
  }
  return best;
}

/** Monte Carlo estimate of each arm's probability of having the highest positive-reply rate (same sampler as pickArm). */
export function probabilityBest(arms: readonly Arm[], draws = 2000, rng: Rng = Math.random): Map<string, number> {
  const wins = new Map<string, number>(arms.map((a) => [a.id, 0]));
  if (!arms.length) return wins;
  for (let i = 0; i < draws; i++) {
    const pick = pickArm(arms, rng);
    if (pick) wins.set(pick.id, (wins.get(pick.id) ?? 0) + 1);
  }
  return new Map([...wins].map(([id, n]) => [id, n / draws]));
}

/** An arm's figures for display: observed rates (null before its first send) and the posterior mean. */
export function armRates(arm: Arm & { replies: number }) {
  const { alpha, beta } = posterior(arm);
  return {
    replyRate: arm.sent > 0 ? arm.replies / arm.sent : null,
    positiveRate: arm.sent > 0 ? arm.positive / arm.sent : null,
    posteriorMean: alpha / (alpha + beta),
  };
}

/**
 * "Winning patterns feed the next drafts": the arm the writer shows as an example for new drafts of
 * its step. Only once the evidence says something — at least MIN_SENT sends and a probability of
 * being best of at least MIN_PROBABILITY — so early noise does not steer every draft.
 */
export const WINNER_MIN_SENT = 20;
export const WINNER_MIN_PROBABILITY = 0.6;
export function winningArm<A extends Arm>(arms: readonly A[], probBest: Map<string, number>): A | null {
  if (arms.length < 2) return null;
  let best: A | null = null;
  for (const arm of arms) {
    const p = probBest.get(arm.id) ?? 0;
    if (arm.sent >= WINNER_MIN_SENT && arm.positive > 0 && p >= WINNER_MIN_PROBABILITY && (!best || p > (probBest.get(best.id) ?? 0)))
      best = arm;
  }
  return best;
}
