import type { Env } from "../../../platform/env";
import { newId } from "../../../platform/ids";
import { signStripePayload } from "../../billing";
import { simulatorSecret } from "../providers.service";
import type { PaymentStart, ProviderOrder, RefundRequest, RefundResult } from "./types";

/**
 * The local payment simulator (never in production). It stands in for Stripe: its approval page
 * (simulator.page.ts) sends Stripe-shaped events — `checkout.session.completed`,
 * `payment_intent.payment_failed`, `refund.updated` — signed for real (Stripe-Signature, HMAC with
 * the workspace's simulator secret) to the workspace's own `/webhooks/commerce/{tenant}/stripe`,
 * so the order moves exactly as with Stripe: only through a verified webhook.
 *
 * The POST is in-process (no network): webhooks.routes.ts plugs its router into `simulatorDelivery`
 * when it loads (the composition root mounts it), which keeps the import graph acyclic.
 */

export const simulatorDelivery: { current: ((req: Request, env: Env) => Promise<Response>) | null } = { current: null };

export const simPaymentIntent = (orderId: string) => `pi_sim_${orderId.replace(/^ord_/, "")}`;

export function startSimulatorPayment(o: ProviderOrder, origin: string, accessToken: string): PaymentStart {
  const paymentId = `cs_sim_${o.orderId.replace(/^ord_/, "")}`;
  const q = new URLSearchParams({ token: accessToken, return_url: o.returnUrl, cancel_url: o.cancelUrl });
  return { paymentId, redirectUrl: `${origin}/dev/commerce-simulator/${o.tenantId}/${o.orderId}?${q}` };
}

export const stripeShapedEvent = (type: string, object: Record<string, unknown>) => ({
  id: `evt_sim_${newId("e").slice(2)}`,
  object: "event",
  type,
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  data: { object },
});

/** Signs and delivers one event to the workspace's Stripe webhook endpoint; returns its answer. */
export async function postSimulatorEvent(
  env: Env,
  tenantId: string,
  origin: string,
  event: { id: string; type: string },
): Promise<{ status: number; body: string }> {
  const secret = await simulatorSecret(env, tenantId);
  const deliver = simulatorDelivery.current;
  if (!secret || !deliver) throw new Error("The payment simulator runs only outside production");
  const body = JSON.stringify(event);
  const res = await deliver(
    new Request(`${origin}/webhooks/commerce/${tenantId}/stripe`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Stripe-Signature": await signStripePayload(body, secret),
        "User-Agent": "Weft payment simulator",
      },
      body,
    }),
    env,
  );
  return { status: res.status, body: await res.text() };
}

export function simulatorPaidEvent(tenantId: string, orderId: string, paymentId: string, amount: number, currency: string) {
  return stripeShapedEvent("checkout.session.completed", {
    id: paymentId,
    object: "checkout.session",
    mode: "payment",
    payment_status: "paid",
    status: "complete",
    amount_total: amount,
    currency: currency.toLowerCase(),
    client_reference_id: orderId,
    payment_intent: simPaymentIntent(orderId),
    metadata: { tenant_id: tenantId, order_id: orderId },
  });
}

export function simulatorDeclinedEvent(tenantId: string, orderId: string) {
  return stripeShapedEvent("payment_intent.payment_failed", {
    id: simPaymentIntent(orderId),
    object: "payment_intent",
    status: "requires_payment_method",
    last_payment_error: { code: "card_declined", message: "Your card was declined (simulated)." },
    metadata: { tenant_id: tenantId, order_id: orderId },
  });
}

/**
 * A simulator refund confirms through the same signed webhook (`refund.updated`, succeeded), which
 * finds the pending refund row by `metadata.refund_id`; the answer here stays "pending".
 */
export async function simulatorRefund(env: Env, origin: string, r: RefundRequest): Promise<RefundResult> {
  const providerRefundId = `re_sim_${r.refundId.replace(/^ref_/, "")}`;
  const ev = stripeShapedEvent("refund.updated", {
    id: providerRefundId,
    object: "refund",
    status: "succeeded",
    amount: r.amount,
    currency: r.currency.toLowerCase(),
    payment_intent: r.captureId,
    metadata: { tenant_id: r.tenantId, order_id: r.orderId, refund_id: r.refundId },
  });
  const res = await postSimulatorEvent(env, r.tenantId, origin, ev);
  if (res.status !== 200) throw new Error(`simulated refund webhook rejected: ${res.status} ${res.body.slice(0, 200)}`);
  return { providerRefundId, status: "pending", failureReason: null };
}
