import { FakePaypal, FakeStripe, parseForm, type Req } from "../../billing/test/billing-fakes";

/**
 * The billing module's in-process fake Stripe and PayPal, taught the calls a shop makes: Stripe
 * Checkout Sessions in `payment` mode, refunds and the balance; PayPal Orders v2 (create, capture
 * with a DECLINED switch) and capture refunds. Requests are built by the real SDK / REST client
 * and checked the way the providers check them (auth, idempotency headers, required params).
 */
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

type Obj = Record<string, unknown>;
interface FakePaypalOrder {
  id: string;
  status: string;
  purchase_units: { amount: unknown; custom_id: string }[];
  links: unknown[];
  capture?: Obj;
}

export class ShopStripe extends FakeStripe {
  sessions = new Map<string, Obj & { id: string; amount_total: number }>();
  refunds = new Map<string, Obj & { id: string }>();
  /** Refunds answer `pending` (confirmed later by a webhook) instead of `succeeded`. */
  refundsPending = false;

  override async handle(r: Req): Promise<Response> {
    const p = r.url.pathname;
    const mine = (r.method === "POST" && (p === "/v1/checkout/sessions" || p === "/v1/refunds")) || p === "/v1/balance";
    if (!mine) return super.handle(r);
    this.requests.push(r);
    if (r.headers.get("Authorization") !== "Bearer sk_test_weft_fake_0123456789")
      return json(401, { error: { type: "authentication_error", message: "Invalid API Key provided" } });
    const idem = r.headers.get("Idempotency-Key");
    if (idem && this.idempotent.has(`${p}|${idem}`)) return (this.idempotent.get(`${p}|${idem}`) as Response).clone();
    const f = parseForm(r.body);
    let res: Response;
    if (p === "/v1/balance") res = json(200, { object: "balance", livemode: false, available: [{ amount: 0, currency: "usd" }] });
    else if (p === "/v1/checkout/sessions") {
      const item = f.line_items?.["0"];
      if (f.mode !== "payment" || !item?.price_data?.unit_amount || !f.success_url || !f.metadata?.order_id)
        return json(400, { error: { type: "invalid_request_error", message: "Missing required param" } });
      const id = `cs_test_${this.sessions.size + 1}_${f.metadata.order_id.slice(-6)}`;
      const s = {
        id,
        object: "checkout.session",
        url: `https://checkout.stripe.com/c/pay/${id}`,
        mode: "payment",
        amount_total: Number(item.price_data.unit_amount) * Number(item.quantity ?? 1),
        currency: item.price_data.currency,
        metadata: f.metadata,
        client_reference_id: f.client_reference_id,
        payment_intent: null,
        payment_status: "unpaid",
      };
      this.sessions.set(id, s);
      res = json(200, s);
    } else {
      if (!f.payment_intent || !f.amount) return json(400, { error: { type: "invalid_request_error", message: "Missing required param" } });
      const id = `re_fake_${this.refunds.size + 1}`;
      const refund = {
        id,
        object: "refund",
        amount: Number(f.amount),
        payment_intent: f.payment_intent,
        status: this.refundsPending ? "pending" : "succeeded",
        metadata: f.metadata ?? {},
      };
      this.refunds.set(id, refund);
      res = json(200, refund);
    }
    if (idem && res.ok) this.idempotent.set(`${p}|${idem}`, res.clone());
    return res;
  }
}

/** billing's PayPal client caches OAuth tokens per client id across tests: every fake instance honours them. */
const issuedTokens = new Set<string>();

export class ShopPaypal extends FakePaypal {
  override tokens = issuedTokens;
  orders = new Map<string, FakePaypalOrder>();
  byRequestId = new Map<string, Response>();
  /** The next capture answers DECLINED. */
  declineNext = false;
  captures = 0;
  refunds: Obj[] = [];

  override async handle(r: Req): Promise<Response> {
    const p = r.url.pathname;
    if (!p.startsWith("/v2/")) return super.handle(r);
    this.requests.push(r);
    const auth = r.headers.get("Authorization")?.replace(/^Bearer /, "");
    if (!auth || !this.tokens.has(auth)) return json(401, { name: "AUTHENTICATION_FAILURE" });
    const rid = r.headers.get("PayPal-Request-Id");
    if (!rid) return json(400, { name: "MISSING_REQUEST_ID" });
    const key = `${p}|${rid}`;
    const hit = this.byRequestId.get(key);
    if (hit) return hit.clone();
    const body = r.body ? JSON.parse(r.body) : {};
    let res: Response;
    const capture = /^\/v2\/checkout\/orders\/([^/]+)\/capture$/.exec(p);
    const refund = /^\/v2\/payments\/captures\/([^/]+)\/refund$/.exec(p);
    if (p === "/v2/checkout/orders" && r.method === "POST") {
      const unit = body.purchase_units?.[0];
      if (body.intent !== "CAPTURE" || !unit?.amount?.value || !unit.custom_id) return json(422, { name: "UNPROCESSABLE_ENTITY" });
      const id = `5O${this.orders.size + 1}FAKE${Date.now().toString(36).toUpperCase()}`;
      const o: FakePaypalOrder = {
        id,
        status: "PAYER_ACTION_REQUIRED",
        purchase_units: [{ ...unit }],
        links: [
          { href: `https://api-m.sandbox.paypal.com/v2/checkout/orders/${id}`, rel: "self", method: "GET" },
          { href: `https://www.sandbox.paypal.com/checkoutnow?token=${id}`, rel: "payer-action", method: "GET" },
        ],
      };
      this.orders.set(id, o);
      res = json(200, o);
    } else if (capture) {
      const o = this.orders.get(capture[1] ?? "");
      if (!o) return json(404, { name: "RESOURCE_NOT_FOUND" });
      this.captures++;
      const declined = this.declineNext;
      this.declineNext = false;
      const unit = o.purchase_units[0] ?? { amount: null, custom_id: "" };
      const cap = {
        id: `CAP${this.captures}${o.id.slice(2, 8)}`,
        status: declined ? "DECLINED" : "COMPLETED",
        amount: unit.amount,
        custom_id: unit.custom_id,
      };
      const out = { ...o, status: declined ? "COMPLETED" : "COMPLETED", purchase_units: [{ ...unit, payments: { captures: [cap] } }] };
      o.capture = cap;
      res = json(201, out);
    } else if (refund) {
      const re = {
        id: `RF${this.refunds.length + 1}`,
        status: "COMPLETED",
        amount: body.amount,
        invoice_id: body.invoice_id,
        custom_id: body.custom_id,
      };
      this.refunds.push(re);
      res = json(201, re);
    } else return json(404, { name: "RESOURCE_NOT_FOUND" });
    this.byRequestId.set(key, res.clone());
    return res;
  }
}

