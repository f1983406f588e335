import { derToPem, issueCertificate, parseCertificate, pemToDer } from "../paypal/der";
import { signedMessage, type PaypalSigner } from "../paypal/signature";
import { providerTransport } from "../transport";

/**
 * In-process fake Stripe and PayPal servers. Tests run inside workerd (no listening sockets), so
 * the billing module's provider transport is routed here; the real Stripe SDK and PayPal client
 * still build the exact production requests (URLs, form/JSON bodies, auth and idempotency
 * headers), which these fakes check the way the providers do.
 */
export const STRIPE_KEY = "sk_test_weft_fake_0123456789";
export const PAYPAL = { id: "paypal-client-id", secret: "paypal-client-secret", webhookId: "WH-FAKE-123" };

export interface Req {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Request-Id": "req_fake" } });
const stripeError = (status: number, message: string, type = "invalid_request_error") => json(status, { error: { type, message } });

/** Stripe form bodies: `a[b][0][c]=1` → nested object. */
export function parseForm(body: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const path = k.replace(/\]/g, "").split("[");
    let o = out;
    path.forEach((p, i) => {
      if (i === path.length - 1) o[p] = v;
      else o = o[p] ??= {};
    });
  }
  return out;
}

export class FakeStripe {
  requests: Req[] = [];
  meterEvents = new Map<string, { event_name: string; value: number; customer: string }>();
  idempotent = new Map<string, Response>();
  /** Answer the next N meter-event calls with 500 *after* recording them (a lost response). */
  loseResponses = 0;
  subscriptions = new Map<string, any>();
  prices = ["starter", "professional", "enterprise"].flatMap((p) =>
    ["month", "year"].flatMap((i) => [`weft_${p}_${i}`, `weft_${p}_seat_${i}`]),
  );

  async handle(r: Req): Promise<Response> {
    this.requests.push(r);
    if (r.headers.get("Authorization") !== `Bearer ${STRIPE_KEY}`)
      return stripeError(401, "Invalid API Key provided", "authentication_error");
    if (r.method === "POST" && r.headers.get("Content-Type") !== "application/x-www-form-urlencoded")
      return stripeError(400, "bad content type");
    const idem = r.headers.get("Idempotency-Key");
    if (idem && this.idempotent.has(`${r.url.pathname}|${idem}`)) return this.idempotent.get(`${r.url.pathname}|${idem}`)!.clone();
    const res = await this.route(r, parseForm(r.body));
    if (idem && res.ok) this.idempotent.set(`${r.url.pathname}|${idem}`, res.clone());
    return res;
  }

  private async route(r: Req, f: Record<string, any>): Promise<Response> {
    const p = r.url.pathname;
    if (r.method === "POST" && p === "/v1/customers")
      return json(200, { id: `cus_fake_${this.requests.length}`, object: "customer", email: f.email ?? null, metadata: f.metadata ?? {} });
    if (r.method === "GET" && p === "/v1/prices") {
      const keys = r.url.searchParams
        .getAll("lookup_keys[]")
        .concat([...r.url.searchParams.entries()].filter(([k]) => /^lookup_keys\[\d+\]$/.test(k)).map(([, v]) => v));
      return json(200, {
        object: "list",
        data: this.prices.filter((k) => keys.includes(k)).map((k) => ({ id: `price_${k}`, object: "price", lookup_key: k, active: true })),
        has_more: false,
      });
    }
    if (r.method === "POST" && p === "/v1/checkout/sessions") {
      if (f.mode !== "subscription" || !f.line_items?.["0"]?.price || !f.success_url) return stripeError(400, "Missing required param");
      return json(200, {
        id: "cs_test_fake",
        object: "checkout.session",
        url: "https://checkout.stripe.com/c/pay/cs_test_fake",
        mode: f.mode,
        metadata: f.metadata,
        customer: f.customer,
        line_items: f.line_items,
        subscription_data: f.subscription_data,
      });
    }
    if (r.method === "POST" && p === "/v1/billing_portal/sessions")
      return json(200, {
        id: "bps_fake",
        object: "billing_portal.session",
        url: "https://billing.stripe.com/p/session/fake",
        customer: f.customer,
      });
    if (r.method === "POST" && p === "/v1/billing/meter_events") {
      if (!f.event_name || !f.payload?.stripe_customer_id || !f.payload?.value) return stripeError(400, "Missing required param");
      const id = f.identifier;
      if (!this.meterEvents.has(id))
        this.meterEvents.set(id, { event_name: f.event_name, value: Number(f.payload.value), customer: f.payload.stripe_customer_id });
      if (this.loseResponses > 0) {
        this.loseResponses--;
        return stripeError(500, "An unknown error occurred", "api_error");
      }
      return json(200, {
        object: "billing.meter_event",
        event_name: f.event_name,
        identifier: id,
        payload: f.payload,
        timestamp: Number(f.timestamp),
      });
    }
    const sub = /^\/v1\/subscriptions\/([^/]+)$/.exec(p);
    if (sub) {
      const s = this.subscriptions.get(sub[1]!);
      if (!s) return stripeError(404, "No such subscription");
      if (r.method === "GET") return json(200, s);
      if (f.cancel_at_period_end !== undefined) s.cancel_at_period_end = f.cancel_at_period_end === "true";
      if (f.items) {
        s.last_update = f;
        s.items.data = Object.values(f.items)
          .filter((i: any) => i.deleted !== "true")
          .map((i: any) => ({
            id: i.id ?? `si_new_${i.price}`,
            quantity: Number(i.quantity),
            price: { id: i.price, lookup_key: String(i.price).replace(/^price_/, "") },
          }));
      }
      return json(200, s);
    }
    return stripeError(404, `Unrecognized request URL (${r.method}: ${p})`);
  }

