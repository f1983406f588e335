import { z } from "zod";
import type { BillingInterval, PlanId } from "../../../../schema/billing";
import { Problem } from "../../../platform/errors";
import type { BillingConfig } from "../config";
import { PLANS, priceLookupKey, recurringCents } from "../plans";
import { providerFetch } from "../transport";

/** PayPal REST (v1 billing subscriptions) over fetch. */
type PaypalCfg = NonNullable<BillingConfig["paypal"]>;

const tokenCache = new Map<string, { token: string; expiresAt: number }>();

function providerError(what: string, status: number, body: string): Problem {
  return new Problem(502, "payment-provider-error", "Payment provider error", `PayPal ${what} failed (${status}): ${body.slice(0, 300)}`);
}

/** OAuth 2 client credentials; tokens cached until a minute before they expire. */
export async function paypalToken(cfg: PaypalCfg): Promise<string> {
  const key = `${cfg.apiBase}|${cfg.clientId}`;
  const hit = tokenCache.get(key);
  if (hit && hit.expiresAt > Date.now() + 60_000) return hit.token;
  const res = await providerFetch(`${cfg.apiBase}/v1/oauth2/token`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${btoa(`${cfg.clientId}:${cfg.clientSecret}`)}`,
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/json",
    },
    body: "grant_type=client_credentials",
  });
  const text = await res.text();
  if (!res.ok) throw providerError("authentication", res.status, text);
  const body = z.object({ access_token: z.string(), expires_in: z.number() }).parse(JSON.parse(text));
  tokenCache.set(key, { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 });
  return body.access_token;
}

export async function paypalRequest<T = unknown>(
  cfg: PaypalCfg,
  method: string,
  path: string,
  body?: unknown,
  requestId?: string,
): Promise<T> {
  const call = async () =>
    providerFetch(`${cfg.apiBase}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await paypalToken(cfg)}`,
        Accept: "application/json",
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...(requestId ? { "PayPal-Request-Id": requestId } : {}),
        Prefer: "return=representation",
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  let res = await call();
  if (res.status === 401) {
    // A cached token PayPal no longer honours (revoked early, or issued by another environment):
    // forget it and ask once more with a fresh one. Repeating the call is safe: writes carry
    // PayPal-Request-Id, and a 401 did nothing.
    await res.body?.cancel();
    tokenCache.delete(`${cfg.apiBase}|${cfg.clientId}`);
    res = await call();
  }
  const text = await res.text();
  if (!res.ok) throw providerError(`${method} ${path}`, res.status, text);
  return (text ? JSON.parse(text) : null) as T;
}

const link = z.object({ href: z.string(), rel: z.string(), method: z.string().optional() });
export const paypalSubscriptionSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    plan_id: z.string().optional(),
    custom_id: z.string().nullish(),
    quantity: z.string().nullish(),
    status_update_time: z.string().nullish(),
    start_time: z.string().nullish(),
    billing_info: z
      .object({
        next_billing_time: z.string().nullish(),
        last_payment: z.object({ time: z.string().nullish() }).passthrough().nullish(),
        failed_payments_count: z.number().nullish(),
      })
      .passthrough()
      .nullish(),
    subscriber: z.object({ payer_id: z.string().nullish() }).passthrough().nullish(),
    links: z.array(link).optional(),
  })
  .passthrough();
export type PaypalSubscription = z.infer<typeof paypalSubscriptionSchema>;

/** `custom_id` carries what the webhook needs to find and describe the subscription. */
export const customId = (tenantId: string, plan: PlanId, interval: BillingInterval, seats: number) =>
  `${tenantId}|${plan}|${interval}|${seats}`;
export function parseCustomId(
  v: string | null | undefined,
): { tenantId: string; plan: PlanId; interval: BillingInterval; seats: number } | null {
  const m = /^([^|]+)\|(free|starter|professional|enterprise)\|(month|year)\|(\d+)$/.exec(v ?? "");
  return m ? { tenantId: m[1]!, plan: m[2] as PlanId, interval: m[3] as BillingInterval, seats: Number(m[4]) } : null;
}

const usd = (cents: number) => (cents / 100).toFixed(2);

/** The PayPal billing plan for a Weft plan/interval: configured id, an existing plan by name, or a new one. */
export async function paypalPlanId(cfg: PaypalCfg, plan: PlanId, interval: BillingInterval): Promise<string> {
  const configured = cfg.planIds[`${plan}_${interval}`];
  if (configured) return configured;
  const name = priceLookupKey(plan, interval, "base");
  const list = await paypalRequest<{ plans?: { id: string; name: string; status: string }[] }>(
    cfg,
    "GET",
    `/v1/billing/plans?page_size=20&total_required=false`,
  );
  const found = list.plans?.find((p) => p.name === name && p.status === "ACTIVE");
  if (found) return found.id;
  const product = await paypalRequest<{ id: string }>(
    cfg,
    "POST",
    "/v1/catalogs/products",
    { name: "Weft", type: "SERVICE", category: "SOFTWARE" },
    "weft-product",
  );
  const created = await paypalRequest<{ id: string }>(
    cfg,
    "POST",
    "/v1/billing/plans",
    {
      product_id: product.id,
      name,
      description: `${PLANS[plan].name} (${interval}ly)`,
      status: "ACTIVE",
      billing_cycles: [
        {
          frequency: { interval_unit: interval === "month" ? "MONTH" : "YEAR", interval_count: 1 },
          tenure_type: "REGULAR",
          sequence: 1,
          total_cycles: 0,
          pricing_scheme: { fixed_price: { value: usd(recurringCents(plan, interval, PLANS[plan].includedSeats)), currency_code: "USD" } },
        },
      ],
      payment_preferences: { auto_bill_outstanding: true, setup_fee_failure_action: "CONTINUE", payment_failure_threshold: 3 },
    },
    `weft-plan-${name}`,
  );
  return created.id;
}

const approveLink = (s: PaypalSubscription) => s.links?.find((l) => l.rel === "approve")?.href ?? null;

/** Creates a subscription awaiting the buyer's approval; the price covers the seats (plan override). */
export async function createPaypalSubscription(
  cfg: PaypalCfg,
  input: {
    tenantId: string;
    plan: PlanId;
    interval: BillingInterval;
    seats: number;
    returnUrl: string;
    cancelUrl: string;
    requestId: string;
  },
): Promise<{ id: string; approveUrl: string }> {
  const planId = await paypalPlanId(cfg, input.plan, input.interval);
  const sub = paypalSubscriptionSchema.parse(
    await paypalRequest(
      cfg,
      "POST",
      "/v1/billing/subscriptions",
      {
        plan_id: planId,
        custom_id: customId(input.tenantId, input.plan, input.interval, input.seats),
        plan: {
          billing_cycles: [
            {
              sequence: 1,
              pricing_scheme: {
                fixed_price: { value: usd(recurringCents(input.plan, input.interval, input.seats)), currency_code: "USD" },
              },
            },
          ],
        },
        application_context: {
          brand_name: "Weft",
          user_action: "SUBSCRIBE_NOW",
          shipping_preference: "NO_SHIPPING",
          return_url: input.returnUrl,
          cancel_url: input.cancelUrl,
        },
      },
      input.requestId,
    ),
  );
  const approveUrl = approveLink(sub);
  if (!approveUrl) throw providerError("create subscription", 200, "no approve link");
  return { id: sub.id, approveUrl };
}

export async function getPaypalSubscription(cfg: PaypalCfg, id: string): Promise<PaypalSubscription> {
  return paypalSubscriptionSchema.parse(await paypalRequest(cfg, "GET", `/v1/billing/subscriptions/${encodeURIComponent(id)}`));
}

/** Plan/seat change: PayPal answers with an approval link the buyer must follow. */
export async function revisePaypalSubscription(
  cfg: PaypalCfg,
  input: {
    subscriptionId: string;
    tenantId: string;
    plan: PlanId;
    interval: BillingInterval;
    seats: number;
    returnUrl: string;
    cancelUrl: string;
  },
): Promise<string | null> {
  const planId = await paypalPlanId(cfg, input.plan, input.interval);
  const res = await paypalRequest<{ links?: z.infer<typeof link>[] }>(
    cfg,
    "POST",
    `/v1/billing/subscriptions/${encodeURIComponent(input.subscriptionId)}/revise`,
    {
      plan_id: planId,
      custom_id: customId(input.tenantId, input.plan, input.interval, input.seats),
      plan: {
        billing_cycles: [
          {
            sequence: 1,
            pricing_scheme: { fixed_price: { value: usd(recurringCents(input.plan, input.interval, input.seats)), currency_code: "USD" } },
          },
        ],
      },
      application_context: { return_url: input.returnUrl, cancel_url: input.cancelUrl },
    },
  );
  return res?.links?.find((l) => l.rel === "approve")?.href ?? null;
}

export async function cancelPaypalSubscription(cfg: PaypalCfg, id: string, reason: string): Promise<void> {
  await paypalRequest(cfg, "POST", `/v1/billing/subscriptions/${encodeURIComponent(id)}/cancel`, { reason });
}

/** PayPal's verify-webhook-signature API (used when PAYPAL_WEBHOOK_VERIFY=api). */
export async function verifyWithPaypalApi(cfg: PaypalCfg, headers: Headers, event: unknown): Promise<boolean> {
  if (!cfg.webhookId) return false;
  const res = await paypalRequest<{ verification_status: string }>(cfg, "POST", "/v1/notifications/verify-webhook-signature", {
    auth_algo: headers.get("paypal-auth-algo"),
    cert_url: headers.get("paypal-cert-url"),
    transmission_id: headers.get("paypal-transmission-id"),
    transmission_sig: headers.get("paypal-transmission-sig"),
    transmission_time: headers.get("paypal-transmission-time"),
    webhook_id: cfg.webhookId,
    webhook_event: event,
  });
  return res?.verification_status === "SUCCESS";
}

const certCache = new Map<string, { pem: string; at: number }>();
/** Fetches (and caches for a day) the signing certificate at a PayPal cert URL. */
export async function fetchPaypalCert(url: string): Promise<string> {
  const hit = certCache.get(url);
  if (hit && Date.now() - hit.at < 86_400_000) return hit.pem;
  const res = await providerFetch(url);
  if (!res.ok) throw new Error(`cert fetch ${res.status}`);
  const pem = await res.text();
  certCache.set(url, { pem, at: Date.now() });
  return pem;
}
