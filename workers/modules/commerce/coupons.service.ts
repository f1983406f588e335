import { and, eq } from "drizzle-orm";
import { commerceCouponRedemptions, commerceCoupons, type CouponKind, type CouponScope } from "../../../schema/commerce";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";

/**
 * Coupons / promotion codes: the staff's CRUD. Whether a code applies is coupon-rules.ts (pure);
 * using it, under its limits, is redemptions.service.ts.
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
