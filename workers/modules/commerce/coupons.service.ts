import { and, desc, eq, lte, sql } from "drizzle-orm";
import { commerceCouponRedemptions, commerceCoupons, type CouponKind, type CouponScope } from "../../../schema/commerce";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound, Problem, validationFailed } from "../../platform/errors";
import { rawD1 } from "./d1";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { couponCovers, type CouponRule, type PricingLine } from "./pricing";

/**
 * Coupons / promotion codes. Whether a code applies to a cart is a pure check (`couponProblem`);
 * using it is `redeemCoupon`, which enforces the total and per-customer limits atomically in D1.
 */

export type CouponRow = typeof commerceCoupons.$inferSelect;

export interface CouponInput {
  code: string;
  name?: string;
  kind: CouponKind;
  percent_off_bps?: number | null;
  amount_off?: number | null;
  currency?: string | null;
  applies_to?: CouponScope;
  product_ids?: string[];
  min_subtotal?: number | null;
  starts_at?: string | null;
  ends_at?: string | null;
  first_order_only?: boolean;
  max_redemptions?: number | null;
  max_per_customer?: number | null;
  active?: boolean;
}

export const normalizeCode = (code: string) => code.trim().toUpperCase();

export const serializeCoupon = (c: CouponRow) => ({
  id: c.id,
  code: c.code,
  name: c.name,
  kind: c.kind,
  percent_off_bps: c.percentOffBps,
  amount_off: c.amountOff,
  currency: c.currency,
  applies_to: c.appliesTo,
  product_ids: c.productIds,
  min_subtotal: c.minSubtotal,
  starts_at: iso(c.startsAt),
  ends_at: iso(c.endsAt),
  first_order_only: c.firstOrderOnly,
  max_redemptions: c.maxRedemptions,
  max_per_customer: c.maxPerCustomer,
  redeemed_count: c.redeemedCount,
  active: c.active,
  created_at: new Date(c.createdAt).toISOString(),
  updated_at: new Date(c.updatedAt).toISOString(),
});

/** The kind's own field must be set and the other empty; money fields need a currency. */
function checkShape(c: {
  kind: CouponKind;
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
  minSubtotal: number | null;
  appliesTo: CouponScope;
  productIds: string[];
  startsAt: number | null;
  endsAt: number | null;
}) {
  const errors: { path: string; message: string }[] = [];
  if (c.kind === "percent" && !c.percentOffBps)
    errors.push({ path: "percent_off_bps", message: "required for a percent coupon (1–10000 basis points)" });
  if (c.kind === "percent" && c.amountOff !== null) errors.push({ path: "amount_off", message: "not for a percent coupon" });
  if (c.kind === "amount" && !c.amountOff) errors.push({ path: "amount_off", message: "required for an amount coupon (minor units)" });
  if (c.kind === "amount" && c.percentOffBps !== null) errors.push({ path: "percent_off_bps", message: "not for an amount coupon" });
  if ((c.amountOff !== null || c.minSubtotal !== null) && !c.currency)
    errors.push({ path: "currency", message: "required with amount_off or min_subtotal (amounts are in one currency)" });
  if (c.appliesTo === "products" && c.productIds.length === 0)
    errors.push({ path: "product_ids", message: "name the products the coupon applies to" });
  if (c.startsAt !== null && c.endsAt !== null && c.endsAt <= c.startsAt)
    errors.push({ path: "ends_at", message: "must be after starts_at" });
  if (errors.length) throw validationFailed(errors);
}

const ms = (s: string | null | undefined) => (s ? Date.parse(s) : null);
const codeTaken = (code: string) => conflict(`This workspace already has a coupon with the code ${code}.`, "code-taken");
const isClash = (err: unknown) =>
  /UNIQUE constraint failed: commerce_coupons/.test(`${(err as Error)?.message} ${(err as Error)?.cause ?? ""}`);

export async function getCoupon(db: Db, tenantId: string, id: string): Promise<CouponRow> {
  const row = await db
    .select()
    .from(commerceCoupons)
    .where(tenantScope(db, tenantId).where(commerceCoupons, eq(commerceCoupons.id, id)))
    .get();
  if (!row) throw notFound("Coupon");
  return row;
}

export async function findCouponByCode(db: Db, tenantId: string, code: string): Promise<CouponRow | null> {
  return (
    (await db
      .select()
      .from(commerceCoupons)
      .where(tenantScope(db, tenantId).where(commerceCoupons, eq(commerceCoupons.code, normalizeCode(code))))
      .get()) ?? null
  );
}

