import { OpenAPIHono } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { simulatorCheckouts, type BillingInterval, type PlanId, type SimulatorPaymentMethod } from "../../../schema/billing";
import type { AppEnv } from "../../platform/context";
import { getDb, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { billingConfig } from "./config";
import { latestOpenInvoice, type InvoiceRow } from "./invoices.service";
import { customId } from "./paypal/client";
import { signPaypalPayload } from "./paypal/signature";
import { PLANS, extraSeats, priceLookupKey, recurringCents, seatPriceCents, platformFeeCents } from "./plans";
import { billingNow } from "./simulator-clock";
import { SIMULATOR_CERT_PATH, SIMULATOR_PAYPAL_WEBHOOK_ID, simulatorSigner } from "./simulator.keys";
import { signStripePayload } from "./stripe/signature";
import { monthStart, periodEndFor, type SubscriptionRow } from "./subscription.service";
import { webhookRoutes } from "./webhooks.routes";

/**
 * The local payment simulator (no provider keys, non-production only). It stands in for Stripe
 * Checkout / PayPal approval: a local page approves or declines, and the simulator then POSTs
 * provider-shaped events, signed exactly as Stripe (t=/v1= HMAC) and PayPal (RSA transmission
 * signature) sign them, to the same /webhooks endpoints — so the real verification and
 * subscription code runs end to end. Everything it creates is marked `weft_simulator`.
 */
const hooks = new OpenAPIHono<AppEnv>().route("/webhooks", webhookRoutes);

export interface SimPlan {
  plan: PlanId;
  interval: BillingInterval;
  seats: number;
}

/** POSTs a signed event to our own webhook endpoint, in-process (no network). */
export async function postWebhook(
  env: Env,
  origin: string,
  provider: "stripe" | "paypal",
  event: unknown,
): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(event);
  const cfg = await billingConfig(env);
  if (!cfg.simulatorSecret) throw new Error("The payment simulator runs only locally");
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "Weft payment simulator" };
  if (provider === "stripe") headers["Stripe-Signature"] = await signStripePayload(body, cfg.simulatorSecret);
  else
    Object.assign(
      headers,
      await signPaypalPayload(await simulatorSigner(), body, SIMULATOR_PAYPAL_WEBHOOK_ID, `${origin}${SIMULATOR_CERT_PATH}`),
    );
  const res = await hooks.fetch(new Request(`${origin}/webhooks/${provider}`, { method: "POST", headers, body }), env);
  const text = await res.text();
  if (!res.ok) throw new Error(`simulated ${provider} webhook rejected: ${res.status} ${text}`);
  return { status: res.status, body: JSON.parse(text) };
}

const sec = (ms: number) => Math.floor(ms / 1000);
/** Provider-shaped events; `id` is deterministic where the cron must be able to send the same event twice (deduplicated by the webhook store). */
export const stripeEvent = (type: string, object: unknown, at = Date.now(), id = newId("evt")) => ({
  id,
  object: "event",
  type,
  created: sec(at),
  livemode: false,
  data: { object },
});
export const paypalEvent = (type: string, resource: unknown, at = Date.now(), id = `WH-SIM-${newId("e").slice(2).toUpperCase()}`) => ({
  id,
  event_type: type,
  create_time: new Date(at).toISOString(),
  resource_type: type.startsWith("PAYMENT") ? "sale" : "subscription",
  resource,
});

export function stripeSubscription(
  tenantId: string,
  subId: string,
  p: SimPlan,
  opts: { status: string; periodStart: number; periodEnd: number; trialEnd?: number | null; cancelAtPeriodEnd?: boolean },
) {
  const item = (lookup: string, qty: number, unit: number) => ({
    id: `si_sim_${lookup}`,
    object: "subscription_item",
    quantity: qty,
    price: { id: `price_sim_${lookup}`, object: "price", lookup_key: lookup, unit_amount: unit, currency: "usd" },
    current_period_start: sec(opts.periodStart),
    current_period_end: sec(opts.periodEnd),
  });
  const items = [item(priceLookupKey(p.plan, p.interval, "base"), 1, platformFeeCents(p.plan, p.interval))];
  const extra = extraSeats(p.plan, p.seats);
  if (extra > 0) items.push(item(priceLookupKey(p.plan, p.interval, "seat"), extra, seatPriceCents(p.plan, p.interval)));
  return {
    id: subId,
    object: "subscription",
    customer: `cus_sim_${tenantId.replace(/^ten_/, "")}`,
    status: opts.status,
    metadata: { tenant_id: tenantId, plan: p.plan, interval: p.interval, seats: String(p.seats), weft_simulator: "true" },
    items: { object: "list", data: items },
    trial_end: opts.trialEnd ? sec(opts.trialEnd) : null,
    cancel_at_period_end: !!opts.cancelAtPeriodEnd,
  };
}

