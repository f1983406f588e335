import { eq } from "drizzle-orm";
import { billingSubscriptions, type BillingInterval, type PlanId, type SubscriptionStatus } from "../../../schema/billing";
import type { Db } from "../../platform/db";
import { PLANS } from "./plans";

export type SubscriptionRow = typeof billingSubscriptions.$inferSelect;

/** First instant of the UTC month containing `ms`, and of the month `n` months later. */
export function monthStart(ms: number, addMonths = 0): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + addMonths, 1);
}
export const periodEndFor = (start: number, interval: BillingInterval) => monthStart(start, interval === "month" ? 1 : 12);

/** The workspace's subscription; a workspace without one is on Free (not stored until it changes). */
export async function getSubscription(db: Db, tenantId: string, at = Date.now()): Promise<SubscriptionRow> {
  const row = await db.select().from(billingSubscriptions).where(eq(billingSubscriptions.tenantId, tenantId)).get();
  if (row) return row;
  const start = monthStart(at);
  return {
    tenantId,
    plan: "free",
    interval: "month",
    status: "active",
    seats: PLANS.free.includedSeats,
    provider: "none",
    providerCustomerId: null,
    providerSubscriptionId: null,
    trialEndsAt: null,
    trialUsedAt: null,
    periodStart: start,
    periodEnd: periodEndFor(start, "month"),
    cancelAtPeriodEnd: false,
    graceEndsAt: null,
    allowOverage: false,
    stateAt: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The plan whose limits apply now: the subscribed plan, or Free when the subscription is
 * restricted (dunning), cancelled, or a trial ended without payment.
 */
export function effectivePlan(sub: Pick<SubscriptionRow, "plan" | "status" | "trialEndsAt">, at = Date.now()): PlanId {
  if (sub.status === "restricted" || sub.status === "canceled") return "free";
  if (sub.status === "trialing" && sub.trialEndsAt && sub.trialEndsAt < at) return "free";
  return sub.plan;
}

export const isPaidStatus = (s: SubscriptionStatus) => s === "active" || s === "trialing" || s === "past_due";
