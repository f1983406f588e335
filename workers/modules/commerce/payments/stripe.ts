import Stripe from "stripe";
import { Problem } from "../../../platform/errors";
import { providerFetch } from "../../billing";
import type { StripeCreds } from "../providers.service";
import type { PaymentStart, ProviderOrder, RefundRequest, RefundResult } from "./types";

/**
 * A workspace's own Stripe account through the official SDK (fetch HTTP client, like billing's
 * client; `providerFetch` so tests route it to the in-process fake). Payments are Checkout
 * Sessions (mode payment) with one line — the order's total as priced by us, so Stripe charges
 * exactly the figure the buyer saw — and the order id in the session's and the PaymentIntent's
 * metadata, which is how the webhook finds the order. Every create carries the order's
 * Idempotency-Key.
 */

export function commerceStripe(c: StripeCreds): Stripe {
  return new Stripe(c.secretKey, {
    httpClient: Stripe.createFetchHttpClient(providerFetch),
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(c.apiBase
      ? {
          host: c.apiBase.hostname,
          port: c.apiBase.port || (c.apiBase.protocol === "http:" ? 80 : 443),
          protocol: c.apiBase.protocol.replace(":", "") as "http" | "https",
        }
      : {}),
  });
}

export function stripeProblem(e: unknown): Problem {
  if (e instanceof Problem) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new Problem(502, "payment-provider-error", "Payment provider error", `Stripe did not accept the request: ${msg}`);
}

export async function startStripePayment(c: StripeCreds, o: ProviderOrder): Promise<PaymentStart> {
  const meta = { tenant_id: o.tenantId, order_id: o.orderId, order_number: String(o.number) };
  try {
    const session = await commerceStripe(c).checkout.sessions.create(
      {
        mode: "payment",
        client_reference_id: o.orderId,
        customer_email: o.email,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: o.currency.toLowerCase(),
              unit_amount: o.total,
              product_data: { name: `Order #${o.number}`, description: o.description.slice(0, 500) || undefined },
            },
          },
        ],
        success_url: o.returnUrl,
        cancel_url: o.cancelUrl,
        metadata: meta,
        payment_intent_data: { metadata: meta },
        // Stripe wants 30 min … 24 h from now.
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

export async function stripeRefund(c: StripeCreds, r: RefundRequest): Promise<RefundResult> {
  if (!r.captureId) throw new Problem(409, "not-captured", "Conflict", "Stripe has not reported this order's payment yet.");
  try {
    const refund = await commerceStripe(c).refunds.create(
      {
        payment_intent: r.captureId,
        amount: r.amount,
        reason: "requested_by_customer",
        metadata: { tenant_id: r.tenantId, order_id: r.orderId, refund_id: r.refundId },
      },
      { idempotencyKey: r.idempotencyKey },
    );
    const status =
      refund.status === "succeeded" ? "succeeded" : refund.status === "failed" || refund.status === "canceled" ? "failed" : "pending";
    return { providerRefundId: refund.id, status, failureReason: refund.failure_reason ?? null };
  } catch (e) {
    throw stripeProblem(e);
  }
}

/** "Test connection": retrieve the balance with the key. */
export async function testStripe(c: StripeCreds): Promise<{ ok: boolean; detail: string }> {
  try {
    const b = await commerceStripe(c).balance.retrieve();
    return { ok: true, detail: `Connected (${b.livemode ? "live" : "test"} mode)` };
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}
