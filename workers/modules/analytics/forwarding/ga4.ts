/**
 * Google Analytics 4 Measurement Protocol (web streams):
 * `POST {base}/mp/collect?measurement_id=G-…&api_secret=…` with
 * `{ client_id, user_id?, timestamp_micros, events: [{ name, params, timestamp_micros }] }`.
 * Limits (developers.google.com/analytics/devguides/collection/protocol/ga4): ≤ 25 events per
 * request, ≤ 25 params per event, event and param names ≤ 40 chars of letters, digits and `_`
 * starting with a letter, no reserved names or prefixes, param values ≤ 100 chars (page_location
 * 1,000, page_referrer 420, page_title 300), timestamps at most 72 hours back. Each request is one
 * client, so events are grouped by client before they are cut into requests of 25.
 * GA4 answers 2xx even for malformed events; `/debug/mp/collect` (the validation server) returns
 * `validationMessages` instead — that is what "Test connection" calls.
 */
import type { Env } from "../../../platform/env";
import type { DestinationConfig } from "../../../../schema/analytics-forwarding";
import { ga4BaseUrl } from "./env";
import type { ForwardEvent } from "./message";
import { type AttemptResult, isRetryable, networkError, postJson, shortBody } from "./provider";

export const GA4_MAX_EVENTS = 25;
export const GA4_MAX_PARAMS = 25;
export const GA4_MAX_AGE_MS = 72 * 3600 * 1000;
const NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
/** Reserved event names of the Measurement Protocol reference. */
export const GA4_RESERVED_EVENTS = new Set([
  "ad_activeview",
  "ad_click",
  "ad_exposure",
  "ad_impression",
  "ad_query",
  "ad_reward",
  "adunit_exposure",
  "app_clear_data",
  "app_exception",
  "app_install",
  "app_remove",
  "app_store_refund",
  "app_update",
  "app_upgrade",
  "dynamic_link_app_open",
  "dynamic_link_app_update",
  "dynamic_link_first_open",
  "error",
  "firebase_campaign",
  "firebase_in_app_message_action",
  "firebase_in_app_message_dismiss",
  "firebase_in_app_message_impression",
  "first_open",
  "first_visit",
  "in_app_purchase",
  "notification_dismiss",
  "notification_foreground",
  "notification_open",
  "notification_receive",
  "notification_send",
  "os_update",
  "session_start",
  "user_engagement",
]);
const RESERVED_PREFIXES = ["_", "firebase_", "ga_", "google_", "gtag."];
const RESERVED_PARAMS = new Set(["firebase_conversion"]);

/** Tracker names with a GA4 equivalent. */
const EVENT_MAP: Record<string, string> = { $pageview: "page_view" };

export function snakeCase(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export type NameResult = { name: string; renamed: boolean } | { name: null; reason: string };

/** A GA4-valid event name for ours: `$pageview` → page_view, other `$…` → snake_case, invalid names repaired or dropped. */
export function ga4EventName(name: string): NameResult {
  let out = EVENT_MAP[name];
  if (!out) {
    if (name.startsWith("$")) out = snakeCase(name.slice(1));
    else if (NAME_RE.test(name)) out = name;
    else {
      out = snakeCase(name);
      if (/^[0-9]/.test(out)) out = `e_${out}`;
    }
    out = out.slice(0, 40).replace(/_+$/, "");
  }
  if (!out || !NAME_RE.test(out)) return { name: null, reason: "no letters or digits left to make a GA4 event name" };
  if (GA4_RESERVED_EVENTS.has(out)) return { name: null, reason: `"${out}" is reserved by Google Analytics` };
  const prefix = RESERVED_PREFIXES.find((p) => out.startsWith(p));
  if (prefix) return { name: null, reason: `the prefix "${prefix}" is reserved by Google Analytics` };
  return { name: out, renamed: out !== name };
}

function paramName(key: string): string | null {
  let k = NAME_RE.test(key) ? key : snakeCase(key);
  if (/^[0-9]/.test(k)) k = `p_${k}`;
  k = k.slice(0, 40).replace(/_+$/, "");
  if (!NAME_RE.test(k) || RESERVED_PARAMS.has(k) || RESERVED_PREFIXES.some((p) => k.startsWith(p))) return null;
  return k;
}

function paramValue(v: unknown, max = 100): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") return v.slice(0, max);
  if (typeof v === "boolean") return String(v);
  return JSON.stringify(v).slice(0, max);
}

