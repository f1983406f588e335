import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import { billingSubscriptions, invoices, simulatorCheckouts, simulatorClocks, type SimulatorPaymentMethod } from "../../../schema/billing";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { billingConfig } from "./config";
import { generateMonthlyInvoice, writeInvoice, type InvoiceRow } from "./invoices.service";
import { planChangeProration } from "./proration";
import { paypalEvent, paypalSubscription, postWebhook, stripeEvent, stripeInvoice, stripeSubscription, type SimPlan } from "./simulator";
import { monthStart, periodEndFor, type SubscriptionRow } from "./subscription.service";

/**
 * What the payment provider does by itself over time, done by the simulator on the billing cron
 * (local only, no provider keys): renew subscriptions at period end, warn 3 days before a trial
 * ends, convert the trial (or end it when there is no working payment method), and end
 * subscriptions cancelled at period end, and retry failed invoices once a working card is on file
 * (dunning recovery). Each step is the signed webhook the provider would send,
 * posted to our own /webhooks endpoint, with a deterministic event id: a cron run repeated (or
 * overlapping) posts the same ids again and the webhook store acknowledges them unchanged.
 */
const log = createLogger({ component: "billing-simulator" });
const DAY = 86_400_000;
export const TRIAL_WARNING_MS = 3 * DAY;
const sec = (ms: number) => Math.floor(ms / 1000);

/** The simulated customer's payment method: that of the latest approved checkout (a card by default). */
export async function simulatorPaymentMethod(db: Db, tenantId: string): Promise<SimulatorPaymentMethod> {
  const row = await db
    .select({ pm: simulatorCheckouts.paymentMethod })
    .from(simulatorCheckouts)
    .where(tenantScope(db, tenantId).where(simulatorCheckouts, eq(simulatorCheckouts.status, "approved")))
    .orderBy(desc(simulatorCheckouts.createdAt))
    .get();
  return row?.pm ?? "card";
}

export async function setSimulatorPaymentMethod(db: Db, tenantId: string, pm: SimulatorPaymentMethod): Promise<boolean> {
  const latest = await db
    .select({ id: simulatorCheckouts.id })
    .from(simulatorCheckouts)
    .where(tenantScope(db, tenantId).where(simulatorCheckouts, eq(simulatorCheckouts.status, "approved")))
    .orderBy(desc(simulatorCheckouts.createdAt))
    .get();
  if (!latest) return false;
  await db
    .update(simulatorCheckouts)
    .set({ paymentMethod: pm, updatedAt: Date.now() })
    .where(tenantScope(db, tenantId).where(simulatorCheckouts, eq(simulatorCheckouts.id, latest.id)));
  return true;
}

export type CycleStep = "trial_warned" | "trial_converted" | "trial_ended" | "renewed" | "renewal_failed" | "ended" | "recovered" | "none";
const flavourOf = (sub: SubscriptionRow) => (sub.providerSubscriptionId?.startsWith("I-") ? "paypal" : "stripe");

async function charge(
  env: Env,
  origin: string,
  flavour: "stripe" | "paypal",
  sub: SubscriptionRow,
  inv: InvoiceRow,
  paid: boolean,
  at: number,
) {
  if (inv.status === "paid") return;
  if (flavour === "stripe") {
    await postWebhook(
      env,
      origin,
      "stripe",
      stripeEvent(
        paid ? "invoice.paid" : "invoice.payment_failed",
        stripeInvoice(sub.tenantId, inv),
        at,
        `evt_sim_${paid ? "paid" : "failed"}_${inv.id}`,
      ),
    );
  } else if (paid) {
    const custom = `${sub.tenantId}|${sub.plan}|${sub.interval}|${sub.seats}`;
    await postWebhook(
      env,
      origin,
      "paypal",
      paypalEvent(
        "PAYMENT.SALE.COMPLETED",
        {
          id: `SALE-SIM-${inv.id.slice(-10).toUpperCase()}`,
          amount: { total: (inv.totalCents / 100).toFixed(2), currency: "USD" },
          custom_id: custom,
          invoice_number: inv.id,
          state: "completed",
        },
        at,
        `WH-SIM-PAID-${inv.id}`,
      ),
    );
  } else {
    const resource = {
      ...paypalSubscription(sub.tenantId, sub.providerSubscriptionId!, sub, "ACTIVE", sub.periodEnd),
      billing_info: { last_failed_payment: { amount: { value: (inv.totalCents / 100).toFixed(2), currency_code: "USD" } } },
    };
    await postWebhook(env, origin, "paypal", paypalEvent("BILLING.SUBSCRIPTION.PAYMENT.FAILED", resource, at, `WH-SIM-FAILED-${inv.id}`));
  }
}