export function stripeInvoice(tenantId: string, inv: InvoiceRow) {
  return {
    id: inv.providerInvoiceId ?? `in_sim_${inv.id.replace(/^inv_/, "")}`,
    object: "invoice",
    customer: `cus_sim_${tenantId.replace(/^ten_/, "")}`,
    amount_due: inv.totalCents,
    amount_paid: inv.totalCents,
    currency: "usd",
    hosted_invoice_url: null,
    period_start: sec(inv.periodStart),
    period_end: sec(inv.periodEnd),
    metadata: { tenant_id: tenantId, weft_invoice_id: inv.id, weft_simulator: "true" },
  };
}

export function paypalSubscription(tenantId: string, subId: string, p: SimPlan, status: string, periodEnd: number) {
  return {
    id: subId,
    status,
    plan_id: `P-SIM-${p.plan.toUpperCase()}-${p.interval.toUpperCase()}`,
    custom_id: customId(tenantId, p.plan, p.interval, p.seats),
    quantity: "1",
    billing_info: { next_billing_time: new Date(periodEnd).toISOString() },
    subscriber: { payer_id: `SIMPAYER${tenantId.slice(-6).toUpperCase()}` },
  };
}

/** Records a simulated checkout; the returned path is the local approve/decline page. */
export async function createSimulatorCheckout(
  db: Db,
  tenantId: string,
  input: SimPlan & { provider: "stripe" | "paypal"; trial: boolean; returnUrl: string },
) {
  const id = newId("simco");
  const now = Date.now();
  await db.insert(simulatorCheckouts).values({
    tenantId,
    id,
    provider: input.provider,
    plan: input.plan,
    interval: input.interval,
    seats: input.seats,
    trial: input.trial,
    status: "open",
    returnUrl: input.returnUrl,
    createdAt: now,
    updatedAt: now,
  });
  return { id, path: `/dev/payment-simulator/checkout/${id}` };
}

export async function getSimulatorCheckout(db: Db, id: string) {
  return db.select().from(simulatorCheckouts).where(eq(simulatorCheckouts.id, id)).get();
}

/** Approve: subscription created/activated, then the first invoice paid — as signed webhooks. */
export async function approveSimulatorCheckout(
  env: Env,
  db: Db,
  origin: string,
  id: string,
  paymentMethod: SimulatorPaymentMethod = "card",
) {
  const co = await getSimulatorCheckout(db, id);
  if (co?.status !== "open") return null;
  if (paymentMethod === "none" && !co.trial) return null; // only a trial starts without a payment method
  await db
    .update(simulatorCheckouts)
    .set({ status: "approved", paymentMethod, updatedAt: Date.now() })
    .where(tenantScope(db, co.tenantId).where(simulatorCheckouts, eq(simulatorCheckouts.id, id)));
  const p: SimPlan = { plan: co.plan, interval: co.interval, seats: co.seats };
  const now = await billingNow(env, db, co.tenantId); // ahead of real time when the workspace's test clock was advanced
  const periodStart = monthStart(now);
  const periodEnd = periodEndFor(periodStart, co.interval);
  if (co.provider === "stripe") {
    const trialEnd = co.trial && PLANS[co.plan].trialDays ? now + PLANS[co.plan].trialDays * 86_400_000 : null;
    const subId = `sub_sim_${co.id.replace(/^simco_/, "")}`;
    await postWebhook(
      env,
      origin,
      "stripe",
      stripeEvent(
        "customer.subscription.created",
        stripeSubscription(co.tenantId, subId, p, { status: trialEnd ? "trialing" : "active", periodStart, periodEnd, trialEnd }),
        now,
      ),
    );
  } else {
    const subId = `I-SIM${co.id
      .replace(/^simco_/, "")
      .toUpperCase()
      .slice(-12)}`;
    await postWebhook(
      env,
      origin,
      "paypal",
      paypalEvent("BILLING.SUBSCRIPTION.ACTIVATED", paypalSubscription(co.tenantId, subId, p, "ACTIVE", periodEnd), now),
    );
  }
  await collectOpenInvoice(env, db, origin, co.tenantId, co.provider, "paid");
  return co;
}

export async function declineSimulatorCheckout(db: Db, id: string) {
  const co = await getSimulatorCheckout(db, id);
  if (co?.status !== "open") return null;
  await db
    .update(simulatorCheckouts)
    .set({ status: "declined", updatedAt: Date.now() })
    .where(tenantScope(db, co.tenantId).where(simulatorCheckouts, eq(simulatorCheckouts.id, id)));
  return co;
}

