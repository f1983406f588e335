import type { BillingInterval, PlanId } from "../../../schema/billing";

/**
 * The plan catalog: the one place prices, limits and features live. Money is integer cents (USD).
 * Yearly prices are the monthly price × 12 at 20% off. Paid plans include some seats; each extra
 * seat is billed per seat and interval.
 */
export const METERS = {
  emails: { label: "Emails", unit: "emails", aggregation: "period" },
  ai_tokens: { label: "AI tokens", unit: "tokens", aggregation: "period" },
  bandwidth_bytes: { label: "Bandwidth", unit: "bytes", aggregation: "period" },
  storage_bytes: { label: "Storage", unit: "bytes", aggregation: "total" },
  leads: { label: "Leads", unit: "leads", aggregation: "total" },
  campaigns: { label: "Campaigns", unit: "campaigns", aggregation: "total" },
  seats: { label: "Seats", unit: "seats", aggregation: "total" },
  analytics_events: { label: "Analytics events", unit: "events", aggregation: "period" },
  // Metered once per run when it starts (modules/workflows/run-quota.ts); the `workflows` feature gates the rest.
  workflow_runs: { label: "Workflow runs", unit: "runs", aggregation: "period" },
} as const satisfies Record<string, { label: string; unit: string; aggregation: "period" | "total" }>;
export type MeterName = keyof typeof METERS;
export const METER_NAMES = Object.keys(METERS) as MeterName[];
export const isMeter = (m: string): m is MeterName => m in METERS;

export const FEATURES = {
  api_access: "API access",
  chat_widget: "AI chat widget",
  custom_domain: "Custom domain",
  salesboard: "Salesboard",
  knowledge_fusion: "Knowledge fusion",
  workflows: "Workflows",
  ai_safety_console: "AI safety console",
  voice_to_action: "Voice-to-action",
  custom_integrations: "Custom integrations",
  sso: "Single sign-on",
  sub_workspaces: "Sub-workspaces",
} as const;
export type Feature = keyof typeof FEATURES;
export const FEATURE_NAMES = Object.keys(FEATURES) as Feature[];

const GB = 1024 ** 3;

/** Overage prices for paid plans: `unitAmountCents` per `unitSize` units, charged per started block. */
export interface OveragePrice {
  unitAmountCents: number;
  unitSize: number;
  unitLabel: string;
}
export const OVERAGE_PRICES: Partial<Record<MeterName, OveragePrice>> = {
  emails: { unitAmountCents: 100, unitSize: 1_000, unitLabel: "1,000 emails" },
  ai_tokens: { unitAmountCents: 200, unitSize: 1_000_000, unitLabel: "1M tokens" },
  storage_bytes: { unitAmountCents: 10, unitSize: GB, unitLabel: "GB" },
  bandwidth_bytes: { unitAmountCents: 5, unitSize: GB, unitLabel: "GB" },
  analytics_events: { unitAmountCents: 50, unitSize: 10_000, unitLabel: "10,000 events" },
  workflow_runs: { unitAmountCents: 100, unitSize: 1_000, unitLabel: "1,000 runs" },
};

export interface Plan {
  id: PlanId;
  name: string;
  description: string;
  monthlyCents: number;
  /**
   * Seats included in the platform fee; more seats, up to `maxSeats` (null = no cap), cost
   * `seatMonthlyCents` each (paid plans). Free has no paid seats: `maxSeats` = `includedSeats`.
   */
  includedSeats: number;
  maxSeats: number | null;
  seatMonthlyCents: number;
  /** null = unlimited. */
  limits: Record<Exclude<MeterName, "seats">, number | null>;
  features: Feature[];
  trialDays: number;
}

const base: Feature[] = ["api_access", "chat_widget"];
const pro: Feature[] = [...base, "custom_domain", "salesboard", "knowledge_fusion", "workflows"];

