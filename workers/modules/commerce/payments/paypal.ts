import { z } from "zod";
import { Problem } from "../../../platform/errors";
import { paypalRequest, paypalToken, verifyWithPaypalApi } from "../../billing";
import { formatMajor } from "../money";
import type { PaypalCreds } from "../providers.service";
import type { PaymentStart, ProviderOrder, RefundRequest, RefundResult } from "./types";

/**
 * A workspace's own PayPal account: Orders v2 (create → buyer approves → capture) and refunds of
 * a capture, over billing's REST client (OAuth client credentials, `PayPal-Request-Id` on every
 * create/capture/refund so a retried call does the thing once). `custom_id` = "<tenant>|<order>"
 * is how webhooks find the order.
 */

type PaypalCfg = Parameters<typeof paypalRequest>[0];
const cfgOf = (c: PaypalCreds): PaypalCfg => ({
  clientId: c.clientId,
  clientSecret: c.clientSecret,
  apiBase: c.apiBase,
  webhookId: c.webhookId,
  verify: "api",
  planIds: {},
  certRootsPem: "",
});

export const customIdOf = (tenantId: string, orderId: string) => `${tenantId}|${orderId}`;
export function parseCustomId(v: unknown): { tenantId: string; orderId: string } | null {
  const m = /^([^|]+)\|(ord_[\w-]+)$/.exec(typeof v === "string" ? v : "");
  return m ? { tenantId: m[1] ?? "", orderId: m[2] ?? "" } : null;
}

const link = z.object({ href: z.string(), rel: z.string() });
const capture = z.object({ id: z.string(), status: z.string(), custom_id: z.string().nullish() }).passthrough();
export const paypalOrderSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    links: z.array(link).optional(),
    purchase_units: z
      .array(
        z
          .object({
            custom_id: z.string().nullish(),
            payments: z
              .object({ captures: z.array(capture).optional() })
              .passthrough()
              .nullish(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();
export type PaypalOrder = z.infer<typeof paypalOrderSchema>;

export async function startPaypalPayment(c: PaypalCreds, o: ProviderOrder): Promise<PaymentStart> {
  const body = {
    intent: "CAPTURE",
    purchase_units: [
      {
        reference_id: o.orderId,
        custom_id: customIdOf(o.tenantId, o.orderId),
        invoice_id: `${o.orderId}`,
        description: `Order #${o.number}`,
        amount: { currency_code: o.currency, value: formatMajor(o.total, o.currency) },
      },
    ],
    payment_source: {
      paypal: {
        email_address: o.email,
        experience_context: {
          return_url: o.returnUrl,
          cancel_url: o.cancelUrl,
          user_action: "PAY_NOW",
          shipping_preference: "NO_SHIPPING",
        },
      },
    },
  };
  const res = paypalOrderSchema.parse(await paypalRequest(cfgOf(c), "POST", "/v2/checkout/orders", body, o.idempotencyKey));
  const approve = res.links?.find((l) => l.rel === "payer-action" || l.rel === "approve");
  if (!approve) throw new Problem(502, "payment-provider-error", "Payment provider error", "PayPal returned no approval link.");
  return { paymentId: res.id, redirectUrl: approve.href };
}

export interface CaptureOutcome {
  status: "completed" | "declined" | "pending";
  captureId: string | null;
  customId: string | null;
  detail: string;
}

/**
 * Captures an approved PayPal order. The answer is verified by its shape and by asking PayPal
 * (the call is ours, over TLS to the workspace's PayPal API with its credentials): a COMPLETED
 * capture is a verified payment.
 */
export async function capturePaypalOrder(c: PaypalCreds, paypalOrderId: string, requestId: string): Promise<CaptureOutcome> {
  let res: PaypalOrder;
  try {
    res = paypalOrderSchema.parse(
      await paypalRequest(cfgOf(c), "POST", `/v2/checkout/orders/${encodeURIComponent(paypalOrderId)}/capture`, {}, requestId),
    );
  } catch (e) {
    // 422 INSTRUMENT_DECLINED / ORDER_NOT_APPROVED: the buyer's payment did not go through.
    const msg = e instanceof Error ? e.message : String(e);
    if (/\(422\)/.test(msg)) return { status: "declined", captureId: null, customId: null, detail: msg.slice(0, 300) };
    throw e;
  }
  const unit = res.purchase_units?.[0];
  const cap = unit?.payments?.captures?.[0];
  const customId = cap?.custom_id ?? unit?.custom_id ?? null;
  if (res.status === "COMPLETED" && cap?.status === "COMPLETED")
    return { status: "completed", captureId: cap.id, customId, detail: "COMPLETED" };
  if (cap?.status === "DECLINED" || cap?.status === "FAILED")
    return { status: "declined", captureId: cap.id, customId, detail: `capture ${cap.status}` };
  return { status: "pending", captureId: cap?.id ?? null, customId, detail: `order ${res.status}, capture ${cap?.status ?? "none"}` };
}

export async function paypalRefund(c: PaypalCreds, r: RefundRequest): Promise<RefundResult> {
  if (!r.captureId) throw new Problem(409, "not-captured", "Conflict", "PayPal has not reported this order's capture yet.");
  const res = z
    .object({ id: z.string(), status: z.string(), status_details: z.object({ reason: z.string() }).passthrough().nullish() })
    .passthrough()
    .parse(
      await paypalRequest(
        cfgOf(c),
        "POST",
        `/v2/payments/captures/${encodeURIComponent(r.captureId)}/refund`,
        {
          amount: { value: formatMajor(r.amount, r.currency), currency_code: r.currency },
          invoice_id: r.refundId,
          custom_id: customIdOf(r.tenantId, r.orderId),
        },
        r.idempotencyKey,
      ),
    );
  const status = res.status === "COMPLETED" ? "succeeded" : res.status === "CANCELLED" || res.status === "FAILED" ? "failed" : "pending";
  return { providerRefundId: res.id, status, failureReason: status === "failed" ? (res.status_details?.reason ?? res.status) : null };
}

/** A webhook's transmission signature, checked by PayPal's verify API with the workspace's credentials and webhook id. */
export async function verifyPaypalWebhook(c: PaypalCreds, headers: Headers, event: unknown): Promise<boolean> {
  if (!c.webhookId) return false;
  return verifyWithPaypalApi(cfgOf(c), headers, event);
}

export async function testPaypal(c: PaypalCreds): Promise<{ ok: boolean; detail: string }> {
  try {
    await paypalToken(cfgOf(c));
    return { ok: true, detail: `Connected (${c.mode})` };
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}
