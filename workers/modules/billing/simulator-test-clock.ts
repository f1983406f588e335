import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { billingConfig } from "./config";
import { dueMonthlyInvoice } from "./cron";
import { restrictOverdue } from "./dunning";
import { billingNow, clockOffset, moveClockTo } from "./simulator-clock";
import { advanceSimulated, simulatorPaymentMethod, TRIAL_WARNING_MS, type CycleStep } from "./simulator-cycle";
import { getSubscription, monthStart, type SubscriptionRow } from "./subscription.service";

/**
 * The payment simulator's test clock (local only), like Stripe's test clocks: a workspace's
 * simulated time is moved forward and what the provider and the billing cron would have done in
 * between happens now, for that workspace only, at the simulated instants: renewals (invoice +
 * signed `invoice.paid` / `invoice.payment_failed` + `customer.subscription.updated`), the trial
 * warning and conversion, the end of a cancelled subscription, retries of failed invoices when a
 * working card is on file, and the daily dunning steps (past due → restricted after the grace
 * period, yearly plans' monthly invoices).
 *
 * The advance stops at every instant where something is due (a period end, 3 days before and at
 * the trial end, just after the grace end, a yearly plan's month start) up to the target, and runs
 * the cycle and the daily steps there, as the cron would have on its next tick. Each stop is
 * idempotent (deterministic provider event ids, one invoice per period), and the clock is saved
 * after each one, so an advance that failed half way can simply be repeated. The clock only moves
 * forward (there is no reset: a fresh workspace starts at real time); afterwards it keeps running
 * with real time, and the real cron evaluates this workspace at the same simulated time
 * (simulator-clock.ts), so nothing is renewed twice.
 */
export const CLOCK_TARGETS = ["renewal", "trial_end", "grace_end", "days"] as const;
export type ClockTarget = (typeof CLOCK_TARGETS)[number];
export type ClockStepName = Exclude<CycleStep, "none"> | "restricted" | "monthly_invoice";
export interface ClockStep {
  at: number;
  step: ClockStepName;
}

const DAY = 86_400_000;
export const MAX_ADVANCE_DAYS = 366;
const MAX_STOPS = 100; // a year of monthly renewals, each with its dunning, fits easily
const GRACE_STOP_MS = 1000; // restriction needs grace_ends_at < now

const simulated = (sub: SubscriptionRow) =>
  sub.provider === "simulator" && sub.plan !== "free" && ["active", "trialing", "past_due", "restricted"].includes(sub.status);

/** Where each target would move this subscription's clock, or null when it does not apply. */
export function clockTargets(sub: SubscriptionRow): Record<Exclude<ClockTarget, "days">, number | null> {
  if (!simulated(sub)) return { renewal: null, trial_end: null, grace_end: null };
  const trialing = sub.status === "trialing" && !!sub.trialEndsAt;
  return {
    renewal: !trialing && (sub.status === "active" || sub.status === "past_due") ? sub.periodEnd : null,
    trial_end: trialing ? sub.trialEndsAt : null,
    grace_end: sub.status === "past_due" && sub.graceEndsAt ? sub.graceEndsAt + GRACE_STOP_MS : null,
  };
}

/** The next instant after `now` at which the cron would do something for this subscription. */
function nextStop(sub: SubscriptionRow, now: number): number | null {
  if (!simulated(sub)) return null;
  const t = clockTargets(sub);
  const candidates = [t.renewal, t.trial_end, t.grace_end];
  if (t.trial_end && !sub.providerSubscriptionId?.startsWith("I-")) candidates.push(t.trial_end - TRIAL_WARNING_MS);
  if (sub.interval === "year" && sub.status !== "trialing") candidates.push(monthStart(now, 1));
  const after = candidates.filter((c): c is number => c !== null && c > now);
  return after.length ? Math.min(...after) : null;
}

