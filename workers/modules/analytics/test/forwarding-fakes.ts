/**
 * Local fakes of Mixpanel's /import and GA4's Measurement Protocol for the forwarding tests. As with
 * messaging's fake providers (which this wraps, for the signed webhook receivers), workerd cannot
 * listen on ports, so messaging's outbound transport is routed here; the forwarding code still
 * builds the production requests (real URLs, auth, bodies). Each fake checks requests the way the
 * provider documents it and answers with its shapes:
 * - Mixpanel (docs.mixpanel.com/reference/import-events): Basic auth (service account + project_id,
 *   or API secret as user name), `strict=1`, a JSON array of ≤ 2,000 events with `time`,
 *   `distinct_id`, `$insert_id` (≤ 36 of [A-Za-z0-9-]); strict 400 with `failed_records` and
 *   `num_records_imported`; deduplication on `$insert_id`.
 * - GA4 (/mp/collect, /debug/mp/collect): measurement_id + api_secret query, client_id, ≤ 25 events,
 *   name rules, reserved names, ≤ 25 params, value lengths, timestamps ≤ 72 h back. /mp/collect
 *   answers 204 whatever it thinks (as GA4 does) and records what it would have dropped;
 *   /debug/mp/collect answers `validationMessages`.
 * `script(host, ...modes)` queues answers for the next requests: "error" (500), "rate_limit" (429 +
 * Retry-After: 1), "bad_request" (400 without per-event detail).
 */
import { setTransport } from "../../messaging/providers/http";
import { FakeProviders } from "../../messaging/test/fake-providers";
import { GA4_RESERVED_EVENTS } from "../forwarding/ga4";

export const MIXPANEL_HOST = "api.mixpanel.com";
export const GA4_HOST = "www.google-analytics.com";
export type ForwardMode = "ok" | "error" | "rate_limit" | "bad_request";

export interface MixpanelEventJson {
  event: string;
  properties: Record<string, unknown>;
}
export interface MixpanelRequest {
  url: URL;
  headers: Record<string, string>;
  body: MixpanelEventJson[];
  status: number;
}
export interface Ga4Body {
  client_id?: unknown;
  user_id?: unknown;
  timestamp_micros?: number;
  events?: { name?: string; params?: Record<string, unknown>; timestamp_micros?: number }[];
}
export interface Ga4Hit {
  url: URL;
  debug: boolean;
  body: Ga4Body | null;
  status: number;
  /** What GA4 would have reported for this payload (and silently dropped). */
  problems: string[];
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
const NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const PLACEHOLDER_IDS = new Set(["anon", "anonymous", "nil", "none", "null", "n/a", "undefined", "00000000-0000-0000-0000-000000000000"]);

export class FakeForwardApis {
  readonly providers = new FakeProviders();
  /** Mixpanel projects: project id → service accounts (user → secret) and the project API secret. */
  mixpanelProjects = new Map<string, { serviceAccounts: Map<string, string>; apiSecret: string }>();
  mixpanelRequests: MixpanelRequest[] = [];
  /** Imported events by $insert_id (deduplicated, as Mixpanel does). */
  mixpanelImported = new Map<string, { project: string; event: MixpanelEventJson }>();
  /** GA4 web streams: measurement id → API secret. */
  ga4Streams = new Map<string, string>();
  ga4Hits: Ga4Hit[] = [];
  private modes = new Map<string, ForwardMode[]>();

  install() {
    this.providers.install(); // resets messaging's limiter, then we take the transport over
    setTransport((req) => this.handle(req));
    return this;
  }
  uninstall() {
    setTransport(null);
  }
  script(host: string, ...modes: ForwardMode[]) {
    this.modes.set(host, [...(this.modes.get(host) ?? []), ...modes]);
  }
  private next(host: string): ForwardMode {
    return this.modes.get(host)?.shift() ?? "ok";
  }
  mixpanelFor(projectId: string) {
    return this.mixpanelRequests.filter((r) => r.url.searchParams.get("project_id") === projectId || r.headers["x-project"] === projectId);
  }
  ga4For(measurementId: string, debug = false) {
    return this.ga4Hits.filter((h) => h.url.searchParams.get("measurement_id") === measurementId && h.debug === debug);
  }

