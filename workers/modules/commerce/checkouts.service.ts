import { and, asc, eq, inArray } from "drizzle-orm";
import { commerceCartLines, commerceCarts } from "../../../schema/commerce";
import { commerceCheckouts, type Address } from "../../../schema/commerce-orders";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { notFound, Problem, validationFailed } from "../../platform/errors";
import { randomToken } from "../../platform/ids";
import { getCartRow } from "./carts.service";
import { priceCheckoutLines, type CheckoutLine, type PricedCheckout } from "./checkout-pricing";
import { customerKey } from "./coupon-rules";
import { normalizeCode } from "./coupons.service";
import { releaseReservations, reserveStock } from "./inventory.service";
import { recordFunnel } from "./order-events";
import { getSettings } from "./settings.service";
import { assertSubscriptionMix } from "./subscriptions.plans";
import type { StoredTotals } from "./checkout-view";

// The public shape lives in checkout-view.ts; re-exported for the hosted pages that import it from here.
export { serializeCheckout, storedTotals, type StoredTotals } from "./checkout-view";

/**
 * Checkouts: a priced snapshot of a cart (or of a Buy link's lines) that holds its stock
 * (`reserveStock(checkoutId)`, all or nothing, for the shop's `reservation_minutes`) until it is
 * paid or expires. Prices come from the catalogue on the server only and are recomputed on every
 * change (PATCH) and once more when paying. The coupon is checked (the pure rule) while the buyer
 * edits and *used* — `redeemCoupon`, the atomic limits — when they pay (checkouts.pay.ts), because
 * only then is the customer (their email) known for the per-customer limit.
 */

export type CheckoutRow = typeof commerceCheckouts.$inferSelect;

export interface CheckoutInput {
  cart_id?: string;
  lines?: { variant_id: string; quantity: number }[];
  currency?: string;
  email?: string | null;
  shipping_address?: Address | null;
  shipping_rate_id?: string | null;
  coupon_code?: string | null;
  success_url?: string | null;
  cancel_url?: string | null;
  end_user_id?: string | null;
}

export type CheckoutPatch = Pick<CheckoutInput, "email" | "shipping_address" | "shipping_rate_id" | "coupon_code">;

export async function getCheckoutRow(db: Db, tenantId: string, id: string): Promise<CheckoutRow> {
  const row = await db
    .select()
    .from(commerceCheckouts)
    .where(tenantScope(db, tenantId).where(commerceCheckouts, eq(commerceCheckouts.id, id)))
    .get();
  if (!row) throw notFound("Checkout");
  return row;
}

function totalsOf(p: PricedCheckout): StoredTotals {
  return {
    ...p.totals,
    shipping_options: p.shippingOptions,
    shipping_name: p.shippingName,
    coupon_problem: p.couponProblem,
    coupon_message: p.couponMessage,
    coupon_id: p.couponId,
  };
}

async function price(db: Db, tenantId: string, co: Omit<CheckoutRow, "lines"> & { lines: { variant_id: string; quantity: number }[] }) {
  return priceCheckoutLines(db, tenantId, {
    currency: co.currency,
    lines: co.lines.map((l) => ({ variantId: l.variant_id, quantity: l.quantity })),
    couponCode: co.couponCode,
    customerKey: co.customerKey,
    country: co.shippingAddress?.country ?? null,
    region: co.shippingAddress?.region ?? null,
    shippingRateId: co.shippingRateId,
  });
}