export function ga4Params(e: ForwardEvent): Record<string, string | number> {
  const p = e.props;
  const params: Record<string, string | number> = {};
  const put = (k: string, v: unknown, max?: number) => {
    const val = paramValue(v, max);
    if (val !== null && val !== "" && Object.keys(params).length < GA4_MAX_PARAMS) params[k] = val;
  };
  put("page_location", p.$current_url, 1000);
  put("page_referrer", p.$referrer, 420);
  put("page_title", p.$title ?? p.title, 300);
  put("session_id", p.$session_id);
  for (const [k, v] of Object.entries(p)) {
    if (k.startsWith("$") || k === "title") continue; // the tracker's own properties, mapped above or internal
    const name = paramName(k);
    if (name && !(name in params)) put(name, v);
  }
  return params;
}

/** GA4 identifies a browser by client_id; a tenant can pass the gtag one as `$ga_client_id` to stitch sessions. */
export function ga4Identity(e: ForwardEvent): { client_id: string; user_id?: string } {
  const p = e.props;
  const client =
    typeof p.$ga_client_id === "string" ? p.$ga_client_id : typeof p.$anon_distinct_id === "string" ? p.$anon_distinct_id : e.distinct_id;
  return client === e.distinct_id ? { client_id: client } : { client_id: client, user_id: e.distinct_id };
}

export interface Ga4Request {
  client_id: string;
  user_id?: string;
  timestamp_micros: number;
  events: { name: string; params: Record<string, string | number>; timestamp_micros: number }[];
}

export interface Ga4Plan {
  requests: Ga4Request[];
  renamed: { from: string; to: string }[];
  dropped: { name: string; reason: string; count: number }[];
  skipped: number;
}

/** Maps, groups per client and cuts into requests of ≤ 25 events (deterministic: retries resume by index). */
export function planGa4(events: ForwardEvent[], now = Date.now()): Ga4Plan {
  const renamed = new Map<string, string>();
  const dropped = new Map<string, { reason: string; count: number }>();
  const drop = (name: string, reason: string) => {
    const d = dropped.get(name) ?? { reason, count: 0 };
    d.count++;
    dropped.set(name, d);
  };
  const groups = new Map<string, { id: ReturnType<typeof ga4Identity>; events: Ga4Request["events"] }>();
  let skipped = 0;
  for (const e of events) {
    if (e.ts < now - GA4_MAX_AGE_MS) {
      drop(e.name, "older than 72 hours (the Measurement Protocol's limit)");
      skipped++;
      continue;
    }
    const n = ga4EventName(e.name);
    if (n.name === null) {
      drop(e.name, n.reason);
      skipped++;
      continue;
    }
    if (n.renamed && e.name !== "$pageview") renamed.set(e.name, n.name);
    const id = ga4Identity(e);
    const key = `${id.client_id}\u0000${id.user_id ?? ""}`;
    const g = groups.get(key) ?? { id, events: [] };
    g.events.push({ name: n.name, params: ga4Params(e), timestamp_micros: e.ts * 1000 });
    groups.set(key, g);
  }
  const requests: Ga4Request[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.events.length; i += GA4_MAX_EVENTS) {
      const evs = g.events.slice(i, i + GA4_MAX_EVENTS);
      requests.push({ ...g.id, timestamp_micros: evs[0]?.timestamp_micros ?? 0, events: evs });
    }
  }
  return {
    requests,
    renamed: [...renamed].map(([from, to]) => ({ from, to })),
    dropped: [...dropped].map(([name, d]) => ({ name, ...d })),
    skipped,
  };
}

