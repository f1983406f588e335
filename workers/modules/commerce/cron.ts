import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { expireRedemptions } from "./redemptions.service";
import { expireReservations } from "./inventory.service";

/**
 * Commerce on every cron tick (workers/index.ts scheduled()): stock held by checkouts past their
 * hold goes back on sale, and coupon uses held by them are given back. Tests call it with the time
 * they want.
 */
export async function runCommerceCron(env: Env, now: number): Promise<{ reservations: number; redemptions: number }> {
  const db = getDb(env.DB);
  const reservations = await expireReservations(db, now);
  const redemptions = await expireRedemptions(db, now);
  return { reservations, redemptions };
}
