import Stripe from "stripe";
import type { BillingInterval, PlanId } from "../../../../schema/billing";
import { badRequest, Problem } from "../../../platform/errors";
import type { BillingConfig } from "../config";
import { PLANS, extraSeats, priceLookupKey, type MeterName } from "../plans";
import { providerFetch } from "../transport";

type StripeCfg = NonNullable<BillingConfig["stripe"]>;

/** The official SDK on Workers: fetch HTTP client + SubtleCrypto; host/port/protocol from STRIPE_API_BASE. */
export function stripeClient(cfg: StripeCfg): Stripe {
  const base = cfg.apiBase;
  return new Stripe(cfg.secretKey, {
    httpClient: Stripe.createFetchHttpClient(providerFetch),
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "http:" ? 80 : 443),
          protocol: base.protocol.replace(":", "") as "http" | "https",
        }
      : {}),
  });
}
export const stripeCrypto = Stripe.createSubtleCryptoProvider();

function providerError(e: unknown): Problem {
  const msg = e instanceof Error ? e.message : String(e);
  return new Problem(502, "payment-provider-error", "Payment provider error", `Stripe did not accept the request: ${msg}`);
}

/** Price ids for a plan/interval (platform fee and per-seat), by lookup key. */
export async function stripePrices(
  stripe: Stripe,
  plan: PlanId,
  interval: BillingInterval,
): Promise<{ base: string; seat: string | null }> {
  const keys = [priceLookupKey(plan, interval, "base"), priceLookupKey(plan, interval, "seat")];
  const list = await stripe.prices.list({ lookup_keys: keys, active: true, limit: 10 });
  const base = list.data.find((p) => p.lookup_key === keys[0]);
  const seat = list.data.find((p) => p.lookup_key === keys[1]);
  if (!base) throw badRequest(`Stripe has no active price with lookup key ${keys[0]}; create the catalog prices first.`);
  return { base: base.id, seat: seat?.id ?? null };
}

export interface CheckoutInput {
  tenantId: string;
  customerId: string | null;
  email: string | null;
  plan: PlanId;
  interval: BillingInterval;
  seats: number;
  trial: boolean;
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
}

/** Stripe Checkout Session (mode subscription) for a plan and seat count. Returns the hosted URL. */
export async function createStripeCheckout(cfg: StripeCfg, input: CheckoutInput): Promise<{ id: string; url: string; customerId: string }> {
  const stripe = stripeClient(cfg);
  try {
    const customerId =
      input.customerId ??
      (
        await stripe.customers.create(
          { email: input.email ?? undefined, metadata: { tenant_id: input.tenantId } },
          { idempotencyKey: `weft-customer-${input.tenantId}` },
        )
      ).id;
    const prices = await stripePrices(stripe, input.plan, input.interval);
    const extra = extraSeats(input.plan, input.seats);
    const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] = [{ price: prices.base, quantity: 1 }];
    if (extra > 0) {
      if (!prices.seat) throw badRequest(`Stripe has no seat price for ${input.plan}/${input.interval}.`);
      lineItems.push({ price: prices.seat, quantity: extra });
    }
    const meta = { tenant_id: input.tenantId, plan: input.plan, interval: input.interval, seats: String(input.seats) };
    const session = await stripe.checkout.sessions.create(
      {
        mode: "subscription",
        customer: customerId,
        client_reference_id: input.tenantId,
        line_items: lineItems,
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        metadata: meta,
        subscription_data: {
          metadata: meta,
          ...(input.trial && PLANS[input.plan].trialDays ? { trial_period_days: PLANS[input.plan].trialDays } : {}),
        },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    if (!session.url) throw new Error("Checkout Session has no URL");
    return { id: session.id, url: session.url, customerId };
  } catch (e) {
    if (e instanceof Problem) throw e;
    throw providerError(e);
  }
}

/** Customer Portal session: payment methods, invoices, cancelling. */
export async function createStripePortal(cfg: StripeCfg, customerId: string, returnUrl: string): Promise<string> {
  try {
    const s = await stripeClient(cfg).billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
    return s.url;
  } catch (e) {
    throw providerError(e);
  }
}

/** Changes plan/interval/seats on the existing subscription with prorations. */
export async function changeStripeSubscription(
  cfg: StripeCfg,
  input: { tenantId: string; subscriptionId: string; plan: PlanId; interval: BillingInterval; seats: number; idempotencyKey: string },
): Promise<void> {
  const stripe = stripeClient(cfg);
  try {
    const sub = await stripe.subscriptions.retrieve(input.subscriptionId);
    const prices = await stripePrices(stripe, input.plan, input.interval);
    const items: Stripe.SubscriptionUpdateParams.Item[] = [];
    const isSeat = (k?: string | null) => !!k && /_seat_/.test(k);
    const baseItem = sub.items.data.find((i) => !isSeat(i.price.lookup_key));
    const seatItem = sub.items.data.find((i) => isSeat(i.price.lookup_key));
    items.push(baseItem ? { id: baseItem.id, price: prices.base, quantity: 1 } : { price: prices.base, quantity: 1 });
    const extra = extraSeats(input.plan, input.seats);
    if (extra > 0) {
      if (!prices.seat) throw badRequest(`Stripe has no seat price for ${input.plan}/${input.interval}.`);
      items.push(seatItem ? { id: seatItem.id, price: prices.seat, quantity: extra } : { price: prices.seat, quantity: extra });
    } else if (seatItem) items.push({ id: seatItem.id, deleted: true });
    await stripe.subscriptions.update(
      input.subscriptionId,
      {
        items,
        proration_behavior: "create_prorations",
        metadata: { tenant_id: input.tenantId, plan: input.plan, interval: input.interval, seats: String(input.seats) },
      },
      { idempotencyKey: input.idempotencyKey },
    );
  } catch (e) {
    if (e instanceof Problem) throw e;
    throw providerError(e);
  }
}

export async function cancelStripeSubscription(cfg: StripeCfg, subscriptionId: string, atPeriodEnd: boolean): Promise<void> {
  try {
    await stripeClient(cfg).subscriptions.update(subscriptionId, { cancel_at_period_end: atPeriodEnd });
  } catch (e) {
    throw providerError(e);
  }
}

/** Billing meter event name per Weft meter. */
export const stripeMeterEventName = (m: MeterName) => `weft_${m}`;

/**
 * Reports a usage delta as a Stripe meter event. `identifier` makes it idempotent on Stripe's side:
 * a retried report with the same identifier is not counted twice.
 */
export async function reportStripeMeterEvent(
  cfg: StripeCfg,
  input: { customerId: string; meter: MeterName; value: number; identifier: string; timestamp: number },
): Promise<void> {
  await stripeClient(cfg).billing.meterEvents.create({
    event_name: stripeMeterEventName(input.meter),
    identifier: input.identifier,
    timestamp: Math.floor(input.timestamp / 1000),
    payload: { stripe_customer_id: input.customerId, value: String(input.value) },
  });
}
