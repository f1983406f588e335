import { eq, sql } from "drizzle-orm";
import { billingSubscriptions } from "../../../schema/billing";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { publishEventSafely } from "../webhooks";
import { billingConfig } from "./config";
import { billingNow } from "./simulator-clock";
import { addPendingItems, findInvoice, markInvoice, writeInvoice } from "./invoices.service";
import { monthlyRecurringCents } from "./expansion";
import { recordSubscriptionMovement } from "./movement-events";
import { PLANS } from "./plans";
import { planChangeProration, recurringLines } from "./proration";
import { getSubscription, monthStart, periodEndFor, type SubscriptionRow } from "./subscription.service";
import type { LineDraft } from "./proration";
import { recordProductEvent } from "../../platform/product-events";

import { day, money, notifyBillingContacts as notify } from "./notices";
import { rememberRef, type ApplyOutcome, type BillingEvent } from "./provider-events";

const SYSTEM: Actor = { type: "system", id: null, ip: null, userAgent: null };

/** Upserts the subscription row with an out-of-order guard (only if `at` is not older than the stored state). */
function upsertSubscription(db: Db, row: SubscriptionRow) {
  return db
    .insert(billingSubscriptions)
    .values(row)
    .onConflictDoUpdate({
      target: billingSubscriptions.tenantId,
      set: {
        plan: row.plan,
        interval: row.interval,
        status: row.status,
        seats: row.seats,
        provider: row.provider,
        providerCustomerId: row.providerCustomerId,
        providerSubscriptionId: row.providerSubscriptionId,
        trialEndsAt: row.trialEndsAt,
        trialUsedAt: row.trialUsedAt,
        periodStart: row.periodStart,
        periodEnd: row.periodEnd,
        cancelAtPeriodEnd: row.cancelAtPeriodEnd,
        graceEndsAt: row.graceEndsAt,
        stateAt: row.stateAt,
        updatedAt: row.updatedAt,
      },
      setWhere: sql`${billingSubscriptions.stateAt} <= ${row.stateAt}`,
    });
}

/**
 * Applies a provider event to the workspace's billing state. Idempotent given the webhook store
 * (each provider event is applied once), and order-safe: a subscription event older than the
 * newest one applied is ignored, and a paid invoice never returns to failed.
 */