export async function listCoupons(db: Db, tenantId: string, q: PageQuery) {
  const ks = keyset(commerceCoupons.createdAt, commerceCoupons.id, q.cursor);
  const rows = await db
    .select()
    .from(commerceCoupons)
    .where(tenantScope(db, tenantId).where(commerceCoupons, ks.where))
    .orderBy(...ks.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeCoupon);
}

export async function createCoupon(db: Db, tenantId: string, input: CouponInput, actor: Actor) {
  const now = Date.now();
  const row = {
    tenantId,
    id: newId("cpn"),
    code: normalizeCode(input.code),
    name: input.name ?? "",
    kind: input.kind,
    percentOffBps: input.percent_off_bps ?? null,
    amountOff: input.amount_off ?? null,
    currency: input.currency ?? null,
    appliesTo: input.applies_to ?? "order",
    productIds: input.product_ids ?? [],
    minSubtotal: input.min_subtotal ?? null,
    startsAt: ms(input.starts_at),
    endsAt: ms(input.ends_at),
    firstOrderOnly: input.first_order_only ?? false,
    maxRedemptions: input.max_redemptions ?? null,
    maxPerCustomer: input.max_per_customer ?? null,
    redeemedCount: 0,
    active: input.active ?? true,
    createdAt: now,
    updatedAt: now,
  } satisfies CouponRow;
  checkShape(row);
  try {
    await db.batch([
      db.insert(commerceCoupons).values(row),
      auditInsert(db, actor, {
        tenantId,
        action: "commerce.coupon.created",
        target: { type: "commerce_coupon", id: row.id },
        metadata: { code: row.code },
      }),
    ]);
  } catch (err) {
    if (isClash(err)) throw codeTaken(row.code);
    throw err;
  }
  return serializeCoupon(row);
}

