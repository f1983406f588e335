import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { commerceCouponRedemptions, commerceCoupons } from "../../../schema/commerce";
import { commerceOrders } from "../../../schema/commerce-orders";
import { tenantScope, type Db } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { COUPON_PROBLEM_TEXT, type CouponProblem } from "./coupon-rules";
import { getCoupon } from "./coupons.service";
import { rawD1 } from "./d1";

/**
 * Using a coupon for a checkout: held while the checkout is open, redeemed once paid, released when
 * it expires or is abandoned — with the total and per-customer limits enforced atomically in D1.
 */

/**
 * The customer's paid orders, for first-order-only coupons: orders of that customer key that are
 * paid, fulfilled or partially refunded (a fully refunded or cancelled order does not count).
 */
export async function paidOrderCount(db: Db, tenantId: string, customerKey: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(commerceOrders)
    .where(
      tenantScope(db, tenantId).where(
        commerceOrders,
        eq(commerceOrders.customerKey, customerKey),
        inArray(commerceOrders.status, ["paid", "fulfilled", "partially_refunded"]),
      ),
    )
    .get();
  return row?.n ?? 0;
}

export async function customerUses(db: Db, tenantId: string, couponId: string, key: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(commerceCouponRedemptions)
    .where(
      tenantScope(db, tenantId).where(
        commerceCouponRedemptions,
        eq(commerceCouponRedemptions.couponId, couponId),
        eq(commerceCouponRedemptions.customerKey, key),
        sql`${commerceCouponRedemptions.status} != 'released'`,
      ),
    )
    .get();
  return row?.n ?? 0;
}

export class CouponRefused extends Problem {
  constructor(readonly reason: CouponProblem) {
    super(409, "coupon-refused", "Coupon not applied", COUPON_PROBLEM_TEXT[reason], { reason });
  }
}

/**
 * Uses a coupon for a checkout: one D1 batch (a transaction, serialised with every other write)
 * of two statements —
 *  1. INSERT the redemption … SELECT from the coupon WHERE it is active and both limits still
 *     have room (redeemed_count < max_redemptions; the customer's live redemptions <
 *     max_per_customer): a single statement, so the check and the write cannot be split;
 *  2. UPDATE the coupon's redeemed_count + 1 WHERE that exact redemption row now exists.
 * 50 concurrent redemptions of a code limited to 10 → exactly 10 rows and a count of 10. A refused
 * redemption writes nothing and throws CouponRefused with the reason. Idempotent per
 * (checkout, coupon): a checkout that already holds the coupon gets its redemption back.
 */
export async function redeemCoupon(
  db: Db,
  tenantId: string,
  o: { couponId: string; customerKey: string; checkoutId: string; expiresAt?: number | null; now?: number },
): Promise<{ redemptionId: string; redeemedCount: number }> {
  const now = o.now ?? Date.now();
  const held = () =>
    db
      .select()
      .from(commerceCouponRedemptions)
      .where(
        tenantScope(db, tenantId).where(
          commerceCouponRedemptions,
          eq(commerceCouponRedemptions.checkoutId, o.checkoutId),
          eq(commerceCouponRedemptions.couponId, o.couponId),
          sql`${commerceCouponRedemptions.status} != 'released'`,
        ),
      )
      .get();
  const existing = await held();
  if (existing) return { redemptionId: existing.id, redeemedCount: (await getCoupon(db, tenantId, o.couponId)).redeemedCount };
  const id = newId("red");
  // Raw D1 statements: the guarded INSERT … SELECT reads best as the SQL it is.
  const d1 = rawD1(db);
  const [inserted, updated] = await d1.batch<{ redeemed_count: number }>([
    d1
      .prepare(
        `INSERT INTO commerce_coupon_redemptions (tenant_id, id, coupon_id, customer_key, checkout_id, status, expires_at, created_at, updated_at)
         SELECT c.tenant_id, ?1, c.id, ?2, ?3, 'held', ?4, ?5, ?5
         FROM commerce_coupons c
         WHERE c.tenant_id = ?6 AND c.id = ?7 AND c.active = 1
           AND (c.starts_at IS NULL OR c.starts_at <= ?5) AND (c.ends_at IS NULL OR c.ends_at > ?5)
           AND (c.max_redemptions IS NULL OR c.redeemed_count < c.max_redemptions)
           AND (c.max_per_customer IS NULL OR (
             SELECT count(*) FROM commerce_coupon_redemptions r
             WHERE r.tenant_id = c.tenant_id AND r.coupon_id = c.id AND r.customer_key = ?2 AND r.status != 'released'
           ) < c.max_per_customer)
           -- the same checkout's twin call (two concurrent pays) finds this one's row and adds none
           AND NOT EXISTS (
             SELECT 1 FROM commerce_coupon_redemptions r
             WHERE r.tenant_id = c.tenant_id AND r.coupon_id = c.id AND r.checkout_id = ?3 AND r.status != 'released'
           )`,
      )
      .bind(id, o.customerKey, o.checkoutId, o.expiresAt ?? null, now, tenantId, o.couponId),
    d1
      .prepare(
        `UPDATE commerce_coupons SET redeemed_count = redeemed_count + 1, updated_at = ?3
         WHERE tenant_id = ?1 AND id = ?2
           AND EXISTS (SELECT 1 FROM commerce_coupon_redemptions r WHERE r.tenant_id = ?1 AND r.id = ?4)
         RETURNING redeemed_count`,
      )
      .bind(tenantId, o.couponId, now, id),
  ]);
  const count = updated?.results[0]?.redeemed_count;
  if (inserted?.meta.changes === 1 && count !== undefined) return { redemptionId: id, redeemedCount: count };
  const twin = await held();
  if (twin) return { redemptionId: twin.id, redeemedCount: (await getCoupon(db, tenantId, o.couponId)).redeemedCount };
  // Refused: say why (a read after the fact, for the message only).
  const c = await getCoupon(db, tenantId, o.couponId);
  if (!c.active) throw new CouponRefused("inactive");
  if (c.startsAt !== null && now < c.startsAt) throw new CouponRefused("not_started");
  if (c.endsAt !== null && now >= c.endsAt) throw new CouponRefused("expired");
  if (c.maxRedemptions !== null && c.redeemedCount >= c.maxRedemptions) throw new CouponRefused("usage_limit");
  throw new CouponRefused("customer_limit");
}