export function ga4Url(env: Env, config: DestinationConfig, secret: string, debug = false): string {
  const u = new URL(`${ga4BaseUrl(env)}${debug ? "/debug" : ""}/mp/collect`);
  u.searchParams.set("measurement_id", config.measurementId ?? "");
  u.searchParams.set("api_secret", secret);
  return u.toString();
}

export async function deliverGa4(
  env: Env,
  config: DestinationConfig,
  secret: string,
  events: ForwardEvent[],
  requestsDone: number,
  now = Date.now(),
) {
  const plan = planGa4(events, now);
  const details: Record<string, unknown> = { requests: plan.requests.length };
  if (plan.renamed.length) details.renamed = plan.renamed;
  if (plan.dropped.length) details.dropped = plan.dropped;
  // Events left out by the mapping (the consumer counts them on the batch's first attempt only).
  const r: AttemptResult = {
    outcome: "done",
    sent: 0,
    failed: 0,
    skipped: plan.skipped,
    requestsDone,
    statusCode: null,
    error: null,
    details,
  };
  const url = ga4Url(env, config, secret);
  for (const [i, req] of plan.requests.entries()) {
    if (i < requestsDone) continue;
    let answer: Awaited<ReturnType<typeof postJson>>;
    try {
      answer = await postJson(url, JSON.stringify(req));
    } catch (e) {
      return { ...r, outcome: "retry" as const, error: networkError("GA4", e) };
    }
    r.statusCode = answer.status;
    if (answer.status >= 200 && answer.status < 300) {
      r.sent += req.events.length;
      r.requestsDone = i + 1;
      continue;
    }
    const error = `GA4 answered HTTP ${answer.status}: ${shortBody(answer.text)}`;
    if (isRetryable(answer.status)) return { ...r, outcome: "retry" as const, error, retryAfterSeconds: answer.retryAfterSeconds };
    const left = plan.requests.slice(i).reduce((n, q) => n + q.events.length, 0);
    return { ...r, outcome: "permanent" as const, failed: left, error };
  }
  return r;
}

/** "Test connection": a sample page_view to the validation server (`/debug/mp/collect`); nothing reaches reports. */
export async function testGa4(env: Env, config: DestinationConfig, secret: string) {
  const sample: Ga4Request = {
    client_id: "weft.connection-test",
    timestamp_micros: Date.now() * 1000,
    events: [
      {
        name: "page_view",
        params: { page_location: "https://example.com/weft-connection-test", page_title: "Weft connection test", session_id: "1" },
        timestamp_micros: Date.now() * 1000,
      },
    ],
  };
  let answer: Awaited<ReturnType<typeof postJson>>;
  try {
    answer = await postJson(ga4Url(env, config, secret, true), JSON.stringify(sample));
  } catch (e) {
    return { ok: false, status: null, message: networkError("GA4", e), validation_messages: [] };
  }
  if (answer.status < 200 || answer.status >= 300) {
    return {
      ok: false,
      status: answer.status,
      message: `GA4's validation server answered HTTP ${answer.status}: ${shortBody(answer.text)}`,
      validation_messages: [],
    };
  }
  let messages: { fieldPath?: string; description?: string; validationCode?: string }[] = [];
  try {
    messages = (JSON.parse(answer.text) as { validationMessages?: typeof messages }).validationMessages ?? [];
  } catch {
    /* an empty body is a pass */
  }
  return {
    ok: messages.length === 0,
    status: answer.status,
    message: messages.length
      ? `GA4's validation server found ${messages.length} problem(s).`
      : "GA4's validation server accepted a sample page_view. It does not check the API secret: look for the events in GA4's Realtime report.",
    validation_messages: messages.map((m) => ({
      field: m.fieldPath ?? "",
      message: `${m.validationCode ?? ""} ${m.description ?? ""}`.trim(),
    })),
  };
}
