import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { billingSubscriptions, usageCounters } from "../../../schema/billing";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { billingConfig, type BillingConfig } from "./config";
import { generateMonthlyInvoice } from "./invoices.service";
import { restrictOverdue } from "./dunning";
import { syncPaidSeats } from "./seat-sync";
import { advanceSimulatorSubscriptions } from "./simulator-cycle";
import { clockOffsets } from "./simulator-clock";
import { periodOf } from "./meter";
import { OVERAGE_PRICES, type MeterName } from "./plans";
import { reportStripeMeterEvent } from "./stripe/client";
import { monthStart, type SubscriptionRow } from "./subscription.service";

const log = createLogger({ component: "billing-cron" });
export const USAGE_REPORT_CRON = "*/10 * * * *";
export const DAILY_BILLING_CRON = "15 0 * * *";
const EVENT_RETENTION_MS = 40 * 86_400_000;

/**
 * Reports metered usage to Stripe meter events: per counter, the delta since the last report.
 * The identifier is (tenant, meter, period, cumulative total), so a report retried after a
 * failure — or a cron run overlapping another — is deduplicated by Stripe and never billed twice.
 * The stored `reported` mark moves only from the value we read (compare-and-set).
 */
export async function reportUsageToStripe(
  env: Env,
  db: Db,
  cfg: BillingConfig,
  at = Date.now(),
): Promise<{ reported: number; failed: number }> {
  if (!cfg.stripe?.meterReporting) return { reported: 0, failed: 0 };
  const subs = await db
    .select()
    .from(billingSubscriptions)
    .where(and(eq(billingSubscriptions.provider, "stripe"), sql`${billingSubscriptions.providerCustomerId} is not null`));
  const periods = [periodOf(monthStart(at, -1)), periodOf(at)];
  const meters = Object.keys(OVERAGE_PRICES) as MeterName[];
  let reported = 0;
  let failed = 0;
  for (const s of subs) {
    const rows = await db
      .select()
      .from(usageCounters)
      .where(
        and(
          eq(usageCounters.tenantId, s.tenantId),
          inArray(usageCounters.meter, meters),
          inArray(usageCounters.period, [...periods, "total"]),
          gt(usageCounters.quantity, usageCounters.reported),
        ),
      );
    for (const r of rows) {
      const delta = r.quantity - r.reported;
      const identifier = `weft:${r.tenantId}:${r.meter}:${r.period}:${r.quantity}`;
      try {
        await reportStripeMeterEvent(cfg.stripe, {
          customerId: s.providerCustomerId!,
          meter: r.meter as MeterName,
          value: delta,
          identifier,
          timestamp: at,
        });
        await db
          .update(usageCounters)
          .set({ reported: r.quantity })
          .where(
            and(
              eq(usageCounters.tenantId, r.tenantId),
              eq(usageCounters.meter, r.meter),
              eq(usageCounters.period, r.period),
              eq(usageCounters.reported, r.reported),
            ),
          );
        reported++;
      } catch (e) {
        failed++;
        log.warn("usage_report_failed", { tenant_id: r.tenantId, meter: r.meter, identifier, error: String(e) });
      }
    }
  }
  return { reported, failed };
}

/**
 * Monthly invoices for subscriptions Weft bills itself (the simulator); Stripe/PayPal invoices are
 * mirrored from webhooks. A period's first month is billed by activation or by the renewal
 * (simulator-cycle.ts), so this only covers the other months of yearly subscriptions (last month's
 * overage and pending prorations); billing those first months here too charged them twice.
 * A workspace with a test clock is invoiced at its own billing time (`at` + its offset).
 */
export async function generateDueInvoices(env: Env, db: Db, at = Date.now(), clocks = new Map<string, number>()): Promise<number> {
  const subs = await db
    .select()
    .from(billingSubscriptions)
    .where(
      and(
        eq(billingSubscriptions.provider, "simulator"),
        eq(billingSubscriptions.interval, "year"),
        sql`${billingSubscriptions.plan} <> 'free'`,
      ),
    );
  let n = 0;
  for (const s of subs) if (await dueMonthlyInvoice(env, db, s, at + (clocks.get(s.tenantId) ?? 0))) n++;
  return n;
}

/** One yearly simulated subscription's invoice for the month containing `at`, unless its period's first month (billed already). */
export async function dueMonthlyInvoice(env: Env, db: Db, s: SubscriptionRow, at: number) {
  if (s.provider !== "simulator" || s.interval !== "year" || s.plan === "free") return null;
  const month = monthStart(at);
  if (month === monthStart(s.periodStart) || month >= s.periodEnd) return null;
  return generateMonthlyInvoice(db, env.DB, s, month);
}

/** Usage events are kept for the dedupe window only (counters hold the totals). */
export async function pruneUsageEvents(env: Env, _db: Db, at = Date.now()) {
  await env.DB.prepare(`DELETE FROM usage_events WHERE tenant_id IN (SELECT DISTINCT tenant_id FROM usage_counters) AND created_at < ?1`)
    .bind(at - EVENT_RETENTION_MS)
    .run();
}

/**
 * Seats bought for members who joined while the provider call failed: every paid workspace with
 * more members than paid seats gets its seat quantity raised (see seat-sync.ts).
 */
export async function reconcileSeats(env: Env, db: Db): Promise<number> {
  const subs = await db
    .select({ tenantId: billingSubscriptions.tenantId })
    .from(billingSubscriptions)
    .where(
      and(
        sql`${billingSubscriptions.plan} <> 'free'`,
        sql`${billingSubscriptions.provider} <> 'none'`,
        inArray(billingSubscriptions.status, ["active", "trialing", "past_due"]),
      ),
    );
  let n = 0;
  for (const s of subs) if (await syncPaidSeats(env, s.tenantId, env.APP_URL, SYSTEM)) n++;
  return n;
}
const SYSTEM = { type: "system" as const, id: null, ip: null, userAgent: null };

export async function runBillingCron(cron: string, env: Env, at = Date.now()) {
  const db = getDb(env.DB);
  const cfg = await billingConfig(env);
  // The payment simulator renews, warns about and converts trials, and ends subscriptions itself
  // (every tick, so a trial converts within minutes of ending).
  const simulator = cfg.simulatorSecret ? await advanceSimulatorSubscriptions(env, db, at) : {};
  // Workspaces whose test clock runs ahead are evaluated at their own billing time (simulator-clock.ts).
  const clocks = cfg.simulatorSecret ? await clockOffsets(db) : new Map<string, number>();
  const usage = await reportUsageToStripe(env, db, cfg, at);
  if (cron === DAILY_BILLING_CRON) {
    const restricted = await restrictOverdue(env, db, at);
    for (const [tenantId, offset] of clocks) restricted.push(...(await restrictOverdue(env, db, at + offset, tenantId)));
    const invoices = await generateDueInvoices(env, db, at, clocks);
    const seats = await reconcileSeats(env, db);
    await pruneUsageEvents(env, db, at);
    log.info("billing_daily", { restricted: restricted.length, invoices, seats_raised: seats, simulator, ...usage });
  } else log.info("usage_reported", { ...usage, simulator });
}
