import { and, sql } from "drizzle-orm";
import { billingSubscriptions, type BillingInterval, type PlanId } from "../../../schema/billing";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { memberCount } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { badRequest, conflict, Problem } from "../../platform/errors";
import { billingConfig } from "./config";
import { cancelPaypalSubscription, createPaypalSubscription, revisePaypalSubscription } from "./paypal/client";
import { PLANS, planRank, recurringCents } from "./plans";
import { planChangeProration, recurringLines, sumCents } from "./proration";
import { createSimulatorCheckout, simulateSubscriptionChange } from "./simulator";
import { portalLink } from "./simulator-portal";
import { cancelStripeSubscription, changeStripeSubscription, createStripeCheckout, createStripePortal } from "./stripe/client";
import { getSubscription, monthStart, periodEndFor } from "./subscription.service";
import type { PaymentMode } from "./billing.read";

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