async function subscriptionUpdated(
  env: Env,
  origin: string,
  flavour: "stripe" | "paypal",
  sub: SubscriptionRow,
  p: SimPlan,
  o: { status: "active" | "past_due"; periodStart: number; periodEnd: number },
  at: number,
  id: string,
) {
  if (flavour === "stripe") {
    await postWebhook(
      env,
      origin,
      "stripe",
      stripeEvent(
        "customer.subscription.updated",
        stripeSubscription(sub.tenantId, sub.providerSubscriptionId!, p, {
          ...o,
          trialEnd: null,
          cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
        }),
        at,
        `evt_sim_${id}`,
      ),
    );
  } else {
    await postWebhook(
      env,
      origin,
      "paypal",
      paypalEvent(
        "BILLING.SUBSCRIPTION.UPDATED",
        paypalSubscription(sub.tenantId, sub.providerSubscriptionId!, p, "ACTIVE", o.periodEnd),
        at,
        `WH-SIM-${id.toUpperCase()}`,
      ),
    );
  }
}

async function subscriptionDeleted(env: Env, origin: string, flavour: "stripe" | "paypal", sub: SubscriptionRow, at: number, id: string) {
  if (flavour === "stripe") {
    await postWebhook(
      env,
      origin,
      "stripe",
      stripeEvent(
        "customer.subscription.deleted",
        stripeSubscription(sub.tenantId, sub.providerSubscriptionId!, sub, {
          status: "canceled",
          periodStart: sub.periodStart,
          periodEnd: sub.periodEnd,
        }),
        at,
        `evt_sim_${id}`,
      ),
    );
  } else {
    await postWebhook(
      env,
      origin,
      "paypal",
      paypalEvent(
        "BILLING.SUBSCRIPTION.CANCELLED",
        paypalSubscription(sub.tenantId, sub.providerSubscriptionId!, sub, "CANCELLED", sub.periodEnd),
        at,
        `WH-SIM-${id.toUpperCase()}`,
      ),
    );
  }
}

/**
 * The provider retrying failed invoices: with a working card on file each one is collected now
 * (Stripe retries on its schedule and as soon as the customer changes the payment method; a card
 * that still declines would only fail again, so nothing is sent then). The paid event's id is
 * deterministic, so overlapping retries are acknowledged once.
 */
export async function retryFailedInvoices(env: Env, db: Db, origin: string, sub: SubscriptionRow, at = Date.now()): Promise<number> {
  if (!sub.providerSubscriptionId || (await simulatorPaymentMethod(db, sub.tenantId)) !== "card") return 0;
  const failed = await db
    .select()
    .from(invoices)
    .where(tenantScope(db, sub.tenantId).where(invoices, eq(invoices.status, "payment_failed")));
  for (const inv of failed) await charge(env, origin, flavourOf(sub), sub, inv, true, Math.max(at, inv.stateAt + 1000));
  return failed.length;
}