/** Creates a checkout (201) — or, for a cart already checked out, answers its live checkout again. */
export async function createCheckout(
  env: Env,
  db: Db,
  tenantId: string,
  input: CheckoutInput,
  o: { urlAllowed: (url: string) => boolean; now?: number } = { urlAllowed: () => true },
): Promise<{ checkout: CheckoutRow; created: boolean }> {
  const now = o.now ?? Date.now();
  for (const f of ["success_url", "cancel_url"] as const) {
    const u = input[f];
    if (u && !o.urlAllowed(u)) throw validationFailed([{ path: f, message: "must be on one of the key's allowed origins" }]);
  }
  const settings = await getSettings(db, tenantId);
  let lines: { variant_id: string; quantity: number }[];
  let currency: string;
  let cart: Awaited<ReturnType<typeof getCartRow>> | null = null;
  if (input.cart_id) {
    cart = await getCartRow(db, tenantId, input.cart_id);
    if (cart.status === "checked_out") {
      const last = (await liveCheckoutsOfCart(db, tenantId, cart.id)).at(-1);
      if (last) return { checkout: last, created: false };
    }
    if (cart.status === "merged")
      throw new Problem(409, "cart-closed", "Conflict", "This cart was merged into another one.", { merged_into: cart.mergedInto });
    const rows = await db
      .select({ variantId: commerceCartLines.variantId, quantity: commerceCartLines.quantity })
      .from(commerceCartLines)
      .where(tenantScope(db, tenantId).where(commerceCartLines, eq(commerceCartLines.cartId, cart.id)))
      .orderBy(asc(commerceCartLines.createdAt), asc(commerceCartLines.id));
    lines = rows.map((r) => ({ variant_id: r.variantId, quantity: r.quantity }));
    currency = cart.currency;
  } else {
    lines = input.lines ?? [];
    currency = (input.currency ?? settings.default_currency).toUpperCase();
    if (!settings.currencies.includes(currency))
      throw validationFailed([{ path: "currency", message: `this shop sells in ${settings.currencies.join(", ")}` }]);
  }
  if (!lines.length) throw validationFailed([{ path: input.cart_id ? "cart_id" : "lines", message: "nothing to buy" }]);

  const email = (input.email ?? cart?.email ?? null)?.trim().toLowerCase() || null;
  const endUserId = input.end_user_id ?? cart?.endUserId ?? null;
  const address = input.shipping_address ?? null;
  const base = {
    tenantId,
    id: `chk_${randomToken(20)}`,
    cartId: cart?.id ?? null,
    endUserId,
    email,
    customerKey: customerKey({ endUserId, email }),
    currency,
    shippingAddress: address,
    shippingRateId: input.shipping_rate_id ?? cart?.shippingRateId ?? null,
    couponCode: input.coupon_code ? normalizeCode(input.coupon_code) : (cart?.couponCode ?? null),
    status: "open" as const,
    orderId: null,
    successUrl: input.success_url ?? null,
    cancelUrl: input.cancel_url ?? null,
    expiresAt: now + settings.reservation_minutes * 60_000,
    createdAt: now,
    updatedAt: now,
  };
  const priced = await priceCheckoutLines(db, tenantId, {
    currency,
    lines: lines.map((l) => ({ variantId: l.variant_id, quantity: l.quantity })),
    couponCode: base.couponCode,
    customerKey: base.customerKey,
    country: address?.country ?? cart?.country ?? null,
    region: address?.region ?? cart?.region ?? null,
    shippingRateId: base.shippingRateId,
    now,
  });
  // One-off items and a subscription never share a checkout (422 subscription-checkout-mix).
  await assertSubscriptionMix(db, tenantId, priced.lines);
  await reserveStock(
    db,
    tenantId,
    base.id,
    priced.lines.map((l) => ({ variantId: l.variant_id, quantity: l.quantity })),
    { holdMinutes: settings.reservation_minutes, now },
  );
  const row: CheckoutRow = { ...base, shippingRateId: priced.shippingRateId, lines: priced.lines, totals: totalsOf(priced) };
  await db.insert(commerceCheckouts).values(row);
  if (cart) {
    // One checkout per cart: only the request that closes the cart keeps its checkout. Each racer
    // inserts its checkout before closing the cart, so the loser always finds the winner's.
    const closed = await db
      .update(commerceCarts)
      .set({ status: "checked_out", updatedAt: now })
      .where(and(eq(commerceCarts.tenantId, tenantId), eq(commerceCarts.id, cart.id), eq(commerceCarts.status, "open")))
      .returning({ id: commerceCarts.id });
    if (!closed.length) {
      await releaseReservations(db, tenantId, base.id, now);
      await db
        .update(commerceCheckouts)
        .set({ status: "cancelled", updatedAt: now })
        .where(and(eq(commerceCheckouts.tenantId, tenantId), eq(commerceCheckouts.id, base.id)));
      const winner = (await liveCheckoutsOfCart(db, tenantId, cart.id)).find((c) => c.id !== base.id);
      if (winner) return { checkout: winner, created: false };
      throw new Problem(409, "cart-closed", "Conflict", "This cart was checked out or merged meanwhile.");
    }
  }
  await recordFunnel(env, tenantId, "checkout_started", row.id, endUserId ?? email ?? row.id, {
    currency,
    total: row.totals.total,
    items: priced.lines.reduce((n, l) => n + l.quantity, 0),
  });
  return { checkout: row, created: true };
}

