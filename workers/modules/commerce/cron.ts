import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { expireRedemptions } from "./redemptions.service";
import { expireReservations } from "./inventory.service";
import { dueCheckouts, expireCheckout } from "./checkout-expiry";
import { closeUnpaidOrder, getOrderRow } from "./orders.service";

/**
 * Commerce on every cron tick (workers/index.ts scheduled()): checkouts past their hold expire with
 * their unpaid orders; stock held by checkouts past their hold goes back on sale, and coupon uses
 * held by them are given back. Tests call it with the time they want.
 */
export async function runCommerceCron(env: Env, now: number): Promise<{ reservations: number; redemptions: number; checkouts: number }> {
  const db = getDb(env.DB);
  // Checkouts first: their orders expire with them (and give their holds back on the way).
  let checkouts = 0;
  for (const co of await dueCheckouts(db, now)) {
    const order = co.orderId ? await getOrderRow(db, co.tenantId, co.orderId).catch(() => null) : null;
    if (order && order.status !== "pending" && order.status !== "payment_failed") continue;
    const closed = order
      ? await closeUnpaidOrder(db, co.tenantId, order, "expired", "system", "the checkout's hold ran out")
      : await expireCheckout(db, co, now);
    if (closed) checkouts++;
  }
  const reservations = await expireReservations(db, now);
  const redemptions = await expireRedemptions(db, now);
  return { reservations, redemptions, checkouts };
}