/**
 * ShopStripe taught Stripe Billing's calls a shop's subscriptions make: Checkout Sessions in
 * `subscription` mode (a recurring `price_data` line and `subscription_data.metadata` required, as
 * Stripe requires them), `POST /v1/subscriptions/{id}` (cancel_at_period_end) and
 * `DELETE /v1/subscriptions/{id}` (cancel now), answering the subscription object.
 */
export class SubscriptionShopStripe extends ShopStripe {
  shopSubscriptions = new Map<string, Obj & { id: string }>();

  /** The subscription Stripe creates when the buyer completes the session (tests call it). */
  completeSession(sessionId: string, periodStart: number, periodEnd: number): Obj & { id: string } {
    const s = this.sessions.get(sessionId);
    const id = `sub_fake_${this.shopSubscriptions.size + 1}`;
    const sub = {
      id,
      object: "subscription",
      status: "active",
      customer: `cus_fake_${this.shopSubscriptions.size + 1}`,
      cancel_at_period_end: false,
      items: { data: [{ current_period_start: periodStart, current_period_end: periodEnd }] },
      metadata: (s?.subscription_metadata as Obj) ?? {},
    };
    this.shopSubscriptions.set(id, sub);
    if (s) s.subscription = id;
    return sub;
  }

  override async handle(r: Req): Promise<Response> {
    const p = r.url.pathname;
    const subPath = /^\/v1\/subscriptions\/([^/]+)$/.exec(p);
    const f = r.method === "POST" ? parseForm(r.body) : {};
    const isSubSession = r.method === "POST" && p === "/v1/checkout/sessions" && f.mode === "subscription";
    if (!subPath && !isSubSession) return super.handle(r);
    this.requests.push(r);
    if (r.headers.get("Authorization") !== "Bearer sk_test_weft_fake_0123456789")
      return json(401, { error: { type: "authentication_error", message: "Invalid API Key provided" } });
    const idem = r.headers.get("Idempotency-Key");
    const key = `${r.method} ${p}|${idem}`;
    if (idem && this.idempotent.has(key)) return (this.idempotent.get(key) as Response).clone();
    let res: Response;
    if (isSubSession) {
      const item = f.line_items?.["0"];
      const recurring = item?.price_data?.recurring;
      if (!item?.price_data?.unit_amount || !recurring?.interval || !f.success_url || !f.subscription_data?.metadata?.subscription_id)
        return json(400, { error: { type: "invalid_request_error", message: "Missing required param" } });
      const id = `cs_test_sub_${this.sessions.size + 1}`;
      const s = {
        id,
        object: "checkout.session",
        url: `https://checkout.stripe.com/c/pay/${id}`,
        mode: "subscription",
        amount_total: Number(item.price_data.unit_amount) * Number(item.quantity ?? 1),
        currency: item.price_data.currency,
        metadata: f.metadata,
        subscription_metadata: f.subscription_data.metadata,
        recurring,
        trial_period_days: f.subscription_data.trial_period_days ?? null,
        client_reference_id: f.client_reference_id,
        payment_status: "unpaid",
      };
      this.sessions.set(id, s);
      res = json(200, s);
    } else {
      const sub = this.shopSubscriptions.get(subPath?.[1] ?? "");
      if (!sub) return json(404, { error: { type: "invalid_request_error", message: "No such subscription" } });
      if (r.method === "DELETE")
        Object.assign(sub, { status: "canceled", canceled_at: Math.floor(Date.now() / 1000), ended_at: Math.floor(Date.now() / 1000) });
      else {
        if (f.cancel_at_period_end === undefined)
          return json(400, { error: { type: "invalid_request_error", message: "Nothing to update" } });
        Object.assign(sub, { cancel_at_period_end: f.cancel_at_period_end === "true" });
      }
      res = json(200, { ...sub });
    }
    if (idem && res.ok) this.idempotent.set(key, res.clone());
    return res;
  }
}