async function liveCheckoutsOfCart(db: Db, tenantId: string, cartId: string): Promise<CheckoutRow[]> {
  return db
    .select()
    .from(commerceCheckouts)
    .where(
      tenantScope(db, tenantId).where(
        commerceCheckouts,
        eq(commerceCheckouts.cartId, cartId),
        inArray(commerceCheckouts.status, ["open", "paying", "completed"]),
      ),
    )
    .orderBy(asc(commerceCheckouts.createdAt), asc(commerceCheckouts.id));
}

export function assertOpen(co: CheckoutRow, now = Date.now()): void {
  if (co.status === "open" && co.expiresAt <= now)
    throw new Problem(409, "checkout-expired", "Conflict", "This checkout's hold ran out; start again from the cart.", {
      status: "expired",
    });
  if (co.status !== "open") throw new Problem(409, "checkout-closed", "Conflict", `This checkout is ${co.status}.`, { status: co.status });
}

/** PATCH: the buyer's details; re-priced on the server (tax by address, shipping, coupon). */
export async function updateCheckout(db: Db, tenantId: string, id: string, patch: CheckoutPatch): Promise<CheckoutRow> {
  const co = await getCheckoutRow(db, tenantId, id);
  assertOpen(co);
  const email = patch.email === undefined ? co.email : patch.email?.trim().toLowerCase() || null;
  const next = {
    ...co,
    email,
    customerKey: customerKey({ endUserId: co.endUserId, email }),
    shippingAddress: patch.shipping_address === undefined ? co.shippingAddress : patch.shipping_address,
    shippingRateId: patch.shipping_rate_id === undefined ? co.shippingRateId : patch.shipping_rate_id,
    couponCode: patch.coupon_code === undefined ? co.couponCode : patch.coupon_code ? normalizeCode(patch.coupon_code) : null,
  };
  const priced = await price(db, tenantId, { ...next, lines: next.lines as CheckoutLine[] });
  const set = {
    email: next.email,
    customerKey: next.customerKey,
    shippingAddress: next.shippingAddress,
    shippingRateId: priced.shippingRateId,
    couponCode: next.couponCode,
    lines: priced.lines,
    totals: totalsOf(priced),
    updatedAt: Date.now(),
  };
  const rows = await db
    .update(commerceCheckouts)
    .set(set)
    .where(and(eq(commerceCheckouts.tenantId, tenantId), eq(commerceCheckouts.id, id), eq(commerceCheckouts.status, "open")))
    .returning();
  const updated = rows[0];
  if (!updated) return assertOpenAfterRace(db, tenantId, id);
  return updated;
}

async function assertOpenAfterRace(db: Db, tenantId: string, id: string): Promise<never> {
  const co = await getCheckoutRow(db, tenantId, id);
  assertOpen(co);
  throw new Problem(409, "checkout-closed", "Conflict", "This checkout changed meanwhile; read it again.");
}

/** Re-prices the checkout as it stands (pay does this once more before charging). */
export async function repriceCheckout(db: Db, co: CheckoutRow): Promise<CheckoutRow> {
  const priced = await price(db, co.tenantId, { ...co, lines: co.lines as CheckoutLine[] });
  const set = { shippingRateId: priced.shippingRateId, lines: priced.lines, totals: totalsOf(priced), updatedAt: Date.now() };
  await db
    .update(commerceCheckouts)
    .set(set)
    .where(and(eq(commerceCheckouts.tenantId, co.tenantId), eq(commerceCheckouts.id, co.id)));
  return { ...co, ...set };
}