export async function updateCoupon(db: Db, tenantId: string, id: string, patch: Partial<CouponInput>, actor: Actor) {
  const cur = await getCoupon(db, tenantId, id);
  const next: CouponRow = {
    ...cur,
    ...(patch.code !== undefined ? { code: normalizeCode(patch.code) } : {}),
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
    ...(patch.percent_off_bps !== undefined ? { percentOffBps: patch.percent_off_bps } : {}),
    ...(patch.amount_off !== undefined ? { amountOff: patch.amount_off } : {}),
    ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
    ...(patch.applies_to !== undefined ? { appliesTo: patch.applies_to } : {}),
    ...(patch.product_ids !== undefined ? { productIds: patch.product_ids } : {}),
    ...(patch.min_subtotal !== undefined ? { minSubtotal: patch.min_subtotal } : {}),
    ...(patch.starts_at !== undefined ? { startsAt: ms(patch.starts_at) } : {}),
    ...(patch.ends_at !== undefined ? { endsAt: ms(patch.ends_at) } : {}),
    ...(patch.first_order_only !== undefined ? { firstOrderOnly: patch.first_order_only } : {}),
    ...(patch.max_redemptions !== undefined ? { maxRedemptions: patch.max_redemptions } : {}),
    ...(patch.max_per_customer !== undefined ? { maxPerCustomer: patch.max_per_customer } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
    updatedAt: Date.now(),
  };
  checkShape(next);
  const { tenantId: _t, id: _i, createdAt: _c, redeemedCount: _r, ...set } = next;
  try {
    await db.batch([
      db
        .update(commerceCoupons)
        .set(set)
        .where(and(eq(commerceCoupons.tenantId, tenantId), eq(commerceCoupons.id, id))),
      auditInsert(db, actor, {
        tenantId,
        action: "commerce.coupon.updated",
        target: { type: "commerce_coupon", id },
        metadata: { code: next.code },
      }),
    ]);
  } catch (err) {
    if (isClash(err)) throw codeTaken(next.code);
    throw err;
  }
  return serializeCoupon(await getCoupon(db, tenantId, id));
}

/** Deleting keeps nothing to redeem; a coupon with redemptions is deactivated instead (their history stays). */
export async function deleteCoupon(db: Db, tenantId: string, id: string, actor: Actor): Promise<void> {
  const c = await getCoupon(db, tenantId, id);
  const used = await db
    .select({ id: commerceCouponRedemptions.id })
    .from(commerceCouponRedemptions)
    .where(tenantScope(db, tenantId).where(commerceCouponRedemptions, eq(commerceCouponRedemptions.couponId, id)))
    .limit(1)
    .get();
  if (used) throw conflict("This coupon has been used; deactivate it (active: false) to keep its history.", "coupon-used");
  await db.batch([
    db.delete(commerceCoupons).where(and(eq(commerceCoupons.tenantId, tenantId), eq(commerceCoupons.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "commerce.coupon.deleted",
      target: { type: "commerce_coupon", id },
      metadata: { code: c.code },
    }),
  ]);
}

export const toCouponRule = (c: CouponRow): CouponRule => ({
  code: c.code,
  kind: c.kind,
  percentOffBps: c.percentOffBps,
  amountOff: c.amountOff,
  appliesTo: c.appliesTo,
  productIds: c.productIds,
});

export const COUPON_PROBLEMS = [
  "not_found",
  "inactive",
  "not_started",
  "expired",
  "currency",
  "min_subtotal",
  "not_applicable",
  "first_order_only",
  "usage_limit",
  "customer_limit",
] as const;
export type CouponProblem = (typeof COUPON_PROBLEMS)[number];

export const COUPON_PROBLEM_TEXT: Record<CouponProblem, string> = {
  not_found: "There is no such code.",
  inactive: "This code is no longer active.",
  not_started: "This code is not valid yet.",
  expired: "This code has expired.",
  currency: "This code is for another currency.",
  min_subtotal: "The order is below this code's minimum.",
  not_applicable: "This code does not apply to anything in the cart.",
  first_order_only: "This code is for a first order only.",
  usage_limit: "This code has been used up.",
  customer_limit: "You have already used this code.",
};

export interface CouponContext {
  currency: string;
  lines: Pick<PricingLine, "productId" | "unitAmount" | "quantity">[];
  now: number;
  /** The customer's paid orders (part 2 supplies the count; see paidOrderCount). */
  paidOrders: number;
  /** The customer's live (held or redeemed) uses of this coupon, when known. */
  customerUses?: number;
}

/** Why a coupon does not apply (null: it does). Pure; the limits are re-checked atomically by redeemCoupon. */
export function couponProblem(c: CouponRow, ctx: CouponContext): CouponProblem | null {
  if (!c.active) return "inactive";
  if (c.startsAt !== null && ctx.now < c.startsAt) return "not_started";
  if (c.endsAt !== null && ctx.now >= c.endsAt) return "expired";
  if (c.currency !== null && c.currency !== ctx.currency) return "currency";
  const subtotal = ctx.lines.reduce((s, l) => s + l.unitAmount * l.quantity, 0);
  if (c.minSubtotal !== null && subtotal < c.minSubtotal) return "min_subtotal";
  const rule = toCouponRule(c);
  if (!ctx.lines.some((l) => couponCovers(rule, l))) return "not_applicable";
  if (c.firstOrderOnly && ctx.paidOrders > 0) return "first_order_only";
  if (c.maxRedemptions !== null && c.redeemedCount >= c.maxRedemptions) return "usage_limit";
  if (c.maxPerCustomer !== null && (ctx.customerUses ?? 0) >= c.maxPerCustomer) return "customer_limit";
  return null;
}

/**
 * The customer's paid orders, for first-order-only coupons. Orders arrive with part 2 of the
 * commerce issue: it replaces this body with a count over its orders table (paid, not refunded in
 * full, same customer key). Until then nobody has a paid order.
 */
export async function paidOrderCount(_db: Db, _tenantId: string, _customerKey: string): Promise<number> {
  return 0;
}

/** "user:<end user id>" when signed in, else "email:<lower-cased address>". */
export function customerKey(c: { endUserId?: string | null; email?: string | null }): string | null {
  if (c.endUserId) return `user:${c.endUserId}`;
  if (c.email) return `email:${c.email.trim().toLowerCase()}`;
  return null;
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
  const existing = await db
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
           AND (c.max_redemptions IS NULL OR c.redeemed_count < c.max_redemptions)
           AND (c.max_per_customer IS NULL OR (
             SELECT count(*) FROM commerce_coupon_redemptions r
             WHERE r.tenant_id = c.tenant_id AND r.coupon_id = c.id AND r.customer_key = ?2 AND r.status != 'released'
           ) < c.max_per_customer)`,
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
  // Refused: say why (a read after the fact, for the message only).
  const c = await getCoupon(db, tenantId, o.couponId);
  if (!c.active) throw new CouponRefused("inactive");
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
