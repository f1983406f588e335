import { and, eq, inArray, lte } from "drizzle-orm";
import { commerceCheckouts } from "../../../schema/commerce-orders";
import type { Db } from "../../platform/db";
import type { CheckoutRow } from "./checkouts.service";
import { releaseReservations } from "./inventory.service";
import { releaseRedemptions } from "./redemptions.service";

/**
 * Cron: checkouts past their hold (open or paying, across workspaces, partial index on those).
 * A checkout without a paid order becomes expired with its stock and coupon use given back; its
 * pending order too (a payment that still arrives later takes the stock if it is there, else is
 * refunded — payment-outcomes.ts).
 */
export async function dueCheckouts(db: Db, now: number, limit = 100): Promise<CheckoutRow[]> {
  return db
    .select()
    .from(commerceCheckouts)
    .where(and(inArray(commerceCheckouts.status, ["open", "paying"]), lte(commerceCheckouts.expiresAt, now)))
    .limit(limit);
}

export async function expireCheckout(db: Db, co: CheckoutRow, now: number): Promise<boolean> {
  const rows = await db
    .update(commerceCheckouts)
    .set({ status: "expired", updatedAt: now })
    .where(
      and(
        eq(commerceCheckouts.tenantId, co.tenantId),
        eq(commerceCheckouts.id, co.id),
        inArray(commerceCheckouts.status, ["open", "paying"]),
        lte(commerceCheckouts.expiresAt, now),
      ),
    )
    .returning({ id: commerceCheckouts.id });
  if (!rows.length) return false;
  await releaseReservations(db, co.tenantId, co.id, now);
  await releaseRedemptions(db, co.tenantId, co.id, now);
  return true;
}
