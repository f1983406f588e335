import type { CommerceSubscriptionInterval } from "../../../../schema/commerce-subscriptions";
import type { StripeCreds } from "../providers.service";
import { commerceStripe, stripeProblem } from "./stripe";
import type { PaymentStart, ProviderOrder } from "./types";

/**
 * A workspace's own Stripe account selling a subscription: a Checkout Session in `subscription`
 * mode with one recurring `price_data` line — the checkout's priced total per period (as for a
 * one-off order, the figure the buyer saw is the figure charged) — and our ids in the session's and
 * the subscription's metadata (`subscription_data.metadata`), which is how the webhooks find the
 * rows. Cancel / resume are `subscriptions.update(cancel_at_period_end)` and `subscriptions.cancel`.
 * Every call carries an Idempotency-Key.
 */

export interface SubscriptionTerms {
  subscriptionId: string;
  interval: CommerceSubscriptionInterval;
  intervalCount: number;
  trialDays: number;
  title: string;
}

export async function startStripeSubscription(c: StripeCreds, o: ProviderOrder, s: SubscriptionTerms): Promise<PaymentStart> {
  const meta = { tenant_id: o.tenantId, order_id: o.orderId, order_number: String(o.number), subscription_id: s.subscriptionId };
  try {
    const session = await commerceStripe(c).checkout.sessions.create(
      {
        mode: "subscription",
        client_reference_id: o.orderId,
        customer_email: o.email,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: o.currency.toLowerCase(),
              unit_amount: o.total,
              recurring: { interval: s.interval, interval_count: s.intervalCount },
              product_data: { name: s.title.slice(0, 250) },
            },
          },
        ],
        subscription_data: { metadata: meta, ...(s.trialDays > 0 ? { trial_period_days: s.trialDays } : {}) },
        success_url: o.returnUrl,
        cancel_url: o.cancelUrl,
        metadata: meta,
        expires_at: Math.min(
          Math.max(Math.floor(o.expiresAt / 1000), Math.floor(Date.now() / 1000) + 1860),
          Math.floor(Date.now() / 1000) + 86_000,
        ),
      },
      { idempotencyKey: o.idempotencyKey },
    );
    if (!session.url) throw new Error("the Checkout Session has no URL");
    return { paymentId: session.id, redirectUrl: session.url };
  } catch (e) {
    throw stripeProblem(e);
  }
}

/** Stripe's answer to a cancel / resume: the subscription object (applied like its webhook). */
export type StripeSubscriptionObject = Record<string, unknown>;

export async function stripeSetCancelAtPeriodEnd(
  c: StripeCreds,
  providerSubscriptionId: string,
  cancel: boolean,
  idempotencyKey: string,
): Promise<StripeSubscriptionObject> {
  try {
    const sub = await commerceStripe(c).subscriptions.update(providerSubscriptionId, { cancel_at_period_end: cancel }, { idempotencyKey });
    return sub as unknown as StripeSubscriptionObject;
  } catch (e) {
    throw stripeProblem(e);
  }
}

export async function stripeCancelNow(
  c: StripeCreds,
  providerSubscriptionId: string,
  idempotencyKey: string,
): Promise<StripeSubscriptionObject> {
  try {
    const sub = await commerceStripe(c).subscriptions.cancel(providerSubscriptionId, {}, { idempotencyKey });
    return sub as unknown as StripeSubscriptionObject;
  } catch (e) {
    throw stripeProblem(e);
  }
}