/** One simulated subscription, one step (a long-missed renewal advances one period per cron run). */
export async function advanceSimulated(env: Env, db: Db, origin: string, sub: SubscriptionRow, at: number): Promise<CycleStep> {
  if (!sub.providerSubscriptionId) return "none";
  const flavour = flavourOf(sub);
  const subId = sub.providerSubscriptionId;
  const p: SimPlan = { plan: sub.plan, interval: sub.interval, seats: sub.seats };
  const pm = await simulatorPaymentMethod(db, sub.tenantId);
  if (sub.status === "past_due" || sub.status === "restricted") {
    // Dunning: collect what failed before anything else; a restricted workspace is not renewed.
    if (await retryFailedInvoices(env, db, origin, sub, at)) return "recovered";
    if (sub.status === "restricted") return "none";
  }

  if (sub.status === "trialing" && sub.trialEndsAt) {
    const trialEnd = sub.trialEndsAt;
    if (at < trialEnd) {
      if (at < trialEnd - TRIAL_WARNING_MS || flavour !== "stripe") return "none";
      const obj = stripeSubscription(sub.tenantId, subId, p, {
        status: "trialing",
        periodStart: sub.periodStart,
        periodEnd: sub.periodEnd,
        trialEnd,
      });
      await postWebhook(
        env,
        origin,
        "stripe",
        stripeEvent("customer.subscription.trial_will_end", obj, at, `evt_sim_trial_will_end_${subId}_${sec(trialEnd)}`),
      );
      return "trial_warned";
    }
    if (pm !== "card") {
      // No payment method, or it declines: the trial ends and the workspace is back on Free.
      await subscriptionDeleted(env, origin, flavour, sub, at, `trial_ended_${subId}_${sec(trialEnd)}`);
      return "trial_ended";
    }
    // Conversion: the first charge covers the rest of the period the trial ended in.
    const periodStart = monthStart(trialEnd);
    const periodEnd = periodEndFor(periodStart, sub.interval);
    const lines = planChangeProration(
      { plan: "free", interval: "month", seats: 1 },
      p,
      trialEnd,
      { start: periodStart, end: periodEnd },
      { start: periodStart, end: periodEnd },
    );
    if (lines.length) {
      const inv = await writeInvoice(db, {
        tenantId: sub.tenantId,
        periodStart: trialEnd,
        periodEnd,
        plan: sub.plan,
        provider: "simulator",
        lines,
      });
      await charge(env, origin, flavour, sub, inv, true, at);
    }
    await subscriptionUpdated(
      env,
      origin,
      flavour,
      sub,
      p,
      { status: "active", periodStart, periodEnd },
      at,
      `trial_converted_${subId}_${sec(trialEnd)}`,
    );
    return "trial_converted";
  }

  if (sub.periodEnd > at) return "none";
  if (sub.cancelAtPeriodEnd) {
    await subscriptionDeleted(env, origin, flavour, sub, at, `period_end_${subId}_${sec(sub.periodEnd)}`);
    return "ended";
  }
  // Renewal: invoice the new period (fee + seats in advance, overage and prorations), collect it, advance the period.
  const periodStart = sub.periodEnd;
  const periodEnd = periodEndFor(periodStart, sub.interval);
  const next: SubscriptionRow = { ...sub, periodStart, periodEnd };
  const inv = await generateMonthlyInvoice(db, env.DB, next, periodStart);
  const paid = pm === "card";
  if (inv) await charge(env, origin, flavour, next, inv, paid, at);
  // A declined renewal leaves the subscription past due (dunning); a paid one is active again.
  const failed = !!inv && !paid;
  const status = failed || (!inv && sub.status === "past_due") ? "past_due" : "active";
  await subscriptionUpdated(env, origin, flavour, sub, p, { status, periodStart, periodEnd }, at, `renewed_${subId}_${sec(periodStart)}`);
  return failed ? "renewal_failed" : "renewed";
}

/**
 * The cron step: every simulated subscription that is due for something. Each workspace is
 * evaluated at its own billing time, `at` + its test clock's offset (simulator-clock.ts): a
 * workspace whose clock was advanced is never behind what its clock already did, so the cron does
 * not renew it twice (and the deterministic event ids would make a repeat a no-op anyway).
 */
export async function advanceSimulatorSubscriptions(env: Env, db: Db, at = Date.now()): Promise<Partial<Record<CycleStep, number>>> {
  const cfg = await billingConfig(env);
  if (!cfg.simulatorSecret) return {};
  const origin = env.APP_URL.replace(/\/$/, "");
  const offset = sql<number>`coalesce(${simulatorClocks.offsetMs}, 0)`;
  const due = await db
    .select({ sub: billingSubscriptions, offset })
    .from(billingSubscriptions)
    .leftJoin(simulatorClocks, eq(simulatorClocks.tenantId, billingSubscriptions.tenantId))
    .where(
      and(
        eq(billingSubscriptions.provider, "simulator"),
        sql`${billingSubscriptions.plan} <> 'free'`,
        inArray(billingSubscriptions.status, ["active", "trialing", "past_due", "restricted"]),
        or(
          sql`${billingSubscriptions.periodEnd} <= ${at} + ${offset}`,
          and(
            eq(billingSubscriptions.status, "trialing"),
            sql`${billingSubscriptions.trialEndsAt} <= ${at + TRIAL_WARNING_MS} + ${offset}`,
          ),
          inArray(billingSubscriptions.status, ["past_due", "restricted"]),
        ),
      ),
    );
  const out: Partial<Record<CycleStep, number>> = {};
  for (const { sub, offset } of due) {
    try {
      const step = await advanceSimulated(env, db, origin, sub, at + Number(offset));
      out[step] = (out[step] ?? 0) + 1;
    } catch (e) {
      log.error("simulator_cycle_failed", { tenant_id: sub.tenantId, error: String(e) });
    }
  }
  return out;
}
