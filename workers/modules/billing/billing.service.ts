import { and, eq, gte, sql } from "drizzle-orm";
import { billingSubscriptions, usageDaily, usageSeats, type BillingInterval, type PlanId } from "../../../schema/billing";
import type { PageQuery } from "../../platform/pagination";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { listMembers, memberCount } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { badRequest, conflict, Problem } from "../../platform/errors";
import { iso } from "../../platform/request";
import { billingConfig, type BillingConfig } from "./config";
import { quotaState } from "./entitlements";
import { pendingItems } from "./invoices.service";
import { periodOf } from "./meter";
import { cancelPaypalSubscription, createPaypalSubscription, revisePaypalSubscription } from "./paypal/client";
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
  planRank,
  recurringCents,
  type MeterName,
} from "./plans";
import { planChangeProration, recurringLines, sumCents } from "./proration";
import { createSimulatorCheckout, simulateSubscriptionChange } from "./simulator";
import { portalLink } from "./simulator-portal";
import { cancelStripeSubscription, changeStripeSubscription, createStripeCheckout, createStripePortal } from "./stripe/client";
import { effectivePlan, getSubscription, monthStart, periodEndFor, type SubscriptionRow } from "./subscription.service";

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
  const cfg = await billingConfig(env);
  const now = Date.now();
  const sub = await getSubscription(db, tenantId, now);
  const plan = effectivePlan(sub, now);
  const usage = [];
  for (const m of METER_NAMES) {
    const s = await quotaState(db, env.DB, tenantId, m, now);
    usage.push({
      meter: m,
      label: METERS[m].label,
      unit: METERS[m].unit,
      used: s.used,
      limit: s.limit,
      overage_enabled: s.overage,
      period: METERS[m].aggregation === "period" ? periodOf(now) : "total",
    });
  }
  const pending = await pendingItems(db, tenantId);
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

export interface PlanChoice {
  plan: PlanId;
  interval: BillingInterval;
  seats: number;
}

function validateChoice(choice: PlanChoice, membersCount: number) {
  const p = PLANS[choice.plan];
  if (choice.seats < Math.max(1, membersCount) && choice.plan !== "free")
    throw badRequest(`The workspace has ${membersCount} members; buy at least ${membersCount} seats or remove members first.`, {
      errors: [{ path: "seats", message: `at least ${membersCount}` }],
    });
  if (p.maxSeats !== null && choice.seats > p.maxSeats)
    throw badRequest(`${p.name} allows at most ${p.maxSeats} seats.`, { errors: [{ path: "seats", message: `at most ${p.maxSeats}` }] });
}

/** Starts a subscription from Free: provider checkout (Stripe/PayPal) or the local simulator. */
export async function startCheckout(
  env: Env,
  db: Db,
  tenantId: string,
  input: PlanChoice & { provider: "stripe" | "paypal"; trial: boolean; origin: string; email: string | null; idempotencyKey: string },
  actor: Actor,
): Promise<{ url: string; mode: PaymentMode }> {
  if (input.plan === "free") throw badRequest("Free needs no checkout; cancel the current plan instead.");
  const sub = await getSubscription(db, tenantId);
  if (sub.plan !== "free" && sub.status !== "canceled")
    throw conflict("The workspace already has a subscription; change its plan instead.", "subscription-exists");
  validateChoice(input, await memberCount(db, tenantId));
  const trial = input.trial && !sub.trialUsedAt && PLANS[input.plan].trialDays > 0;
  const cfg = await billingConfig(env);
  const returnUrl = `${input.origin}/settings/billing`;
  let result: { url: string; mode: PaymentMode };
  if (input.provider === "stripe" && cfg.stripe) {
    const s = await createStripeCheckout(cfg.stripe, {
      tenantId,
      customerId: sub.provider === "stripe" ? sub.providerCustomerId : null,
      email: input.email,
      plan: input.plan,
      interval: input.interval,
      seats: input.seats,
      trial,
      successUrl: `${returnUrl}?checkout=success`,
      cancelUrl: `${returnUrl}?checkout=cancelled`,
      idempotencyKey: `checkout-${tenantId}-${input.idempotencyKey}`,
    });
    result = { url: s.url, mode: "stripe" };
  } else if (input.provider === "paypal" && cfg.paypal) {
    const s = await createPaypalSubscription(cfg.paypal, {
      tenantId,
      plan: input.plan,
      interval: input.interval,
      seats: input.seats,
      returnUrl: `${input.origin}/api/v1/billing/paypal/return?tenant=${tenantId}`,
      cancelUrl: `${returnUrl}?checkout=cancelled`,
      requestId: `checkout-${tenantId}-${input.idempotencyKey}`,
    });
    result = { url: s.approveUrl, mode: "paypal" };
  } else if (cfg.simulator) {
    const s = await createSimulatorCheckout(db, tenantId, {
      plan: input.plan,
      interval: input.interval,
      seats: input.seats,
      provider: input.provider,
      trial: trial && input.provider === "stripe",
      returnUrl,
    });
    result = { url: `${input.origin}${s.path}`, mode: "simulator" };
  } else {
    throw new Problem(
      503,
      "payments-not-configured",
      "Payments not configured",
      `No ${input.provider === "stripe" ? "Stripe" : "PayPal"} keys are set for this deployment.`,
    );
  }
  await auditInsert(db, actor, {
    tenantId,
    action: "billing.checkout_started",
    metadata: { plan: input.plan, interval: input.interval, seats: input.seats, provider: input.provider, mode: result.mode, trial },
  });
  return result;
}

