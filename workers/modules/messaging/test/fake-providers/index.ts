import { importJWK, jwtVerify, decodeProtectedHeader } from "jose";
import { setTransport } from "../../providers/http";
import { resetLimiter } from "../../providers/limiter";
import { b64uDecode, b64uEncode } from "../../providers/webpush";
import { verifySignature } from "../../../../platform/standard-webhooks";
import { decryptPushBody } from "./push-decrypt";

/**
 * Local fake provider servers. Tests run inside workerd, so instead of listening on ports the
 * adapters' transport (providers/http.ts) is routed here; the adapters still build the exact
 * production requests (real URLs, headers, bodies). Each fake checks the request the way the
 * provider does — auth header, content type, required fields — and answers with the provider's
 * success or error shapes. `mode` scripts the next answers: ok, rate_limit (429 + Retry-After),
 * error (5xx), reject (the provider's validation error).
 */
export type Mode = "ok" | "rate_limit" | "error" | "reject" | "gone";
export interface Recorded {
  host: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  accepted: boolean;
  status: number;
}

export const CREDS = {
  resend: "re_test_0123456789abcdef",
  sendgrid: "SG.test-key.0123456789",
  postmark: "pm-server-token-0123456789",
  twilioSid: "AC" + "0123456789abcdef0123456789abcdef",
  twilioToken: "twilio-auth-token-0123",
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

export class FakeProviders {
  requests: Recorded[] = [];
  /** Simulated network + provider time per request (the benchmark uses it; tests leave it at 0). */
  latencyMs = 0;
  private modes = new Map<string, Mode[]>();
  /** Push subscribers the fake push service can decrypt for: endpoint → keys. */
  pushSubscribers = new Map<string, { privateJwk: JsonWebKey; p256dh: string; auth: string; received: string[] }>();
  /** Webhook receivers: URL → { secret, received bodies, answer }. */
  webhookReceivers = new Map<
    string,
    { secret: string; received: { headers: Record<string, string>; body: string; verified: boolean }[]; status: number[] }
  >();

  /** Queue answers for a host ("api.resend.com"…); when empty the fake answers ok. */
  script(host: string, ...modes: Mode[]) {
    this.modes.set(host, [...(this.modes.get(host) ?? []), ...modes]);
  }
  clearScripts() {
    this.modes.clear();
    resetLimiter();
  }
  private next(host: string): Mode {
    const q = this.modes.get(host);
    return q?.shift() ?? "ok";
  }
  install() {
    resetLimiter();
    setTransport((req) => this.handle(req));
    return this;
  }
  uninstall() {
    setTransport(null);
  }
  to(host: string) {
    return this.requests.filter((r) => r.host === host);
  }

  async handle(req: Request): Promise<Response> {
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const url = new URL(req.url);
    const bytes = new Uint8Array(await req.arrayBuffer());
    const body = new TextDecoder().decode(bytes);
    const headers = Object.fromEntries([...req.headers].map(([k, v]) => [k.toLowerCase(), v]));
    const rec: Recorded = {
      host: url.host,
      path: url.pathname,
      method: req.method,
      headers,
      body,
      at: Date.now(),
      accepted: false,
      status: 0,
    };
    this.requests.push(rec);
    const res = await this.route(url, req.method, headers, body, bytes);
    rec.status = res.status;
    rec.accepted = res.status < 300;
    return res;
  }

  private async route(url: URL, method: string, h: Record<string, string>, body: string, bytes: Uint8Array): Promise<Response> {
    switch (url.host) {
      case "api.resend.com":
        return this.resend(url, method, h, body);
      case "api.sendgrid.com":
        return this.sendgrid(url, method, h, body);
      case "api.postmarkapp.com":
        return this.postmark(url, method, h, body);
      case "api.twilio.com":
        return this.twilio(url, method, h, body);
      case "push.example.net":
        return this.push(url, h, bytes);
      default: {
        const receiver = this.webhookReceivers.get(url.toString());
        if (receiver) return this.webhook(receiver, h, body);
        return new Response("no route to host", { status: 502 });
      }
    }
  }

  // Resend: https://resend.com/docs/api-reference/emails/send-email
  private resend(url: URL, method: string, h: Record<string, string>, body: string) {
    if (method !== "POST" || url.pathname !== "/emails") return json(404, { statusCode: 404, name: "not_found", message: "Not found" });
    if (h.authorization !== `Bearer ${CREDS.resend}`)
      return json(401, { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header" });
    if (!h["content-type"]?.startsWith("application/json"))
      return json(422, { statusCode: 422, name: "validation_error", message: "Invalid content type" });
    const b = JSON.parse(body);
    if (!b.from || !Array.isArray(b.to) || !b.to.length || !b.subject || !(b.html || b.text))
      return json(422, { statusCode: 422, name: "validation_error", message: "Missing required field" });
    const mode = this.next(url.host);
    if (mode === "rate_limit")
      return json(
        429,
        { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" },
        { "Retry-After": "1", "ratelimit-limit": "2", "ratelimit-remaining": "0" },
      );
    if (mode === "error") return json(500, { statusCode: 500, name: "internal_server_error", message: "Unexpected error" });
    if (mode === "reject") return json(422, { statusCode: 422, name: "validation_error", message: "Invalid `to` field" });
    return json(200, { id: crypto.randomUUID() });
  }

  // SendGrid v3 Mail Send: https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send
  private sendgrid(url: URL, method: string, h: Record<string, string>, body: string) {
    if (method !== "POST" || url.pathname !== "/v3/mail/send") return json(404, { errors: [{ message: "not found" }] });
    if (h.authorization !== `Bearer ${CREDS.sendgrid}`)
      return json(401, { errors: [{ field: null, message: "The provided authorization grant is invalid, expired, or revoked" }] });
    const b = JSON.parse(body);
    const to = b.personalizations?.[0]?.to?.[0]?.email;
    if (!to || !b.from?.email || !b.subject || !Array.isArray(b.content) || b.content[0]?.type !== "text/plain") {
      return json(400, {
        errors: [
          { field: "personalizations", message: "The personalizations field is required and must have at least one personalization." },
        ],
      });
    }
    const mode = this.next(url.host);
    if (mode === "rate_limit") return json(429, { errors: [{ message: "too many requests" }] }, { "X-RateLimit-Reset": String(1) });
    if (mode === "error") return json(503, { errors: [{ message: "service unavailable" }] });
    if (mode === "reject") return json(400, { errors: [{ field: "personalizations.0.to", message: "Does not contain a valid address." }] });
    return new Response(null, { status: 202, headers: { "X-Message-Id": `sg-${crypto.randomUUID()}` } });
  }

  // Postmark: https://postmarkapp.com/developer/api/email-api
  private postmark(url: URL, method: string, h: Record<string, string>, body: string) {
    if (method !== "POST" || url.pathname !== "/email") return json(404, { ErrorCode: 404, Message: "Not found" });
    if (h["x-postmark-server-token"] !== CREDS.postmark)
      return json(401, { ErrorCode: 10, Message: "No Account or Server API tokens were supplied in the HTTP headers." });
    if (h.accept !== "application/json") return json(406, { ErrorCode: 0, Message: "Accept header must be application/json" });
    const b = JSON.parse(body);
    if (!b.From || !b.To || !(b.TextBody || b.HtmlBody)) return json(422, { ErrorCode: 300, Message: "Invalid email request" });
    const mode = this.next(url.host);
    if (mode === "rate_limit") return json(429, { ErrorCode: 429, Message: "Rate limit exceeded" });
    if (mode === "error") return json(500, { ErrorCode: 500, Message: "Internal server error" });
    if (mode === "reject")
      return json(422, { ErrorCode: 406, Message: "You tried to send to recipient(s) that have been marked as inactive." });
    return json(200, { To: b.To, SubmittedAt: new Date().toISOString(), MessageID: crypto.randomUUID(), ErrorCode: 0, Message: "OK" });
  }

  // Twilio Messages: https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
  private twilio(url: URL, method: string, h: Record<string, string>, body: string) {
    const m = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(url.pathname);
    if (method !== "POST" || !m) return json(404, { code: 20404, message: "The requested resource was not found", status: 404 });
    const expected = `Basic ${btoa(`${CREDS.twilioSid}:${CREDS.twilioToken}`)}`;
    if (m[1] !== CREDS.twilioSid || h.authorization !== expected) return json(401, { code: 20003, message: "Authenticate", status: 401 });
    if (h["content-type"] !== "application/x-www-form-urlencoded")
      return json(400, { code: 21000, message: "Content-Type must be form-encoded", status: 400 });
    const f = new URLSearchParams(body);
    if (!f.get("To") || !(f.get("From") || f.get("MessagingServiceSid")) || !f.get("Body"))
      return json(400, { code: 21604, message: "A 'To' phone number is required.", status: 400 });
    const mode = this.next(url.host);
    if (mode === "rate_limit") return json(429, { code: 20429, message: "Too Many Requests", status: 429 });
    if (mode === "error") return json(500, { code: 20500, message: "Internal Server Error", status: 500 });
    if (mode === "reject")
      return json(400, { code: 21211, message: `The 'To' number ${f.get("To")} is not a valid phone number.`, status: 400 });
    return json(201, { sid: `SM${crypto.randomUUID().replace(/-/g, "")}`, status: "queued", to: f.get("To"), body: f.get("Body") });
  }

  /** A browser push service: checks VAPID (RFC 8292) and decrypts the aes128gcm body (RFC 8291) with the subscriber's key. */
  private async push(url: URL, h: Record<string, string>, bytes: Uint8Array) {
    const sub = this.pushSubscribers.get(url.toString());
    if (!sub) return new Response("subscription not found", { status: 404 });
    if (this.next(url.host) === "gone") return new Response("gone", { status: 410 });
    const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(h.authorization ?? "");
    if (!m) return new Response("missing VAPID authorization", { status: 401 });
    const [, jwt, k] = m;
    const pub = b64uDecode(k!);
    if (decodeProtectedHeader(jwt!).alg !== "ES256") return new Response("bad alg", { status: 401 });
    try {
      const key = await importJWK({ kty: "EC", crv: "P-256", x: b64uEncode(pub.slice(1, 33)), y: b64uEncode(pub.slice(33, 65)) }, "ES256");
      const { payload } = await jwtVerify(jwt!, key, { audience: url.origin });
      if (!payload.exp || payload.exp - Date.now() / 1000 > 24 * 3600) return new Response("exp too far", { status: 403 });
      if (typeof payload.sub !== "string" || !/^(mailto:|https:)/.test(payload.sub)) return new Response("bad sub", { status: 403 });
    } catch (e) {
      return new Response(`bad VAPID token: ${e}`, { status: 403 });
    }
    if (h["content-encoding"] !== "aes128gcm" || !h.ttl) return new Response("need Content-Encoding: aes128gcm and TTL", { status: 400 });
    try {
      sub.received.push(await decryptPushBody(bytes, sub.privateJwk, sub.p256dh, sub.auth));
    } catch (e) {
      return new Response(`cannot decrypt: ${e}`, { status: 400 });
    }
    return new Response(null, { status: 201, headers: { Location: `${url.origin}/m/${crypto.randomUUID()}` } });
  }

  private async webhook(
    r: { secret: string; received: { headers: Record<string, string>; body: string; verified: boolean }[]; status: number[] },
    h: Record<string, string>,
    body: string,
  ) {
    const verified = await verifySignature(
      r.secret,
      { "webhook-id": h["webhook-id"]!, "webhook-timestamp": h["webhook-timestamp"]!, "webhook-signature": h["webhook-signature"]! },
      body,
    );
    r.received.push({ headers: h, body, verified });
    const status = r.status.shift() ?? (verified ? 200 : 401);
    return new Response(status < 300 ? "ok" : `nope ${status}`, { status });
  }
}
