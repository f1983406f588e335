/**
 * NPS arithmetic and display rules, free of I/O so the tests can pin them with hand-built numbers.
 * The browser never decides whether to ask: the page calls the eligibility endpoint, which runs
 * `decideEligibility` with the workspace's current rules, so rules change without redeploying a site.
 */
export const DAY_MS = 86_400_000;

export type Band = "promoter" | "passive" | "detractor";
export const bandOf = (score: number): Band => (score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor");
/** Every detractor (0–6) gets the follow-up flag. */
export const needsFollowUp = (score: number) => score <= 6;
export const BAND_RANGES: Record<Band, [number, number]> = { promoter: [9, 10], passive: [7, 8], detractor: [0, 6] };

export interface BandCounts {
  total: number;
  promoters: number;
  passives: number;
  detractors: number;
}
/** NPS = % promoters − % detractors, rounded to one decimal; null with no responses. */
export function npsScore(c: Pick<BandCounts, "total" | "promoters" | "detractors">): number | null {
  if (c.total === 0) return null;
  return Math.round(((c.promoters - c.detractors) * 1000) / c.total) / 10;
}

export interface NpsRules {
  enabled: boolean;
  minDaysSinceSignup: number;
  askEveryDays: number;
  samplingPercent: number;
}
export type EligibilityReason = "eligible" | "disabled" | "signup_unknown" | "too_early" | "asked_recently" | "not_sampled";

/**
 * The sampling period a moment falls in: consecutive `askEveryDays`-long windows from the epoch.
 * A user is rolled once per period, so reloading a page never re-rolls the dice.
 */
export const periodOf = (now: number, askEveryDays: number) => Math.floor(now / (Math.max(1, askEveryDays) * DAY_MS));

/** FNV-1a (32 bit): a fast, stable hash; sampling only needs an even spread, not secrecy. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Whether this user is in the sample for this period: the same answer on every call in the period. */
export function sampled(tenantId: string, distinctId: string, period: number, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return fnv1a(`${tenantId}\u0000${distinctId}\u0000${period}`) % 100 < percent;
}

/**
 * Whether to show the NPS prompt now. "Asked" means answered or dismissed. The rolling
 * "ask again every N days" check also guarantees "never twice in a period", since a period is N
 * days long. A page that sends no sign-up date is never asked while a minimum age is set (we
 * cannot tell a day-one user from a loyal one).
 */
export function decideEligibility(input: {
  rules: NpsRules;
  tenantId: string;
  distinctId: string;
  signedUpAt: number | null;
  lastAskedAt: number | null;
  now: number;
}): { show: boolean; reason: EligibilityReason } {
  const { rules, now } = input;
  if (!rules.enabled) return { show: false, reason: "disabled" };
  if (rules.minDaysSinceSignup > 0) {
    if (input.signedUpAt == null) return { show: false, reason: "signup_unknown" };
    if (now - input.signedUpAt < rules.minDaysSinceSignup * DAY_MS) return { show: false, reason: "too_early" };
  }
  if (input.lastAskedAt != null && now - input.lastAskedAt < rules.askEveryDays * DAY_MS) return { show: false, reason: "asked_recently" };
  if (!sampled(input.tenantId, input.distinctId, periodOf(now, rules.askEveryDays), rules.samplingPercent))
    return { show: false, reason: "not_sampled" };
  return { show: true, reason: "eligible" };
}

/** The sign-up month (UTC) a response is grouped under. */
export const cohortOf = (signedUpAt: number | null) => (signedUpAt == null ? null : new Date(signedUpAt).toISOString().slice(0, 7));