  async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.host === MIXPANEL_HOST) return this.mixpanel(url, req);
    if (url.host === GA4_HOST) return this.ga4(url, req);
    return this.providers.handle(req);
  }

  private async mixpanel(url: URL, req: Request): Promise<Response> {
    const headers = Object.fromEntries([...req.headers].map(([k, v]) => [k.toLowerCase(), v]));
    const text = await req.text();
    const rec: MixpanelRequest = { url, headers, body: [], status: 0 };
    this.mixpanelRequests.push(rec);
    const answer = (status: number, body: unknown, h: Record<string, string> = {}) => {
      rec.status = status;
      return json(status, body, h);
    };
    if (req.method !== "POST" || url.pathname !== "/import") return answer(404, { error: "not found" });
    if (url.protocol !== "https:") return answer(400, { code: 400, error: "https is required", status: "Bad Request" });
    // Authentication: service account (user:secret + project_id) or the project's API secret (secret:).
    const m = /^Basic (.+)$/.exec(headers.authorization ?? "");
    const [user, pass] = m?.[1] ? atob(m[1]).split(/:(.*)/s) : ["", ""];
    let project: string | null = null;
    for (const [id, p] of this.mixpanelProjects) {
      const sa = p.serviceAccounts.get(user ?? "");
      if (sa !== undefined && sa === pass && url.searchParams.get("project_id") === id) project = id;
      if (!pass && user === p.apiSecret) project = id;
    }
    if (!project) return answer(401, { code: 401, error: "Invalid credentials", status: "Unauthorized" });
    rec.headers["x-project"] = project;
    if (!headers["content-type"]?.startsWith("application/json")) return answer(415, { code: 415, error: "unsupported content type" });
    const mode = this.next(MIXPANEL_HOST);
    if (mode === "error") return answer(500, { code: 500, error: "Internal server error", status: "Internal Server Error" });
    if (mode === "rate_limit")
      return answer(429, { code: 429, error: "Too many requests", status: "Too Many Requests" }, { "Retry-After": "1" });
    if (mode === "bad_request") return answer(400, { code: 400, error: "unable to parse request body", status: "Bad Request" });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return answer(400, { code: 400, error: "unable to parse request body", status: "Bad Request" });
    }
    if (!Array.isArray(parsed)) return answer(400, { code: 400, error: "body must be a JSON array", status: "Bad Request" });
    const events = parsed as MixpanelEventJson[];
    rec.body = events;
    if (events.length > 2000)
      return answer(413, { code: 413, error: "too many events in one request (max 2000)", status: "Payload Too Large" });
    const strict = url.searchParams.get("strict") === "1";
    const failed: { index: number; insert_id: string; field: string; message: string }[] = [];
    let imported = 0;
    for (const [index, e] of events.entries()) {
      const p = e?.properties ?? {};
      const fail = (field: string, message: string) => failed.push({ index, insert_id: String(p.$insert_id ?? ""), field, message });
      if (typeof e?.event !== "string" || !e.event) {
        fail("event", "'event' must be a non-empty string");
      } else if (typeof p.time !== "number" || p.time < Date.UTC(1971, 0, 1) / 1000 || p.time > Date.now() + 3600_000) {
        fail("properties.time", "'properties.time' is invalid: must be specified as seconds or milliseconds since epoch");
      } else if (typeof p.distinct_id !== "string" || PLACEHOLDER_IDS.has(p.distinct_id.toLowerCase())) {
        fail("properties.distinct_id", `'properties.distinct_id' is invalid: ${JSON.stringify(p.distinct_id)} is not allowed`);
      } else if (typeof p.$insert_id !== "string" || !/^[A-Za-z0-9-]{1,36}$/.test(p.$insert_id)) {
        fail("properties.$insert_id", "'properties.$insert_id' must be ≤ 36 alphanumeric characters or '-'");
      } else {
        if (!this.mixpanelImported.has(p.$insert_id)) this.mixpanelImported.set(p.$insert_id, { project: project ?? "", event: e });
        imported++;
      }
    }
    if (failed.length && strict)
      return answer(400, {
        code: 400,
        error: "some data points in the request failed validation",
        failed_records: failed,
        num_records_imported: imported,
        status: "Bad Request",
      });
    return answer(200, { code: 200, num_records_imported: imported, status: "OK" });
  }

  private async ga4(url: URL, req: Request): Promise<Response> {
    const debug = url.pathname === "/debug/mp/collect";
    if (req.method !== "POST" || (url.pathname !== "/mp/collect" && !debug)) return new Response("Not Found", { status: 404 });
    const hit: Ga4Hit = { url, debug, body: null, status: 0, problems: [] };
    this.ga4Hits.push(hit);
    const done = (res: Response) => {
      hit.status = res.status;
      return res;
    };
    const mode = this.next(GA4_HOST);
    if (mode === "error") return done(new Response("Internal Server Error", { status: 500 }));
    if (mode === "rate_limit") return done(new Response("Too Many Requests", { status: 429, headers: { "Retry-After": "1" } }));
    if (mode === "bad_request") return done(new Response("Bad Request", { status: 400 }));
    const text = await req.text();
    const problems: { fieldPath: string; description: string; validationCode: string }[] = [];
    const p = (fieldPath: string, validationCode: string, description: string) => problems.push({ fieldPath, validationCode, description });
    let body: Ga4Body | null = null;
    try {
      body = JSON.parse(text);
    } catch {
      p("", "VALUE_INVALID", "Unable to parse Measurement Protocol JSON payload.");
    }
    hit.body = body;
    const id = url.searchParams.get("measurement_id") ?? "";
    // The validation server does not check the secret; collection silently drops a wrong one.
    if (!debug && this.ga4Streams.get(id) !== url.searchParams.get("api_secret")) hit.problems.push("api_secret does not match the stream");
    if (body) {
      if (typeof body.client_id !== "string" || !body.client_id) p("client_id", "VALUE_REQUIRED", "client_id is required.");
      if (body.timestamp_micros !== undefined && String(body.timestamp_micros).length < 16)
        p("timestamp_micros", "VALUE_INVALID", "timestamp_micros must be in microseconds.");
      if (body.timestamp_micros !== undefined && body.timestamp_micros < (Date.now() - 72 * 3600_000) * 1000)
        p("timestamp_micros", "VALUE_OUT_OF_BOUNDS", "timestamp_micros is more than 72 hours in the past.");
      const events = Array.isArray(body.events) ? body.events : [];
      if (!events.length) p("events", "VALUE_REQUIRED", "events is required.");
      if (events.length > 25) p("events", "EXCEEDED_MAX_ENTITIES", `A request can have at most 25 events; it had ${events.length}.`);
      for (const [i, e] of events.entries()) {
        const name = e?.name ?? "";
        if (!NAME_RE.test(name))
          p("events", "NAME_INVALID", `Event at index: [${i}] has invalid name [${name}]. Names must start with an alphabetic character.`);
        else if (GA4_RESERVED_EVENTS.has(name) || /^(_|firebase_|ga_|google_|gtag\.)/.test(name))
          p("events", "NAME_RESERVED", `Event at index: [${i}] has name [${name}] which is reserved.`);
        const params = e?.params ?? {};
        const keys = Object.keys(params);
        if (keys.length > 25) p(`events[${i}].params`, "EXCEEDED_MAX_ENTITIES", "An event can have at most 25 parameters.");
        for (const k of keys) {
          if (!NAME_RE.test(k)) p(`events[${i}].params`, "NAME_INVALID", `Param [${k}] has an invalid name.`);
          const v = params[k];
          const max = k === "page_location" ? 1000 : k === "page_referrer" ? 420 : k === "page_title" ? 300 : 100;
          if (typeof v === "string" && v.length > max) p(`events[${i}].params.${k}`, "VALUE_OUT_OF_BOUNDS", `Value of [${k}] is too long.`);
          if (typeof v !== "string" && typeof v !== "number")
            p(`events[${i}].params.${k}`, "VALUE_INVALID", `Value of [${k}] must be a string or number.`);
        }
      }
    }
    hit.problems.push(...problems.map((x) => `${x.validationCode}: ${x.description}`));
    if (debug) return done(json(200, { validationMessages: problems }));
    return done(new Response(null, { status: 204 }));
  }
}
