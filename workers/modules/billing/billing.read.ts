import { eq, gte } from "drizzle-orm";
import { usageDaily, usageSeats } from "../../../schema/billing";
import type { PageQuery } from "../../platform/pagination";
import { tenantScope, type Db } from "../../platform/db";
import { listMembers, memberCount } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { iso } from "../../platform/request";
import { billingConfig, type BillingConfig } from "./config";
import { quotaStates } from "./entitlements";
import { pendingItems } from "./invoices.service";
import { periodOf } from "./meter";
import {
  FEATURES,
  FEATURE_NAMES,
  METERS,
  METER_NAMES,
  OVERAGE_PRICES,
  PLANS,
  PLAN_ORDER,
  YEARLY_DISCOUNT_PERCENT,
  intervalPrice,
  recurringCents,
  type MeterName,
} from "./plans";
import { sumCents } from "./proration";
import { effectivePlan, getSubscription, type SubscriptionRow } from "./subscription.service";

/** Read side of Weft's billing: the plan catalogue, a workspace's billing summary and usage views. Changes live in billing.service.ts. */
export type PaymentMode = "stripe" | "paypal" | "simulator" | "unconfigured";
export function paymentModes(cfg: BillingConfig): { stripe: boolean; paypal: boolean; simulator: boolean } {
  return { stripe: !!cfg.stripe || cfg.simulator, paypal: !!cfg.paypal || cfg.simulator, simulator: cfg.simulator };
}

export function catalog() {
  return {
    yearly_discount_percent: YEARLY_DISCOUNT_PERCENT,
    plans: PLAN_ORDER.map((id) => {
      const p = PLANS[id];
      return {
        id,
        name: p.name,
        description: p.description,
        monthly_cents: p.monthlyCents,
        yearly_cents: intervalPrice(p.monthlyCents, "year"),
        included_seats: p.includedSeats,
        max_seats: p.maxSeats,
        seat_monthly_cents: p.seatMonthlyCents,
        seat_yearly_cents: intervalPrice(p.seatMonthlyCents, "year"),
        trial_days: p.trialDays,
        limits: p.limits,
        features: p.features,
      };
    }),
    meters: METER_NAMES.map((m) => ({
      id: m,
      label: METERS[m].label,
      unit: METERS[m].unit,
      resets: METERS[m].aggregation === "period",
      overage: OVERAGE_PRICES[m]
        ? {
            unit_amount_cents: OVERAGE_PRICES[m]!.unitAmountCents,
            unit_size: OVERAGE_PRICES[m]!.unitSize,
            unit_label: OVERAGE_PRICES[m]!.unitLabel,
          }
        : null,
    })),
    features: FEATURE_NAMES.map((f) => ({ id: f, label: FEATURES[f] })),
  };
}

export async function billingSummary(env: Env, db: Db, tenantId: string) {
  const now = Date.now();
  const [cfg, sub, states, pending] = await Promise.all([
    billingConfig(env),
    getSubscription(db, tenantId, now),
    quotaStates(db, env.DB, tenantId, now),
    pendingItems(db, tenantId),
  ]);
  const plan = effectivePlan(sub, now);
  const usage = states.map((s) => ({
    meter: s.meter,
    label: METERS[s.meter].label,
    unit: METERS[s.meter].unit,
    used: s.used,
    limit: s.limit,
    overage_enabled: s.overage,
    period: METERS[s.meter].aggregation === "period" ? periodOf(now) : "total",
  }));
  return {
    subscription: serializeSubscription(sub),
    effective_plan: plan,
    features: PLANS[plan].features,
    recurring_cents: sub.plan === "free" ? 0 : recurringCents(sub.plan, sub.interval, sub.seats),
    dunning: sub.status === "past_due" || sub.status === "restricted" ? { status: sub.status, grace_ends_at: iso(sub.graceEndsAt) } : null,
    trial: sub.status === "trialing" ? { ends_at: iso(sub.trialEndsAt), plan: sub.plan } : null,
    trial_available: !sub.trialUsedAt,
    usage,
    pending_items_cents: sumCents(pending),
    payment: { ...paymentModes(cfg), portal: sub.provider !== "none" },
  };
}

export const serializeSubscription = (s: SubscriptionRow) => ({
  plan: s.plan,
  interval: s.interval,
  status: s.status,
  seats: s.seats,
  provider: s.provider,
  trial_ends_at: iso(s.trialEndsAt),
  current_period_start: iso(s.periodStart)!,
  current_period_end: iso(s.periodEnd)!,
  cancel_at_period_end: s.cancelAtPeriodEnd,
  grace_ends_at: iso(s.graceEndsAt),
  allow_overage: s.allowOverage,
});

/** Daily series of a meter over the last `days` days (zero-filled). */
export async function dailyUsage(db: Db, tenantId: string, meter: MeterName, days: number) {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const from = new Date(today - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = await db
    .select()
    .from(usageDaily)
    .where(tenantScope(db, tenantId).where(usageDaily, eq(usageDaily.meter, meter), gte(usageDaily.day, from)));
  const by = new Map(rows.map((r) => [r.day, r.quantity]));
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return { day: d, quantity: by.get(d) ?? 0 };
  });
}

/** Per-seat view: each member's attributed usage this period, and the per-seat average. */
/** Per-seat view, one page of members; totals and averages cover the whole workspace. */
export async function seatUsage(db: Db, tenantId: string, page: PageQuery) {
  const period = periodOf(Date.now());
  const [rows, members, count, sub] = await Promise.all([
    db
      .select()
      .from(usageSeats)
      .where(tenantScope(db, tenantId).where(usageSeats, eq(usageSeats.period, period))),
    listMembers(db, tenantId, page),
    memberCount(db, tenantId),
    getSubscription(db, tenantId),
  ]);
  const seats = members.data.map((m) => ({
    user_id: m.user_id,
    name: m.name,
    email: m.email,
    role: m.role,
    usage: Object.fromEntries(rows.filter((r) => r.userId === m.user_id).map((r) => [r.meter, r.quantity])),
  }));
  const totals: Record<string, number> = {};
  for (const r of rows) totals[r.meter] = (totals[r.meter] ?? 0) + r.quantity;
  const n = Math.max(1, count);
  return {
    period,
    seats_purchased: sub.seats,
    seats_used: count,
    per_seat_average: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Math.round(v / n)])),
    data: seats,
    next_cursor: members.next_cursor,
  };
}