/** What a change would cost now (proration), without changing anything. */
export async function previewChange(db: Db, tenantId: string, choice: PlanChoice, at = Date.now()) {
  const sub = await getSubscription(db, tenantId, at);
  if (sub.plan === "free") {
    const start = monthStart(at);
    const lines = planChangeProration(
      { plan: "free", interval: "month", seats: 1 },
      choice,
      at,
      { start: sub.periodStart, end: sub.periodEnd },
      { start, end: periodEndFor(start, choice.interval) },
    );
    return {
      lines,
      due_now_cents: sumCents(lines),
      recurring_cents: recurringCents(choice.plan, choice.interval, choice.seats),
      next_lines: recurringLines(choice),
    };
  }
  const sameInterval = choice.interval === sub.interval;
  const start = sameInterval ? sub.periodStart : monthStart(at);
  const end = sameInterval ? sub.periodEnd : periodEndFor(start, choice.interval);
  const lines =
    choice.plan === "free" ? [] : planChangeProration(sub, choice, at, { start: sub.periodStart, end: sub.periodEnd }, { start, end });
  return {
    lines,
    due_now_cents: sumCents(lines),
    recurring_cents: choice.plan === "free" ? 0 : recurringCents(choice.plan, choice.interval, choice.seats),
    next_lines: choice.plan === "free" ? [] : recurringLines(choice),
  };
}

/** Upgrade/downgrade/seat change of an existing subscription, through its provider. Free = cancel at period end. */
export async function changeSubscription(
  env: Env,
  db: Db,
  tenantId: string,
  choice: PlanChoice,
  ctx: { origin: string; idempotencyKey: string },
  actor: Actor,
): Promise<{ status: "updated" | "approval_required" | "scheduled"; url: string | null }> {
  const sub = await getSubscription(db, tenantId);
  if (sub.plan === "free" || sub.provider === "none")
    throw conflict("The workspace has no subscription yet; start one with checkout.", "no-subscription");
  if (choice.plan === "free") {
    await cancelSubscription(env, db, tenantId, ctx.origin, actor);
    return { status: "scheduled", url: null };
  }
  validateChoice(choice, await memberCount(db, tenantId));
  if (choice.plan === sub.plan && choice.interval === sub.interval && choice.seats === sub.seats) return { status: "updated", url: null };
  const cfg = await billingConfig(env);
  let out: { status: "updated" | "approval_required"; url: string | null } = { status: "updated", url: null };
  if (sub.provider === "stripe" && cfg.stripe) {
    await changeStripeSubscription(cfg.stripe, {
      tenantId,
      subscriptionId: sub.providerSubscriptionId!,
      ...choice,
      idempotencyKey: `change-${tenantId}-${ctx.idempotencyKey}`,
    });
  } else if (sub.provider === "paypal" && cfg.paypal) {
    const url = await revisePaypalSubscription(cfg.paypal, {
      subscriptionId: sub.providerSubscriptionId!,
      tenantId,
      ...choice,
      returnUrl: `${ctx.origin}/api/v1/billing/paypal/return?tenant=${tenantId}`,
      cancelUrl: `${ctx.origin}/settings/billing`,
    });
    out = { status: url ? "approval_required" : "updated", url };
  } else if (sub.provider === "simulator" && cfg.simulator) {
    await simulateSubscriptionChange(env, ctx.origin, sub, choice);
  } else
    throw new Problem(
      503,
      "payments-not-configured",
      "Payments not configured",
      `The ${sub.provider} provider of this subscription is not configured here.`,
    );
  await auditInsert(db, actor, {
    tenantId,
    action: "billing.plan_change_requested",
    metadata: {
      from: { plan: sub.plan, interval: sub.interval, seats: sub.seats },
      to: choice,
      direction: planRank(choice.plan) >= planRank(sub.plan) ? "upgrade" : "downgrade",
    },
  });
  return out;
}