export const PLANS: Record<PlanId, Plan> = {
  free: {
    id: "free",
    name: "Free",
    description: "For trying Weft with a small team.",
    monthlyCents: 0,
    // Three seats: an owner and two teammates, enough to try inviting and roles; more needs a paid plan.
    includedSeats: 3,
    maxSeats: 3,
    seatMonthlyCents: 0,
    limits: {
      emails: 100,
      leads: 50,
      campaigns: 1,
      ai_tokens: 50_000,
      storage_bytes: 1 * GB,
      bandwidth_bytes: 5 * GB,
      analytics_events: 10_000,
      workflow_runs: 0, // no `workflows` feature
    },
    features: base,
    trialDays: 0,
  },
  starter: {
    id: "starter",
    name: "Starter",
    description: "For small businesses getting going.",
    monthlyCents: 4_900,
    includedSeats: 3,
    maxSeats: 10,
    seatMonthlyCents: 1_000,
    limits: {
      emails: 5_000,
      leads: 1_000,
      campaigns: 10,
      ai_tokens: 1_000_000,
      storage_bytes: 10 * GB,
      bandwidth_bytes: 50 * GB,
      analytics_events: 100_000,
      workflow_runs: 0, // no `workflows` feature
    },
    features: [...base, "custom_domain"],
    trialDays: 14,
  },
  professional: {
    id: "professional",
    name: "Professional",
    description: "Sales and automation for growing teams.",
    monthlyCents: 29_900,
    includedSeats: 10,
    maxSeats: 50,
    seatMonthlyCents: 2_000,
    limits: {
      emails: 50_000,
      leads: 10_000,
      campaigns: 100,
      ai_tokens: 10_000_000,
      storage_bytes: 100 * GB,
      bandwidth_bytes: 500 * GB,
      analytics_events: 1_000_000,
      workflow_runs: 10_000,
    },
    features: pro,
    trialDays: 14,
  },
  enterprise: {
    id: "enterprise",
    name: "Enterprise",
    description: "Safety, integrations and scale.",
    monthlyCents: 99_900,
    includedSeats: 25,
    maxSeats: null,
    seatMonthlyCents: 2_500,
    limits: {
      emails: 500_000,
      leads: 100_000,
      campaigns: null,
      ai_tokens: 100_000_000,
      storage_bytes: 1024 * GB,
      bandwidth_bytes: 5 * 1024 * GB,
      analytics_events: 10_000_000,
      workflow_runs: 250_000,
    },
    features: [...pro, "ai_safety_console", "voice_to_action", "custom_integrations", "sso", "sub_workspaces"],
    trialDays: 14,
  },
};
export const PLAN_ORDER: PlanId[] = ["free", "starter", "professional", "enterprise"];
export const planRank = (p: PlanId) => PLAN_ORDER.indexOf(p);

export const YEARLY_DISCOUNT_PERCENT = 20;

/** Price for one interval of `monthlyCents`: yearly = 12 months less 20%, exact in integer cents. */
export function intervalPrice(monthlyCents: number, interval: BillingInterval): number {
  return interval === "month" ? monthlyCents : (monthlyCents * 12 * (100 - YEARLY_DISCOUNT_PERCENT)) / 100;
}

export const platformFeeCents = (plan: PlanId, interval: BillingInterval) => intervalPrice(PLANS[plan].monthlyCents, interval);
export const seatPriceCents = (plan: PlanId, interval: BillingInterval) => intervalPrice(PLANS[plan].seatMonthlyCents, interval);
export const extraSeats = (plan: PlanId, seats: number) => Math.max(0, seats - PLANS[plan].includedSeats);

/** Recurring price of a subscription per interval: platform fee + extra seats. */
export function recurringCents(plan: PlanId, interval: BillingInterval, seats: number): number {
  return platformFeeCents(plan, interval) + extraSeats(plan, seats) * seatPriceCents(plan, interval);
}

/** Limit of a meter on a plan; seats are limited by the subscription's seat count. */
export function meterLimit(plan: PlanId, meter: MeterName, seats: number): number | null {
  if (meter === "seats") return plan === "free" ? PLANS.free.includedSeats : seats;
  return PLANS[plan].limits[meter];
}

/** Provider price lookup keys, e.g. `weft_starter_month` and `weft_starter_seat_month`. */
export const priceLookupKey = (plan: PlanId, interval: BillingInterval, kind: "base" | "seat") =>
  kind === "base" ? `weft_${plan}_${interval}` : `weft_${plan}_seat_${interval}`;
