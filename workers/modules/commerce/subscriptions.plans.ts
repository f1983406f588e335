import { eq, inArray } from "drizzle-orm";
import { commerceProducts } from "../../../schema/commerce";
import { commerceSubscriptionPlans, type CommerceSubscriptionInterval } from "../../../schema/commerce-subscriptions";
import { tenantScope, type Db } from "../../platform/db";
import { notFound, Problem } from "../../platform/errors";
import { chunks } from "./products.read";

/**
 * Recurring products: a product is sold as a subscription when it has a plan row (interval, count,
 * trial days); its variants' prices are then the price per period. A checkout is either all one-off
 * lines or exactly one subscription line (one provider subscription per checkout) — the rule
 * `assertSubscriptionMix` applies when a checkout is created and again when it is paid.
 */

export type PlanRow = typeof commerceSubscriptionPlans.$inferSelect;
export interface Recurring {
  interval: CommerceSubscriptionInterval;
  interval_count: number;
  trial_days: number;
}

export const serializeRecurring = (p: PlanRow | null | undefined): Recurring | null =>
  p ? { interval: p.interval, interval_count: p.intervalCount, trial_days: p.trialDays } : null;

export async function plansOf(db: Db, tenantId: string, productIds: string[]): Promise<Map<string, PlanRow>> {
  const out = new Map<string, PlanRow>();
  const ids = [...new Set(productIds)];
  for (const part of chunks(ids, 80)) {
    if (!part.length) continue;
    const rows = await db
      .select()
      .from(commerceSubscriptionPlans)
      .where(tenantScope(db, tenantId).where(commerceSubscriptionPlans, inArray(commerceSubscriptionPlans.productId, part)));
    for (const r of rows) out.set(r.productId, r);
  }
  return out;
}

export async function setPlan(db: Db, tenantId: string, productId: string, r: Recurring): Promise<PlanRow> {
  const product = await db
    .select({ id: commerceProducts.id })
    .from(commerceProducts)
    .where(tenantScope(db, tenantId).where(commerceProducts, eq(commerceProducts.id, productId)))
    .get();
  if (!product) throw notFound("Product");
  const now = Date.now();
  const row: PlanRow = {
    tenantId,
    productId,
    interval: r.interval,
    intervalCount: r.interval_count,
    trialDays: r.trial_days,
    createdAt: now,
    updatedAt: now,
  };
  await db
    .insert(commerceSubscriptionPlans)
    .values(row)
    .onConflictDoUpdate({
      target: [commerceSubscriptionPlans.tenantId, commerceSubscriptionPlans.productId],
      set: { interval: row.interval, intervalCount: row.intervalCount, trialDays: row.trialDays, updatedAt: now },
    });
  return (await plansOf(db, tenantId, [productId])).get(productId) ?? row;
}

/** Makes the product one-off again (existing subscriptions keep their snapshot and go on). */
export async function deletePlan(db: Db, tenantId: string, productId: string): Promise<boolean> {
  const rows = await db
    .delete(commerceSubscriptionPlans)
    .where(tenantScope(db, tenantId).where(commerceSubscriptionPlans, eq(commerceSubscriptionPlans.productId, productId)))
    .returning({ id: commerceSubscriptionPlans.productId });
  return rows.length > 0;
}

export class SubscriptionMix extends Problem {
  constructor(detail: string, lines: string[]) {
    super(422, "subscription-checkout-mix", "Subscriptions are bought on their own", detail, {
      errors: lines.map((id) => ({ path: `lines.${id}`, message: detail })),
    });
  }
}

/**
 * The plan of a checkout's lines: null for a one-off checkout, the one plan for a checkout of a
 * single subscription line; a 422 for one-off and subscription lines together or two subscriptions.
 */
export async function assertSubscriptionMix(
  db: Db,
  tenantId: string,
  lines: { product_id: string; variant_id: string }[],
): Promise<PlanRow | null> {
  const plans = await plansOf(
    db,
    tenantId,
    lines.map((l) => l.product_id),
  );
  const recurring = lines.filter((l) => plans.has(l.product_id));
  if (!recurring.length) return null;
  if (recurring.length < lines.length)
    throw new SubscriptionMix(
      "One-off items and subscriptions cannot share a checkout: buy the subscription on its own.",
      recurring.map((l) => l.variant_id),
    );
  if (recurring.length > 1)
    throw new SubscriptionMix(
      "A checkout holds one subscription: subscribe to each one separately.",
      recurring.map((l) => l.variant_id),
    );
  return plans.get(recurring[0]?.product_id ?? "") ?? null;
}

/** "€9 / month", "$90 / 2 years": the period label next to a formatted amount. */
export function periodLabel(r: { interval: CommerceSubscriptionInterval; interval_count?: number; intervalCount?: number }): string {
  const n = r.interval_count ?? r.intervalCount ?? 1;
  return n === 1 ? r.interval : `${n} ${r.interval}s`;
}
