import { Problem } from "../../platform/errors";
import { METERS, PLANS, type MeterName } from "./plans";

/** The 402 "plan limit reached" problem, shared by metered quotas and seats (no module imports, so tenancy can use it). */
export const BILLING_PATH = "/settings/billing";

export function upgradeLink(origin: string) {
  return `${origin.replace(/\/$/, "")}${BILLING_PATH}`;
}

export interface LimitState {
  meter: MeterName;
  plan: string;
  used: number;
  limit: number | null;
}

/** The 402 every module returns when a quota is exhausted. */
export function quotaExceeded(
  s: LimitState,
  requested: number,
  origin: string,
  extra: { detail?: string; extensions?: Record<string, unknown> } = {},
): Problem {
  const label = METERS[s.meter].label.toLowerCase();
  const planName = PLANS[s.plan as keyof typeof PLANS]?.name ?? s.plan;
  return new Problem(
    402,
    "quota-exceeded",
    "Plan limit reached",
    extra.detail ??
      `This would use ${requested} more ${label}, but the ${planName} plan allows ${s.limit} and ${s.used} are used. Upgrade the plan to continue.`,
    {
      meter: s.meter,
      limit: s.limit,
      current_usage: s.used,
      requested,
      plan: s.plan,
      upgrade_url: upgradeLink(origin),
      ...extra.extensions,
    },
  );
}