export async function applyBillingEvent(env: Env, db: Db, ev: BillingEvent): Promise<ApplyOutcome> {
  // The workspace's billing time: real time, or ahead of it with the simulator's test clock (simulator-clock.ts).
  const now = await billingNow(env, db, ev.tenantId);
  const sub = await getSubscription(db, ev.tenantId, now);
  const cfg = await billingConfig(env);

  switch (ev.kind) {
    case "subscription.upsert": {
      if (ev.at < sub.stateAt) return "ignored_stale";
      if (ev.status === "incomplete") return "ignored_unknown"; // not paid yet: nothing changes
      const wasPaid = sub.plan !== "free" && sub.provider !== "none" && sub.status !== "canceled";
      // PayPal names only the next billing time: when it moves past the stored period end, the old period is over.
      const periodStart =
        ev.periodStart ??
        (wasPaid && sub.interval === ev.interval
          ? ev.periodEnd && ev.periodEnd > sub.periodEnd
            ? sub.periodEnd
            : sub.periodStart
          : monthStart(now));
      const periodEnd = ev.periodEnd ?? (wasPaid && sub.interval === ev.interval ? sub.periodEnd : periodEndFor(periodStart, ev.interval));
      const next: SubscriptionRow = {
        ...sub,
        plan: ev.plan,
        interval: ev.interval,
        seats: Math.max(ev.seats, 1),
        status: ev.status,
        provider: ev.provider,
        providerCustomerId: ev.customerId ?? sub.providerCustomerId,
        providerSubscriptionId: ev.subscriptionId,
        trialEndsAt: ev.trialEndsAt,
        trialUsedAt: ev.trialEndsAt ? (sub.trialUsedAt ?? now) : sub.trialUsedAt,
        periodStart,
        periodEnd,
        cancelAtPeriodEnd: ev.cancelAtPeriodEnd,
        graceEndsAt:
          ev.status === "past_due"
            ? (sub.graceEndsAt ?? ev.at + cfg.graceDays * 86_400_000)
            : ev.status === "active" || ev.status === "trialing"
              ? null
              : sub.graceEndsAt,
        stateAt: ev.at,
        updatedAt: now,
      };
      const stmts: any[] = [upsertSubscription(db, next)];
      const changed = sub.plan !== next.plan || sub.interval !== next.interval || sub.seats !== next.seats;
      let activationLines: LineDraft[] = [];
      if (!wasPaid && next.plan !== "free") {
        // First activation: the first invoice charges the rest of the current period (nothing while trialing).
        if (next.status !== "trialing") {
          activationLines = planChangeProration(
            { plan: "free", interval: "month", seats: 1 },
            next,
            now,
            { start: sub.periodStart, end: sub.periodEnd },
            { start: periodStart, end: periodEnd },
          );
        }
      } else if (wasPaid && changed && sub.status !== "trialing") {
        stmts.push(
          ...(await addPendingItems(
            db,
            ev.tenantId,
            planChangeProration(sub, next, now, { start: sub.periodStart, end: sub.periodEnd }, { start: periodStart, end: periodEnd }),
          )),
        );
      }
      stmts.push(
        auditInsert(db, SYSTEM, {
          tenantId: ev.tenantId,
          action: wasPaid ? "billing.subscription_updated" : "billing.subscription_started",
          target: { type: "subscription", id: ev.subscriptionId },
          metadata: {
            provider: ev.provider,
            plan: next.plan,
            interval: next.interval,
            seats: next.seats,
            status: next.status,
            from_plan: sub.plan,
          },
        }),
      );
      await db.batch(stmts as [any, ...any[]]);
      if (ev.provider === "stripe" || ev.provider === "paypal") {
        await rememberRef(db, ev.provider, ev.subscriptionId, ev.tenantId);
        await rememberRef(db, ev.provider, ev.customerId, ev.tenantId);
      }
      if (activationLines.length) {
        await writeInvoice(db, {
          tenantId: ev.tenantId,
          periodStart: now,
          periodEnd,
          plan: next.plan,
          provider: next.provider,
          lines: activationLines,
          number: undefined,
        });
      }
      await recordSubscriptionMovement(env, ev.tenantId, ev.at, wasPaid ? sub : null, next);
      await publishEventSafely(db, env.OUTBOX, {
        tenantId: ev.tenantId,
        type: wasPaid ? "subscription.updated" : "subscription.created",
        data: {
          plan: next.plan,
          interval: next.interval,
          seats: next.seats,
          status: next.status,
          provider: next.provider,
          previous_plan: sub.plan,
        },
      });
      return "applied";
    }

    case "subscription.deleted": {
      if (ev.at < sub.stateAt) return "ignored_stale";
      if (sub.providerSubscriptionId && sub.providerSubscriptionId !== ev.subscriptionId) return "ignored_unknown";
      await db.batch([
        upsertSubscription(db, {
          ...sub,
          plan: "free",
          interval: "month",
          status: "active",
          seats: PLANS.free.includedSeats,
          provider: "none",
          providerSubscriptionId: null,
          trialEndsAt: null,
          cancelAtPeriodEnd: false,
          graceEndsAt: null,
          allowOverage: false,
          stateAt: ev.at,
          updatedAt: now,
        }),
        auditInsert(db, SYSTEM, {
          tenantId: ev.tenantId,
          action: "billing.subscription_ended",
          target: { type: "subscription", id: ev.subscriptionId },
          metadata: { from_plan: sub.plan },
        }),
      ]);
      await recordProductEvent(env, {
        name: "subscription_canceled",
        tenantId: ev.tenantId,
        props: { plan: sub.plan, seats: sub.seats, mrr_cents: monthlyRecurringCents(sub.plan, sub.interval, sub.seats) },
        key: `subscription_canceled:${ev.tenantId}:${ev.at}`,
      });
      await publishEventSafely(db, env.OUTBOX, {
        tenantId: ev.tenantId,
        type: "subscription.canceled",
        data: { plan: sub.plan, ends_at: new Date(ev.at).toISOString() },
      });
      return "applied";
    }

    case "trial.will_end": {
      await notify(
        env,
        db,
        ev.tenantId,
        "billing.trial_ending",
        { plan: PLANS[sub.plan].name, trial_ends: day(ev.trialEndsAt) },
        `billing.trial_ending:${ev.tenantId}:${ev.trialEndsAt}`,
      );
      return "applied";
    }

    case "invoice.paid":
    case "invoice.payment_failed": {
      const paid = ev.kind === "invoice.paid";
      let inv =
        (ev.weftInvoiceId ? await findInvoice(db, ev.tenantId, { id: ev.weftInvoiceId }) : undefined) ??
        (await findInvoice(db, ev.tenantId, { providerInvoiceId: ev.providerInvoiceId })) ??
        (ev.periodStart !== null ? await findInvoice(db, ev.tenantId, { periodStart: ev.periodStart }) : undefined);
      if (!inv) {
        // A provider invoice we did not draft (e.g. Stripe's own renewal): mirror it.
        const lines = ev.lines.length
          ? ev.lines
          : [
              {
                kind: "platform_fee" as const,
                description: `${PLANS[sub.plan].name} plan`,
                quantity: 1,
                unitAmountCents: ev.amountCents,
                unitSize: 1,
                amountCents: ev.amountCents,
              },
            ];
        inv = await writeInvoice(db, {
          tenantId: ev.tenantId,
          periodStart: ev.periodStart ?? now,
          periodEnd: ev.periodEnd ?? periodEndFor(now, sub.interval),
          plan: sub.plan,
          provider: ev.provider,
          lines,
          status: "open",
        });
      }
      const changed = await markInvoice(db, ev.tenantId, inv.id, {
        status: paid ? "paid" : "payment_failed",
        providerInvoiceId: ev.providerInvoiceId,
        hostedUrl: ev.hostedUrl,
        at: ev.at,
      });
      if (!changed) return "ignored_stale";
      if (paid)
        await publishEventSafely(db, env.OUTBOX, {
          tenantId: ev.tenantId,
          type: "invoice.paid",
          data: { invoice_id: inv.id, amount_cents: ev.amountCents || inv.totalCents, currency: inv.currency },
        });
      if (paid && (sub.status === "past_due" || sub.status === "restricted")) {
        await db.batch([
          db
            .update(billingSubscriptions)
            .set({ status: "active", graceEndsAt: null, updatedAt: now })
            .where(eq(billingSubscriptions.tenantId, ev.tenantId)),
          auditInsert(db, SYSTEM, {
            tenantId: ev.tenantId,
            action: "billing.payment_recovered",
            target: { type: "invoice", id: inv.id },
            metadata: { from_status: sub.status },
          }),
        ]);
        await notify(env, db, ev.tenantId, "billing.payment_restored", { plan: PLANS[sub.plan].name }, `billing.restored:${inv.id}`);
      } else if (!paid && sub.plan !== "free" && (sub.status === "active" || sub.status === "past_due" || sub.status === "trialing")) {
        // Grace runs from when the charge failed (the provider's event time), not from when the
        // webhook happened to arrive: a late delivery must not shorten it, nor a replay extend it.
        const grace = sub.graceEndsAt ?? ev.at + cfg.graceDays * 86_400_000;
        await db.batch([
          db
            .update(billingSubscriptions)
            .set({ status: "past_due", graceEndsAt: grace, updatedAt: now })
            .where(eq(billingSubscriptions.tenantId, ev.tenantId)),
          auditInsert(db, SYSTEM, {
            tenantId: ev.tenantId,
            action: "billing.payment_failed",
            target: { type: "invoice", id: inv.id },
            metadata: { amount_cents: ev.amountCents, grace_ends_at: grace },
          }),
        ]);
        await notify(
          env,
          db,
          ev.tenantId,
          "billing.payment_failed",
          { plan: PLANS[sub.plan].name, amount: money(ev.amountCents || inv.totalCents), grace_ends: day(grace) },
          `billing.payment_failed:${inv.id}`,
        );
      }
      return "applied";
    }
  }
}

export { recurringLines };