/** Simulates the provider collecting (or failing to collect) the latest open invoice. */
export async function collectOpenInvoice(
  env: Env,
  db: Db,
  origin: string,
  tenantId: string,
  flavour: "stripe" | "paypal",
  outcome: "paid" | "failed",
) {
  const inv = await latestOpenInvoice(db, tenantId);
  if (!inv) return null;
  // Never older than the invoice's last state (the cron may have acted on it with a later clock).
  const at = Math.max(await billingNow(env, db, tenantId), inv.stateAt + 1000);
  if (flavour === "stripe") {
    await postWebhook(
      env,
      origin,
      "stripe",
      stripeEvent(outcome === "paid" ? "invoice.paid" : "invoice.payment_failed", stripeInvoice(tenantId, inv), at),
    );
  } else if (outcome === "paid") {
    await postWebhook(
      env,
      origin,
      "paypal",
      paypalEvent(
        "PAYMENT.SALE.COMPLETED",
        {
          id: `SALE-SIM-${inv.id.slice(-10).toUpperCase()}`,
          amount: { total: (inv.totalCents / 100).toFixed(2), currency: "USD" },
          custom_id: `${tenantId}|${inv.plan}|month|1`,
          invoice_number: inv.id,
          state: "completed",
        },
        at,
      ),
    );
  } else {
    const sub = {
      id: `I-SIM-${tenantId.slice(-8)}`,
      status: "ACTIVE",
      custom_id: `${tenantId}|${inv.plan}|month|1`,
      billing_info: { last_failed_payment: { amount: { value: (inv.totalCents / 100).toFixed(2), currency_code: "USD" } } },
    };
    await postWebhook(env, origin, "paypal", paypalEvent("BILLING.SUBSCRIPTION.PAYMENT.FAILED", sub, at));
  }
  return inv;
}

/** Plan/seat change or cancellation of a simulated subscription: the provider's "updated"/"deleted" events. */
export async function simulateSubscriptionChange(
  env: Env,
  origin: string,
  sub: SubscriptionRow,
  next: SimPlan & { cancelAtPeriodEnd?: boolean },
  when?: number,
) {
  const at = when ?? (await billingNow(env, getDb(env.DB), sub.tenantId));
  const flavour = sub.providerSubscriptionId?.startsWith("I-") ? "paypal" : "stripe";
  const periodStart = next.interval === sub.interval ? sub.periodStart : monthStart(at);
  const periodEnd = next.interval === sub.interval ? sub.periodEnd : periodEndFor(periodStart, next.interval);
  if (flavour === "stripe") {
    await postWebhook(
      env,
      origin,
      "stripe",
      stripeEvent(
        "customer.subscription.updated",
        stripeSubscription(sub.tenantId, sub.providerSubscriptionId!, next, {
          status: sub.status === "trialing" ? "trialing" : sub.status === "past_due" ? "past_due" : "active",
          periodStart,
          periodEnd,
          trialEnd: sub.trialEndsAt,
          cancelAtPeriodEnd: next.cancelAtPeriodEnd,
        }),
        at,
      ),
    );
  } else {
    await postWebhook(
      env,
      origin,
      "paypal",
      paypalEvent(
        "BILLING.SUBSCRIPTION.UPDATED",
        paypalSubscription(sub.tenantId, sub.providerSubscriptionId!, next, "ACTIVE", periodEnd),
        at,
      ),
    );
  }
}

export async function simulateSubscriptionEnd(env: Env, origin: string, sub: SubscriptionRow) {
  const at = await billingNow(env, getDb(env.DB), sub.tenantId);
  if (sub.providerSubscriptionId?.startsWith("I-")) {
    await postWebhook(
      env,
      origin,
      "paypal",
      paypalEvent(
        "BILLING.SUBSCRIPTION.CANCELLED",
        paypalSubscription(sub.tenantId, sub.providerSubscriptionId, sub, "CANCELLED", sub.periodEnd),
        at,
      ),
    );
  } else {
    await postWebhook(
      env,
      origin,
      "stripe",
      stripeEvent(
        "customer.subscription.deleted",
        stripeSubscription(sub.tenantId, sub.providerSubscriptionId!, sub, {
          status: "canceled",
          periodStart: sub.periodStart,
          periodEnd: sub.periodEnd,
        }),
        at,
      ),
    );
  }
}

export const simulatorPrice = (p: SimPlan) => recurringCents(p.plan, p.interval, p.seats);