export async function cancelSubscription(env: Env, db: Db, tenantId: string, origin: string, actor: Actor, resume = false) {
  const sub = await getSubscription(db, tenantId);
  if (sub.plan === "free" || !sub.providerSubscriptionId) throw conflict("There is no subscription to cancel.", "no-subscription");
  const cfg = await billingConfig(env);
  if (sub.provider === "stripe" && cfg.stripe) await cancelStripeSubscription(cfg.stripe, sub.providerSubscriptionId, !resume);
  else if (sub.provider === "paypal" && cfg.paypal) {
    if (resume) throw badRequest("PayPal subscriptions cannot be resumed once cancelled; subscribe again.");
    await cancelPaypalSubscription(cfg.paypal, sub.providerSubscriptionId, "Cancelled from the Weft billing page");
  } else if (sub.provider === "simulator" && cfg.simulator)
    await simulateSubscriptionChange(env, origin, sub, {
      plan: sub.plan,
      interval: sub.interval,
      seats: sub.seats,
      cancelAtPeriodEnd: !resume,
    });
  else
    throw new Problem(
      503,
      "payments-not-configured",
      "Payments not configured",
      `The ${sub.provider} provider of this subscription is not configured here.`,
    );
  await auditInsert(db, actor, {
    tenantId,
    action: resume ? "billing.cancellation_withdrawn" : "billing.cancellation_requested",
    metadata: { plan: sub.plan, period_end: sub.periodEnd },
  });
}

export async function portalUrl(env: Env, db: Db, tenantId: string, origin: string): Promise<{ url: string; mode: PaymentMode }> {
  const sub = await getSubscription(db, tenantId);
  const cfg = await billingConfig(env);
  if (sub.provider === "stripe" && cfg.stripe && sub.providerCustomerId)
    return { url: await createStripePortal(cfg.stripe, sub.providerCustomerId, `${origin}/settings/billing`), mode: "stripe" };
  if (sub.provider === "paypal")
    return {
      url: cfg.paypal?.apiBase.includes("sandbox")
        ? "https://www.sandbox.paypal.com/myaccount/autopay/"
        : "https://www.paypal.com/myaccount/autopay/",
      mode: "paypal",
    };
  if (sub.provider === "simulator" && cfg.simulator && cfg.simulatorSecret)
    return { url: await portalLink(cfg.simulatorSecret, origin, tenantId), mode: "simulator" };
  throw conflict("There is no payment method on file; subscribe to a paid plan first.", "no-subscription");
}

export async function setOverage(db: Db, tenantId: string, allow: boolean, actor: Actor) {
  const sub = await getSubscription(db, tenantId);
  if (sub.plan === "free" && allow)
    throw new Problem(402, "upgrade-required", "Upgrade required", "Overage billing is available on paid plans.", {
      upgrade_url: "/settings/billing",
    });
  await db.batch([
    db
      .insert(billingSubscriptions)
      .values({ ...sub, allowOverage: allow, updatedAt: Date.now() })
      .onConflictDoUpdate({ target: billingSubscriptions.tenantId, set: { allowOverage: allow, updatedAt: Date.now() } }),
    auditInsert(db, actor, { tenantId, action: "billing.overage_changed", metadata: { allow } }),
  ]);
  return { ...sub, allowOverage: allow };
}
void and;
void sql;