  meterTotal(customer: string, eventName: string) {
    return [...this.meterEvents.values()]
      .filter((e) => e.customer === customer && e.event_name === eventName)
      .reduce((s, e) => s + e.value, 0);
  }
}

const RSA_KEY = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
const rsaKeys = async () => (await crypto.subtle.generateKey(RSA_KEY, true, ["sign", "verify"])) as CryptoKeyPair;

/**
 * A certificate authority made at test time: root (self-signed, CA) → intermediate (CA) → leaf,
 * like DigiCert → DigiCert TLS CA → messageverificationcerts.paypal.com. `bundle` is what a
 * PayPal cert URL serves (leaf, then intermediate); `rootPem` is the trust anchor to configure.
 */
export async function makeTestCa(
  name = "Weft Test",
  opts: { leafCN?: string; intermediateIsCa?: boolean; intermediateDays?: number } = {},
) {
  const root = await rsaKeys();
  const inter = await rsaKeys();
  const leaf = await rsaKeys();
  const rootCN = `${name} Root CA`;
  const interCN = `${name} Intermediate CA`;
  const rootDer = await issueCertificate({
    subjectKey: root.publicKey,
    subjectCN: rootCN,
    issuerKey: root.privateKey,
    issuerCN: rootCN,
    ca: true,
    days: 3650,
  });
  const interDer = await issueCertificate({
    subjectKey: inter.publicKey,
    subjectCN: interCN,
    issuerKey: root.privateKey,
    issuerCN: rootCN,
    ca: opts.intermediateIsCa ?? true,
    days: opts.intermediateDays ?? 1825,
  });
  const leafDer = await issueCertificate({
    subjectKey: leaf.publicKey,
    subjectCN: opts.leafCN ?? "messageverificationcerts.sandbox.paypal.com",
    issuerKey: inter.privateKey,
    issuerCN: interCN,
  });
  return {
    rootPem: derToPem(rootDer),
    rootDer,
    interDer,
    leafDer,
    bundle: derToPem(leafDer) + derToPem(interDer),
    leafKeys: leaf,
    signer: { keys: leaf, certPem: derToPem(leafDer) + derToPem(interDer) } as PaypalSigner,
  };
}

export class FakePaypal {
  requests: Req[] = [];
  tokens = new Set<string>();
  signer!: PaypalSigner;
  /** The test CA's root: configure it as PAYPAL_CERT_ROOTS so the served chain is trusted. */
  rootPem!: string;
  certUrl = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-fake";
  /** More PEMs served by URL (e.g. a self-signed leaf), besides the signer's chain at certUrl. */
  certs = new Map<string, string>();
  subscriptions = new Map<string, any>();

  async init() {
    const ca = await makeTestCa();
    this.signer = ca.signer;
    this.rootPem = ca.rootPem;
    return this;
  }

