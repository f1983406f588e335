import { and, eq } from "drizzle-orm";
import { commerceSubscriptions } from "../../../schema/commerce-subscriptions";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { postSimulatorEvent } from "./payments/simulator";
import { simulatorAdvance, simulatorCancelEvent } from "./payments/simulator-subscriptions";
import { stripeCancelNow, stripeSetCancelAtPeriodEnd } from "./payments/stripe-subscriptions";
import { simulatorSecret, stripeCreds } from "./providers.service";
import { applySubscriptionObject } from "./subscriptions.lifecycle";
import { getSubscriptionRow, type SubscriptionRow } from "./subscriptions.service";

/**
 * Cancelling and resuming, by the customer (portal: at the period's end) or staff (now or at the
 * period's end), always through the provider: Stripe `subscriptions.update(id,
 * {cancel_at_period_end})` / `subscriptions.cancel(id)` with an Idempotency-Key, whose answer is
 * applied like its webhook (which then changes nothing); the simulator sends the same change as a
 * signed webhook. Our row never says "cancelled" unless the provider said so.
 */

export type CancelMode = "period_end" | "now";

const closed = (s: SubscriptionRow) =>
  new Problem(409, "subscription-closed", "Conflict", `This subscription is ${s.status}; it cannot be changed.`, { status: s.status });

async function throughProvider(
  env: Env,
  db: Db,
  sub: SubscriptionRow,
  change: CancelMode | "resume",
  origin: string,
  actor: string,
): Promise<SubscriptionRow> {
  if (sub.provider === "stripe") {
    const creds = await stripeCreds(db, env, sub.tenantId, false);
    if (!creds || !sub.providerSubscriptionId)
      throw new Problem(
        409,
        "provider-unavailable",
        "Conflict",
        "Stripe is not set up for this shop any more; change the subscription in Stripe.",
      );
    const key = `${sub.idempotencyKey}:${change}:${sub.updatedAt}`;
    const answer =
      change === "now"
        ? await stripeCancelNow(creds, sub.providerSubscriptionId, key)
        : await stripeSetCancelAtPeriodEnd(creds, sub.providerSubscriptionId, change === "period_end", key);
    await applySubscriptionObject(env, db, sub, change === "now" ? { ...answer, status: "canceled" } : answer, actor);
  } else if (sub.provider === "simulator") {
    if (!(await simulatorSecret(env, sub.tenantId)))
      throw new Problem(409, "provider-unavailable", "Conflict", "The payment simulator runs only outside production.");
    const res = await postSimulatorEvent(env, sub.tenantId, origin, simulatorCancelEvent(sub, change));
    if (res.status !== 200) throw new Error(`the simulated webhook was refused: ${res.status} ${res.body.slice(0, 200)}`);
  } else throw new Problem(409, "provider-unavailable", "Conflict", "PayPal subscriptions are not supported.");
  return getSubscriptionRow(db, sub.tenantId, sub.id);
}

export async function cancelSubscription(
  env: Env,
  db: Db,
  sub: SubscriptionRow,
  o: { mode: CancelMode; by: string; reason?: string | null; origin: string; audit?: Actor },
): Promise<SubscriptionRow> {
  if (sub.status === "canceled" || sub.status === "incomplete" || sub.status === "incomplete_expired") throw closed(sub);
  if (o.mode === "period_end" && sub.cancelAtPeriodEnd) return sub; // already ending: nothing to ask
  // Who asked and why is ours to keep; the state change is the provider's.
  const note = db
    .update(commerceSubscriptions)
    .set({ canceledBy: o.by, cancelReason: o.reason ?? null })
    .where(and(eq(commerceSubscriptions.tenantId, sub.tenantId), eq(commerceSubscriptions.id, sub.id)));
  if (o.audit)
    await db.batch([
      note,
      auditInsert(db, o.audit, {
        tenantId: sub.tenantId,
        action: o.mode === "now" ? "commerce.subscription_canceled" : "commerce.subscription_cancel_scheduled",
        target: { type: "commerce_subscription", id: sub.id },
        metadata: { reason: o.reason ?? null },
      }),
    ]);
  else await note;
  const noted = { ...sub, canceledBy: o.by, cancelReason: o.reason ?? null };
  return throughProvider(env, db, noted, o.mode, o.origin, o.by === "customer" ? "customer" : `member:${o.by}`);
}

/** Undo "cancel at period end" while the period runs. */
export async function resumeSubscription(
  env: Env,
  db: Db,
  sub: SubscriptionRow,
  o: { by: string; origin: string; audit?: Actor },
): Promise<SubscriptionRow> {
  if (sub.status === "canceled" || sub.status === "incomplete" || sub.status === "incomplete_expired") throw closed(sub);
  if (!sub.cancelAtPeriodEnd) return sub;
  if (o.audit)
    await db.batch([
      auditInsert(db, o.audit, {
        tenantId: sub.tenantId,
        action: "commerce.subscription_resumed",
        target: { type: "commerce_subscription", id: sub.id },
      }),
    ]);
  return throughProvider(env, db, sub, "resume", o.origin, o.by === "customer" ? "customer" : `member:${o.by}`);
}

/** The simulator's dev control: the current period ends now (renewal paid or failed, or the scheduled end). */
export async function advanceSimulatedSubscription(
  env: Env,
  db: Db,
  sub: SubscriptionRow,
  outcome: "paid" | "failed",
  origin: string,
): Promise<SubscriptionRow> {
  if (sub.provider !== "simulator" || !(await simulatorSecret(env, sub.tenantId)))
    throw new Problem(409, "not-simulated", "Conflict", "Only a simulator subscription, outside production, can be advanced by hand.");
  if (sub.status === "canceled" || sub.status === "incomplete" || sub.status === "incomplete_expired") throw closed(sub);
  for (const ev of simulatorAdvance(sub, outcome)) {
    const res = await postSimulatorEvent(env, sub.tenantId, origin, ev);
    if (res.status !== 200) throw new Error(`the simulated webhook was refused: ${res.status} ${res.body.slice(0, 200)}`);
  }
  return getSubscriptionRow(db, sub.tenantId, sub.id);
}
