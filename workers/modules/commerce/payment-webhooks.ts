import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { commerceProviderEvents } from "../../../schema/commerce-orders";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { getOrderRow, markFailed, orderOfPayment, type OrderRow } from "./orders.service";
import { markPaid } from "./payment-outcomes";
import { parseCustomId } from "./payments/paypal";
import { applyRefundSucceeded, findRefund, refundFailed } from "./refunds.service";
import { applySubscriptionEvent, linkCheckoutSession, SUBSCRIPTION_EVENT_TYPES } from "./subscriptions.lifecycle";

/**
 * What a verified provider event does to the workspace's orders. Every event id is recorded first
 * (`commerce_provider_events`, primary key (tenant, provider, event id)): a replay finds its row
 * and changes nothing. Then the event is applied through the conditional transitions, so an
 * out-of-order event (a failure after paid, a refund before paid) changes nothing it should not.
 * If applying throws, the record is removed so the provider's retry is applied.
 */

export const stripeEventSchema = z
  .object({ id: z.string(), type: z.string(), data: z.object({ object: z.record(z.string(), z.unknown()) }) })
  .passthrough();
export const paypalEventSchema = z
  .object({ id: z.string(), event_type: z.string(), resource: z.record(z.string(), z.unknown()) })
  .passthrough();

export type Ack = { received: true; replay: boolean; outcome: string; order_id: string | null };

async function recordOnce(
  db: Db,
  tenantId: string,
  provider: "stripe" | "paypal" | "simulator",
  eventId: string,
  type: string,
  apply: () => Promise<{ outcome: string; orderId: string | null }>,
): Promise<Ack> {
  const inserted = await db
    .insert(commerceProviderEvents)
    .values({ tenantId, provider, eventId, type, createdAt: Date.now() })
    .onConflictDoNothing()
    .returning({ eventId: commerceProviderEvents.eventId });
  const key = and(
    eq(commerceProviderEvents.tenantId, tenantId),
    eq(commerceProviderEvents.provider, provider),
    eq(commerceProviderEvents.eventId, eventId),
  );
  if (!inserted.length) return { received: true, replay: true, outcome: "replay", order_id: null };
  let r: { outcome: string; orderId: string | null };
  try {
    r = await apply();
  } catch (e) {
    await db.delete(commerceProviderEvents).where(key);
    throw e;
  }
  await db.update(commerceProviderEvents).set({ outcome: r.outcome, orderId: r.orderId }).where(key);
  return { received: true, replay: false, outcome: r.outcome, order_id: r.orderId };
}

const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const meta = (o: Record<string, unknown>) => (o.metadata && typeof o.metadata === "object" ? (o.metadata as Record<string, unknown>) : {});

/** The order a Stripe object points at: metadata.order_id (ours), else the session / PaymentIntent id. */
async function stripeOrder(db: Db, tenantId: string, o: Record<string, unknown>): Promise<OrderRow | null> {
  const m = meta(o);
  if (str(m.tenant_id) && m.tenant_id !== tenantId) return null;
  const id = str(m.order_id) ?? str(o.client_reference_id);
  if (id) return getOrderRow(db, tenantId, id).catch(() => null);
  return str(o.id) ? orderOfPayment(db, tenantId, str(o.id) ?? "") : null;
}

/**
 * A verified Stripe event. `viaSimulator`: signed with the simulator's secret — it may move only
 * simulator orders (a simulator signature never pays a real Stripe order).
 */