/**
 * Gives a held redemption back (the checkout expired or was abandoned): redeemed_count − 1 only
 * while the row is still held, then the row becomes released — one batch, so exactly once.
 */
export async function releaseRedemptions(db: Db, tenantId: string, checkoutId: string, now = Date.now()): Promise<number> {
  const held = await db
    .select({ id: commerceCouponRedemptions.id, couponId: commerceCouponRedemptions.couponId })
    .from(commerceCouponRedemptions)
    .where(
      tenantScope(db, tenantId).where(
        commerceCouponRedemptions,
        eq(commerceCouponRedemptions.checkoutId, checkoutId),
        eq(commerceCouponRedemptions.status, "held"),
      ),
    );
  let released = 0;
  for (const r of held) if (await releaseOne(db, tenantId, r.id, r.couponId, now)) released++;
  return released;
}

async function releaseOne(db: Db, tenantId: string, id: string, couponId: string, now: number): Promise<boolean> {
  const [, flipped] = await db.batch([
    db
      .update(commerceCoupons)
      .set({ redeemedCount: sql`${commerceCoupons.redeemedCount} - 1`, updatedAt: now })
      .where(
        and(
          eq(commerceCoupons.tenantId, tenantId),
          eq(commerceCoupons.id, couponId),
          sql`EXISTS (SELECT 1 FROM commerce_coupon_redemptions r WHERE r.tenant_id = ${tenantId} AND r.id = ${id} AND r.status = 'held')`,
        ),
      ),
    db
      .update(commerceCouponRedemptions)
      .set({ status: "released", updatedAt: now })
      .where(
        and(
          eq(commerceCouponRedemptions.tenantId, tenantId),
          eq(commerceCouponRedemptions.id, id),
          eq(commerceCouponRedemptions.status, "held"),
        ),
      )
      .returning({ id: commerceCouponRedemptions.id }),
  ]);
  return flipped.length === 1;
}

/** The checkout was paid: its held redemptions become redeemed (part 2 calls this once the order is paid). */
export async function commitRedemptions(db: Db, tenantId: string, checkoutId: string, now = Date.now()): Promise<number> {
  const rows = await db
    .update(commerceCouponRedemptions)
    .set({ status: "redeemed", expiresAt: null, updatedAt: now })
    .where(
      and(
        eq(commerceCouponRedemptions.tenantId, tenantId),
        eq(commerceCouponRedemptions.checkoutId, checkoutId),
        eq(commerceCouponRedemptions.status, "held"),
      ),
    )
    .returning({ id: commerceCouponRedemptions.id });
  return rows.length;
}

/** Cron: held redemptions past their expiry, across workspaces (partial index on held rows). */
export async function expireRedemptions(db: Db, now: number, limit = 200): Promise<number> {
  const due = await db
    .select({
      tenantId: commerceCouponRedemptions.tenantId,
      id: commerceCouponRedemptions.id,
      couponId: commerceCouponRedemptions.couponId,
    })
    .from(commerceCouponRedemptions)
    .where(and(eq(commerceCouponRedemptions.status, "held"), lte(commerceCouponRedemptions.expiresAt, now)))
    .orderBy(desc(commerceCouponRedemptions.expiresAt))
    .limit(limit);
  let n = 0;
  for (const r of due) if (await releaseOne(db, r.tenantId, r.id, r.couponId, now)) n++;
  return n;
}
