import type { Actor } from "../../platform/audit";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { memberCount } from "../../platform/directory";
import { changeSubscription } from "./billing.service";
import { seatPolicy } from "./seats";
import { getSubscription } from "./subscription.service";

const log = createLogger({ component: "billing-seats" });

/**
 * After someone joined a workspace on a paid plan: if it now has more members than paid seats,
 * raise the subscription's seat quantity to the member count through its provider (Stripe
 * quantity update with proration; the simulator posts the signed `customer.subscription.updated`
 * that updates the local seats; PayPal is never grown here — see seats.ts). Seats only grow here; lowering
 * them stays an explicit plan change. Never fails the join: a provider error is logged, and the
 * daily billing cron calls this again for every paid workspace.
 */
export async function syncPaidSeats(
  env: Env,
  tenantId: string,
  origin: string,
  actor: Actor,
): Promise<{ from: number; to: number } | null> {
  const db = getDb(env.DB);
  try {
    const p = await seatPolicy(db, tenantId);
    if (!p.growable) return null;
    const members = await memberCount(db, tenantId);
    if (members <= p.paid) return null;
    const sub = await getSubscription(db, tenantId);
    const to = p.limit === null ? members : Math.min(members, p.limit);
    if (to <= sub.seats) return null;
    await changeSubscription(
      env,
      db,
      tenantId,
      { plan: sub.plan, interval: sub.interval, seats: to },
      { origin, idempotencyKey: `seats-${sub.providerSubscriptionId}-${to}` },
      actor,
    );
    log.info("seats_increased", { tenant_id: tenantId, from: sub.seats, to });
    return { from: sub.seats, to };
  } catch (e) {
    log.error("seat_sync_failed", { tenant_id: tenantId, error: String(e) });
    return null;
  }
}