export async function applyStripeEvent(
  env: Env,
  db: Db,
  tenantId: string,
  ev: z.infer<typeof stripeEventSchema>,
  viaSimulator: boolean,
): Promise<Ack> {
  const provider = viaSimulator ? "simulator" : "stripe";
  const actor = `provider:${provider}`;
  // Recorded under the signer: a simulator-signed delivery never uses up a real Stripe event id.
  return recordOnce(db, tenantId, provider, ev.id, ev.type, async () => {
    const o = ev.data.object;
    // Subscriptions: customer.subscription.* and invoice.* (subscriptions.lifecycle.ts).
    if (SUBSCRIPTION_EVENT_TYPES.has(ev.type)) return applySubscriptionEvent(env, db, tenantId, ev, viaSimulator);
    const isRefund = ev.type === "refund.updated" || ev.type === "refund.created" || ev.type === "charge.refund.updated";
    if (isRefund || ev.type === "charge.refunded") {
      const refunds =
        ev.type === "charge.refunded"
          ? (((o.refunds as { data?: Record<string, unknown>[] } | undefined)?.data ?? []) as Record<string, unknown>[])
          : [o];
      let outcome = "ignored";
      let orderId: string | null = null;
      for (const re of refunds) {
        const r = await findRefund(db, tenantId, { id: str(meta(re).refund_id), providerRefundId: str(re.id) });
        if (!r) continue;
        const order = await getOrderRow(db, tenantId, r.orderId);
        if ((order.provider === "simulator") !== viaSimulator) continue;
        orderId = r.orderId;
        if (re.status === "succeeded") outcome = (await applyRefundSucceeded(env, db, tenantId, r.id, actor)) ? "refunded" : "unchanged";
        else if (re.status === "failed" || re.status === "canceled")
          outcome = (await refundFailed(db, tenantId, r.id, str(re.failure_reason) ?? String(re.status))) ? "refund_failed" : "unchanged";
      }
      return { outcome, orderId };
    }
    const order = await stripeOrder(db, tenantId, o);
    if (!order) return { outcome: "no_order", orderId: null };
    if ((order.provider === "simulator") !== viaSimulator) return { outcome: "wrong_signer", orderId: order.id };
    switch (ev.type) {
      case "checkout.session.completed":
      case "checkout.session.async_payment_succeeded": {
        // A subscription session: the provider's subscription joins our row (trialing or active).
        const sub = o.mode === "subscription" ? await linkCheckoutSession(db, order, o) : null;
        if (sub && o.payment_status === "no_payment_required") return { outcome: "trialing", orderId: order.id };
        if (o.payment_status !== "paid") return { outcome: "awaiting_payment", orderId: order.id };
        if (typeof o.amount_total === "number" && o.amount_total !== order.total) return { outcome: "amount_mismatch", orderId: order.id };
        const won = await markPaid(env, db, tenantId, order.id, {
          provider,
          captureId: str(o.payment_intent),
          actor,
          source: "webhook",
          eventId: ev.id,
        });
        return { outcome: won ? "paid" : "unchanged", orderId: order.id };
      }
      case "payment_intent.succeeded": {
        if (typeof o.amount_received === "number" && o.amount_received !== order.total)
          return { outcome: "amount_mismatch", orderId: order.id };
        const won = await markPaid(env, db, tenantId, order.id, {
          provider,
          captureId: str(o.id),
          actor,
          source: "webhook",
          eventId: ev.id,
        });
        return { outcome: won ? "paid" : "unchanged", orderId: order.id };
      }
      case "payment_intent.payment_failed":
      case "checkout.session.async_payment_failed":
      case "checkout.session.expired": {
        const err = o.last_payment_error as { message?: string } | undefined;
        const reason = ev.type === "checkout.session.expired" ? "The payment page expired." : (err?.message ?? "The payment failed.");
        const moved = await markFailed(db, tenantId, order.id, reason, actor, ev.id);
        return { outcome: moved ? "payment_failed" : "unchanged", orderId: order.id };
      }
      default:
        return { outcome: "ignored", orderId: order.id };
    }
  });
}

/** A verified PayPal event (Orders v2 captures and their refunds). */
export async function applyPaypalEvent(env: Env, db: Db, tenantId: string, ev: z.infer<typeof paypalEventSchema>): Promise<Ack> {
  const actor = "provider:paypal";
  return recordOnce(db, tenantId, "paypal", ev.id, ev.event_type, async () => {
    const res = ev.resource;
    if (ev.event_type === "PAYMENT.CAPTURE.REFUNDED") {
      const r = await findRefund(db, tenantId, { id: str(res.invoice_id), providerRefundId: str(res.id) });
      if (!r) return { outcome: "ignored", orderId: null };
      const ok = res.status === "COMPLETED" && (await applyRefundSucceeded(env, db, tenantId, r.id, actor));
      return { outcome: ok ? "refunded" : "unchanged", orderId: r.orderId };
    }
    const owner = parseCustomId(res.custom_id);
    if (!owner || owner.tenantId !== tenantId) return { outcome: "no_order", orderId: null };
    const order = await getOrderRow(db, tenantId, owner.orderId).catch(() => null);
    if (order?.provider !== "paypal") return { outcome: "no_order", orderId: null };
    if (ev.event_type === "PAYMENT.CAPTURE.COMPLETED") {
      const won = await markPaid(env, db, tenantId, order.id, {
        provider: "paypal",
        captureId: str(res.id),
        actor,
        source: "webhook",
        eventId: ev.id,
      });
      return { outcome: won ? "paid" : "unchanged", orderId: order.id };
    }
    if (ev.event_type === "PAYMENT.CAPTURE.DENIED" || ev.event_type === "PAYMENT.CAPTURE.DECLINED") {
      const moved = await markFailed(db, tenantId, order.id, `PayPal: capture ${String(res.status ?? "DENIED")}`, actor, ev.id);
      return { outcome: moved ? "payment_failed" : "unchanged", orderId: order.id };
    }
    return { outcome: "ignored", orderId: order.id };
  });
}
