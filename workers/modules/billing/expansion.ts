/**
 * Expansion across all workspaces, from billing's own tables: Weft measuring itself. Only the house
 * workspace's analytics (Weft's operators) asks for these; every other workspace sees expansion
 * from its own events (modules/analytics). Read-only.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import { dayOf, periodOf } from "./meter";
import { METERS, type MeterName, meterLimit, PLANS, recurringCents } from "./plans";
import { effectivePlan, isPaidStatus } from "./subscription.service";
import { TOTAL_PERIOD } from "./usage.store";
import type { BillingInterval, PlanId, SubscriptionStatus } from "../../../schema/billing";

export interface AccountNearLimit {
  tenant_id: string;
  workspace: string;
  plan: PlanId;
  meter: MeterName;
  used: number;
  limit: number;
  percent: number;
}

/**
 * Workspaces using at least `minPercent` of a metered limit this period (seats excluded: they grow
 * by themselves, see seat-sync.ts), fullest first. Upsell candidates.
 */
export async function accountsNearLimit(
  db: Db,
  opts: { minPercent?: number; at?: number; limit?: number } = {},
): Promise<AccountNearLimit[]> {
  const at = opts.at ?? Date.now();
  const min = (opts.minPercent ?? 80) / 100;
  const rows = await db.all<{
    tenant_id: string;
    meter: string;
    quantity: number;
    plan: PlanId | null;
    status: SubscriptionStatus | null;
    trial_ends_at: number | null;
    seats: number | null;
  }>(sql`
    SELECT c.tenant_id, c.meter, c.quantity, s.plan, s.status, s.trial_ends_at, s.seats
    FROM usage_counters c
    LEFT JOIN billing_subscriptions s ON s.tenant_id = c.tenant_id
    WHERE c.period IN (${periodOf(at)}, ${TOTAL_PERIOD}) AND c.quantity > 0`);
  const out: Omit<AccountNearLimit, "workspace">[] = [];
  for (const r of rows) {
    if (!(r.meter in METERS) || r.meter === "seats") continue;
    const meter = r.meter as MeterName;
    const plan = r.plan ? effectivePlan({ plan: r.plan, status: r.status ?? "active", trialEndsAt: r.trial_ends_at }, at) : "free";
    const limit = meterLimit(plan, meter, r.seats ?? PLANS.free.includedSeats);
    if (limit === null || limit <= 0) continue;
    const share = r.quantity / limit;
    if (share < min) continue;
    out.push({ tenant_id: r.tenant_id, plan, meter, used: r.quantity, limit, percent: Math.round(share * 100) });
  }
  out.sort((a, b) => b.percent - a.percent || a.tenant_id.localeCompare(b.tenant_id));
  const top = out.slice(0, opts.limit ?? 50);
  const names = new Map<string, string>();
  for (const id of new Set(top.map((r) => r.tenant_id))) names.set(id, (await getTenant(db, id)).name);
  return top.map((r) => ({ ...r, workspace: names.get(r.tenant_id) ?? r.tenant_id }));
}

export interface UsageGrowth {
  meter: MeterName;
  label: string;
  unit: string;
  previous: number;
  current: number;
  /** (current − previous) ÷ previous; null when there was nothing before. */
  growth: number | null;
}

/** Usage of every meter across all workspaces in [from, to) against the window of equal length before it. */
export async function usageGrowthAcrossWorkspaces(db: Db, from: number, to: number): Promise<UsageGrowth[]> {
  const prevFrom = from - (to - from);
  const rows = await db.all<{ meter: string; cur: number; prev: number }>(sql`
    SELECT meter,
      coalesce(sum(CASE WHEN day >= ${dayOf(from)} THEN quantity END), 0) AS cur,
      coalesce(sum(CASE WHEN day < ${dayOf(from)} THEN quantity END), 0) AS prev
    FROM usage_daily WHERE day >= ${dayOf(prevFrom)} AND day < ${dayOf(to)} GROUP BY meter`);
  return rows
    .filter((r) => r.meter in METERS && r.meter !== "seats")
    .map((r) => {
      const m = METERS[r.meter as MeterName];
      return {
        meter: r.meter as MeterName,
        label: m.label,
        unit: m.unit,
        previous: r.prev,
        current: r.cur,
        growth: r.prev > 0 ? (r.cur - r.prev) / r.prev : null,
      };
    })
    .sort((a, b) => b.current - a.current);
}

export interface PaidBase {
  paying_workspaces: number;
  trialing_workspaces: number;
  seats: number;
  mrr_cents: number;
}

/** Today's paid base across workspaces: paying and trialing workspaces, their seats and monthly recurring revenue. */
export async function paidBase(db: Db): Promise<PaidBase> {
  const rows = await db.all<{ plan: PlanId; interval: BillingInterval; status: SubscriptionStatus; seats: number }>(sql`
    SELECT plan, interval, status, seats FROM billing_subscriptions WHERE plan <> 'free'`);
  const base: PaidBase = { paying_workspaces: 0, trialing_workspaces: 0, seats: 0, mrr_cents: 0 };
  for (const r of rows) {
    if (!isPaidStatus(r.status)) continue;
    if (r.status === "trialing") {
      base.trialing_workspaces++;
      continue;
    }
    base.paying_workspaces++;
    base.seats += r.seats;
    base.mrr_cents += monthlyRecurringCents(r.plan, r.interval, r.seats);
  }
  return base;
}

/** Monthly recurring revenue of one subscription (a yearly price spread over twelve months). */
export function monthlyRecurringCents(plan: PlanId, interval: BillingInterval, seats: number): number {
  const cents = recurringCents(plan, interval, seats);
  return Math.round(interval === "year" ? cents / 12 : cents);
}
