import type { PlanId } from "../../../schema/billing";
import type { Db } from "../../platform/db";
import type { Problem } from "../../platform/errors";
import { PLANS } from "./plans";
import { quotaExceeded } from "./quota-problem";
import { effectivePlan, getSubscription } from "./subscription.service";

/**
 * Seat rules, read by tenancy when it invites and adds members (this file imports nothing from
 * tenancy, so the dependency points one way):
 * - `limit` is the hard cap on members: Free's seats, or a paid plan's `maxSeats` (null = none).
 *   Creating an invitation needs members + pending invitations < limit; accepting needs
 *   members < limit. Both are checked inside the SQL statement that writes, so concurrent
 *   requests cannot overshoot.
 * - `paid` is the subscription's seat quantity. On a paid plan a member beyond it is allowed (up
 *   to `limit`) and raises the quantity (billed per seat, prorated): see seat-sync.ts.
 */
export interface SeatPolicy {
  plan: PlanId;
  limit: number | null;
  paid: number;
  included: number;
  /** A provider subscription exists whose seat quantity can grow. */
  growable: boolean;
}

export async function seatPolicy(db: Db, tenantId: string, at = Date.now()): Promise<SeatPolicy> {
  const sub = await getSubscription(db, tenantId, at);
  const plan = effectivePlan(sub, at);
  if (plan === "free")
    return { plan, limit: PLANS.free.maxSeats, paid: PLANS.free.includedSeats, included: PLANS.free.includedSeats, growable: false };
  // PayPal changes the price only after the buyer approves a revision, so seats cannot be added on
  // their behalf: there the paid seats are the cap, and more are bought on the billing page.
  if (sub.provider === "paypal") return { plan, limit: sub.seats, paid: sub.seats, included: PLANS[plan].includedSeats, growable: false };
  return { plan, limit: PLANS[plan].maxSeats, paid: sub.seats, included: PLANS[plan].includedSeats, growable: sub.provider !== "none" };
}

/** 402 problem+json for a full workspace, in the shape of every other quota error (meter "seats"). */
export function seatLimitReached(
  p: SeatPolicy,
  use: { members: number; pending: number; action: "invite" | "accept" },
  origin: string,
): Problem {
  const name = PLANS[p.plan].name;
  const paidCap = p.plan !== "free" && !p.growable; // PayPal: the paid seats are the cap
  const cap = paidCap ? `The workspace's ${name} subscription has ${p.limit} paid seats` : `The ${name} plan allows ${p.limit} seats`;
  const more = paidCap ? "Add seats on the billing page (PayPal asks you to approve the change)" : "Upgrade the plan";
  const used = use.members + use.pending;
  const taken = use.pending
    ? `${use.members} member${use.members === 1 ? "" : "s"} and ${use.pending} pending invitation${use.pending === 1 ? "" : "s"}`
    : `${use.members} member${use.members === 1 ? "" : "s"}`;
  const detail =
    use.action === "invite"
      ? `${cap} and ${taken} already take them. ${more} (or revoke a pending invitation) to invite more people.`
      : `${cap} and the workspace already has ${taken}. The invitation stays valid: accept it again once the workspace has more seats (${more.toLowerCase()}).`;
  return quotaExceeded({ meter: "seats", plan: p.plan, used, limit: p.limit }, 1, origin, {
    detail,
    extensions: { members: use.members, pending_invitations: use.pending },
  });
}