  async handle(r: Req): Promise<Response> {
    this.requests.push(r);
    const p = r.url.pathname;
    if (r.method === "GET" && r.url.href === this.certUrl)
      return new Response(this.signer.certPem, { headers: { "Content-Type": "application/x-pem-file" } });
    if (r.method === "GET" && this.certs.has(r.url.href))
      return new Response(this.certs.get(r.url.href), { headers: { "Content-Type": "application/x-pem-file" } });
    if (p === "/v1/oauth2/token") {
      if (r.headers.get("Authorization") !== `Basic ${btoa(`${PAYPAL.id}:${PAYPAL.secret}`)}` || r.body !== "grant_type=client_credentials")
        return json(401, { error: "invalid_client" });
      const t = `A21AA-fake-${this.tokens.size + 1}`;
      this.tokens.add(t);
      return json(200, {
        scope: "https://uri.paypal.com/services/subscriptions",
        access_token: t,
        token_type: "Bearer",
        expires_in: 32400,
      });
    }
    const auth = r.headers.get("Authorization")?.replace(/^Bearer /, "");
    if (!auth || !this.tokens.has(auth)) return json(401, { name: "AUTHENTICATION_FAILURE" });
    const body = r.body ? JSON.parse(r.body) : null;
    if (r.method === "GET" && p === "/v1/billing/plans")
      return json(200, { plans: [{ id: "P-STARTER-MONTH", name: "weft_starter_month", status: "ACTIVE" }] });
    if (r.method === "POST" && p === "/v1/billing/subscriptions") {
      if (!r.headers.get("PayPal-Request-Id")) return json(400, { name: "MISSING_REQUEST_ID" });
      const id = `I-FAKE${this.subscriptions.size + 1}`;
      const s = {
        id,
        status: "APPROVAL_PENDING",
        plan_id: body.plan_id,
        custom_id: body.custom_id,
        plan_override: body.plan,
        links: [
          { href: `https://www.sandbox.paypal.com/webapps/billing/subscriptions?ba_token=BA-${id}`, rel: "approve", method: "GET" },
          { href: `https://api.sandbox.paypal.com/v1/billing/subscriptions/${id}`, rel: "self", method: "GET" },
        ],
      };
      this.subscriptions.set(id, s);
      return json(201, s);
    }
    const sub = /^\/v1\/billing\/subscriptions\/([^/]+)$/.exec(p);
    if (sub && r.method === "GET")
      return this.subscriptions.has(sub[1]!) ? json(200, this.subscriptions.get(sub[1]!)) : json(404, { name: "RESOURCE_NOT_FOUND" });
    if (r.method === "POST" && p === "/v1/notifications/verify-webhook-signature") {
      // Verifies like PayPal does: CRC32 of the exact event, certificate public key, webhook id.
      const raw = JSON.stringify(body.webhook_event);
      const cert = parseCertificate(pemToDer(this.signer.certPem));
      const key = await crypto.subtle.importKey("spki", cert.spki, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
      const ok =
        body.webhook_id === PAYPAL.webhookId &&
        body.cert_url === this.certUrl &&
        (await crypto.subtle.verify(
          "RSASSA-PKCS1-v1_5",
          key,
          Uint8Array.from(atob(body.transmission_sig ?? ""), (c) => c.charCodeAt(0)),
          new TextEncoder().encode(
            signedMessage({ transmissionId: body.transmission_id, transmissionTime: body.transmission_time }, PAYPAL.webhookId, raw),
          ),
        ));
      return json(200, { verification_status: ok ? "SUCCESS" : "FAILURE" });
    }
    return json(404, { name: "RESOURCE_NOT_FOUND", message: `${r.method} ${p}` });
  }
}

/** Routes provider traffic to the fakes (by host) until `restore()`. */
export function installFakes(fakes: { stripe?: FakeStripe; paypal?: FakePaypal; stripeHost?: string }) {
  const prev = providerTransport.current;
  providerTransport.current = async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const r: Req = { method: req.method, url: new URL(req.url), headers: req.headers, body: req.method === "GET" ? "" : await req.text() };
    if (fakes.stripe && r.url.hostname === (fakes.stripeHost ?? "api.stripe.com")) return fakes.stripe.handle(r);
    if (fakes.paypal && /paypal\.com$/.test(r.url.hostname)) return fakes.paypal.handle(r);
    return new Response(`no fake for ${r.url.href}`, { status: 599 });
  };
  return () => {
    providerTransport.current = prev;
  };
}
