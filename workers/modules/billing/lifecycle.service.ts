import { and, eq, sql } from "drizzle-orm";
import {
  billingProviderRefs,
  billingSubscriptions,
  type BillingInterval,
  type BillingProvider,
  type PlanId,
  type SubscriptionStatus,
} from "../../../schema/billing";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { publishEventSafely } from "../webhooks";
import { createLogger } from "../../platform/logger";
import { send } from "../messaging";
import { getTenant } from "../../platform/directory";
import { billingConfig } from "./config";
import { billingNow } from "./simulator-clock";
import { BILLING_PATH, billingContacts } from "./entitlements";
import { addPendingItems, findInvoice, latestOpenInvoice, markInvoice, writeInvoice } from "./invoices.service";
import { monthlyRecurringCents } from "./expansion";
import { recordSubscriptionMovement } from "./movement-events";
import { PLANS } from "./plans";
import { planChangeProration, recurringLines } from "./proration";
import { getSubscription, monthStart, periodEndFor, type SubscriptionRow } from "./subscription.service";
import type { LineDraft } from "./proration";
import { recordProductEvent } from "../../platform/product-events";

const log = createLogger({ component: "billing" });
const SYSTEM: Actor = { type: "system", id: null, ip: null, userAgent: null };

/** Provider events, normalised: what Stripe, PayPal and the simulator all turn into. */
export type BillingEvent =
  | {
      kind: "subscription.upsert";
      tenantId: string;
      provider: BillingProvider;
      customerId: string | null;
      subscriptionId: string;
      plan: PlanId;
      interval: BillingInterval;
      seats: number;
      status: SubscriptionStatus | "incomplete";
      trialEndsAt: number | null;
      periodStart: number | null;
      periodEnd: number | null;
      cancelAtPeriodEnd: boolean;
      at: number;
    }
  | { kind: "subscription.deleted"; tenantId: string; subscriptionId: string; at: number }
  | { kind: "trial.will_end"; tenantId: string; trialEndsAt: number; at: number }
  | {
      kind: "invoice.paid" | "invoice.payment_failed";
      tenantId: string;
      provider: BillingProvider;
      providerInvoiceId: string;
      weftInvoiceId: string | null;
      amountCents: number;
      hostedUrl: string | null;
      periodStart: number | null;
      periodEnd: number | null;
      lines: LineDraft[];
      at: number;
    };

export type ApplyOutcome = "applied" | "ignored_stale" | "ignored_unknown";

export async function rememberRef(db: Db, provider: "stripe" | "paypal", ref: string | null | undefined, tenantId: string) {
  if (!ref) return;
  await db.insert(billingProviderRefs).values({ provider, ref, tenantId, createdAt: Date.now() }).onConflictDoNothing();
}
export async function tenantForRef(db: Db, provider: "stripe" | "paypal", ref: string | null | undefined): Promise<string | null> {
  if (!ref) return null;
  const row = await db
    .select({ tenantId: billingProviderRefs.tenantId })
    .from(billingProviderRefs)
    .where(and(eq(billingProviderRefs.provider, provider), eq(billingProviderRefs.ref, ref)))
    .get();
  return row?.tenantId ?? null;
}

async function notify(env: Env, db: Db, tenantId: string, template: string, data: Record<string, unknown>, key: string) {
  try {
    const tenant = await getTenant(db, tenantId);
    for (const email of await billingContacts(db, tenantId)) {
      await send(db, env.OUTBOX, {
        tenantId,
        to: { email },
        channels: ["email"],
        template,
        data: { workspace: tenant.name, link: `${env.APP_URL.replace(/\/$/, "")}${BILLING_PATH}`, ...data },
        category: "transactional",
        idempotencyKey: `${key}:${email}`,
      });
    }
  } catch (e) {
    log.error("billing_notify_failed", { tenant_id: tenantId, template, error: String(e) });
  }
}

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

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

/**
 * Dunning step (cron): past-due workspaces whose grace period ended are limited to Free. With
 * `tenantId`, that workspace only (the simulator's test clock evaluates it at its own billing time).
 */
export async function restrictOverdue(env: Env, db: Db, at = Date.now(), tenantId?: string): Promise<string[]> {
  const rows = await db
    .select()
    .from(billingSubscriptions)
    .where(
      and(
        tenantId ? eq(billingSubscriptions.tenantId, tenantId) : undefined,
        eq(billingSubscriptions.status, "past_due"),
        sql`${billingSubscriptions.graceEndsAt} < ${at}`,
      ),
    );
  const out: string[] = [];
  for (const s of rows) {
    const res = await db
      .update(billingSubscriptions)
      .set({ status: "restricted", updatedAt: at })
      .where(and(eq(billingSubscriptions.tenantId, s.tenantId), eq(billingSubscriptions.status, "past_due")));
    if (!res.meta.changes) continue;
    await auditInsert(db, SYSTEM, {
      tenantId: s.tenantId,
      action: "billing.restricted",
      metadata: { plan: s.plan, grace_ended_at: s.graceEndsAt },
    });
    const open = await latestOpenInvoice(db, s.tenantId);
    await notify(
      env,
      db,
      s.tenantId,
      "billing.restricted",
      { plan: PLANS[s.plan].name },
      `billing.restricted:${s.tenantId}:${open?.id ?? s.graceEndsAt}`,
    );
    out.push(s.tenantId);
  }
  return out;
}

export { recurringLines };