/** What the 10-minute and the daily cron do for one workspace at `at` (its billing time). */
async function runAt(env: Env, db: Db, origin: string, tenantId: string, at: number): Promise<ClockStep[]> {
  const steps: ClockStep[] = [];
  // advanceSimulated does one step per call (a recovery, then the renewal that was waiting): repeat until quiet.
  let last: CycleStep | null = null;
  for (let i = 0; i < 4; i++) {
    const sub = await getSubscription(db, tenantId, at);
    if (!simulated(sub)) break;
    const step = await advanceSimulated(env, db, origin, sub, at);
    if (step === "none" || step === last) break;
    steps.push({ at, step });
    last = step;
  }
  if ((await restrictOverdue(env, db, at, tenantId)).length) steps.push({ at, step: "restricted" });
  const sub = await getSubscription(db, tenantId, at);
  if (await dueMonthlyInvoice(env, db, sub, at)) steps.push({ at, step: "monthly_invoice" });
  return steps;
}

export interface ClockState {
  now: number;
  offsetMs: number;
  paymentMethod: Awaited<ReturnType<typeof simulatorPaymentMethod>>;
  targets: ReturnType<typeof clockTargets>;
}

/** 404 where the simulator cannot run (production, provider keys); 409 for a workspace not on it. */
async function simulatedSubscription(env: Env, db: Db, tenantId: string): Promise<SubscriptionRow> {
  if (!(await billingConfig(env)).simulatorSecret) throw notFound("Route");
  const sub = await getSubscription(db, tenantId);
  if (sub.provider !== "simulator")
    throw conflict(
      "This workspace's subscription is not run by the payment simulator, so it has no test clock. Subscribe to a paid plan through the simulator first.",
      "not-on-simulator",
    );
  return sub;
}

/** The clock's state; `after: true` (the answer to an advance) also when the advance just ended the subscription. */
export async function clockState(env: Env, db: Db, tenantId: string, after = false): Promise<ClockState> {
  const sub = after ? await getSubscription(db, tenantId) : await simulatedSubscription(env, db, tenantId);
  const real = Date.now();
  return {
    now: await billingNow(env, db, tenantId, real),
    offsetMs: await clockOffset(db, tenantId),
    paymentMethod: await simulatorPaymentMethod(db, tenantId),
    targets: clockTargets(sub),
  };
}

const TARGET_MISSING: Record<Exclude<ClockTarget, "days">, string> = {
  renewal: "The subscription has no renewal ahead (it is in a trial, restricted, or not on a paid plan).",
  trial_end: "The subscription is not in a trial.",
  grace_end: "The subscription is not past due, so there is no grace period to run out.",
};

/** Moves the workspace's test clock forward and runs what is due in between (see above). */
export async function advanceClock(
  env: Env,
  db: Db,
  origin: string,
  tenantId: string,
  req: { to: ClockTarget; days?: number },
  actor: Actor,
): Promise<{ from: number; to: number; steps: ClockStep[]; reached: boolean }> {
  const sub = await simulatedSubscription(env, db, tenantId);
  const real = Date.now();
  const from = await billingNow(env, db, tenantId, real);
  let target: number;
  if (req.to === "days") target = from + (req.days ?? 1) * DAY;
  else {
    const t = clockTargets(sub)[req.to];
    if (t === null) throw conflict(TARGET_MISSING[req.to], "clock-target-unavailable");
    target = Math.max(t, from); // already due (the cron has not run yet): run it now
  }
  const steps: ClockStep[] = [];
  let now = from;
  let stops = 0;
  for (; stops < MAX_STOPS; stops++) {
    const next = nextStop(await getSubscription(db, tenantId, now), now);
    const at = next !== null && next < target ? next : target;
    steps.push(...(await runAt(env, db, origin, tenantId, at)));
    await moveClockTo(db, tenantId, at, real);
    now = at;
    if (at >= target) break;
  }
  await auditInsert(db, actor, {
    tenantId,
    action: "billing.test_clock_advanced",
    metadata: { to: req.to, days: req.days ?? null, from, until: now, steps: steps.map((s) => s.step) },
  });
  return { from, to: now, steps, reached: now >= target };
}
