/**
 * Mixpanel /import (https://docs.mixpanel.com/reference/import-events): a JSON array of
 * `{ event, properties: { time (ms), distinct_id, $insert_id, …props } }`, ≤ 2,000 events and a
 * few MB per request, `?strict=1&project_id=…`, HTTP Basic auth with a service account
 * (`username:secret`) or the project's API secret (`secret:`). With strict=1 a 400 names the
 * events that failed (`failed_records`) while the valid ones are imported (`num_records_imported`):
 * a partial success, not retried. 429 and 5xx are retried; `$insert_id` makes that safe (Mixpanel
 * deduplicates on it).
 */
import { sha256Hex, toBase64 } from "../../../platform/crypto";
import type { Env } from "../../../platform/env";
import type { DestinationConfig } from "../../../../schema/analytics-forwarding";
import { mixpanelBaseUrl } from "./env";
import type { ForwardEvent } from "./message";
import { type AttemptResult, isRetryable, networkError, postJson, shortBody } from "./provider";

export const MIXPANEL_MAX_EVENTS = 2000;
/** Mixpanel documents 10 MB uncompressed per request (2 MB in older docs): stay under the smaller. */
export const MIXPANEL_MAX_BYTES = 2_000_000;

export interface MixpanelEvent {
  event: string;
  properties: Record<string, unknown> & { time: number; distinct_id: string; $insert_id: string };
}

/** `$insert_id`: ≤ 36 letters, digits or '-'. Other ids are hashed (the same event always maps to the same id). */
export async function mixpanelInsertId(id: string): Promise<string> {
  if (/^[A-Za-z0-9-]{1,36}$/.test(id)) return id;
  return (await sha256Hex(id)).slice(0, 36);
}

/** The tracker's names for Mixpanel's own: `$pageview` is Mixpanel's `$mp_web_page_view`. */
const EVENT_NAMES: Record<string, string> = { $pageview: "$mp_web_page_view" };

export async function toMixpanelEvent(e: ForwardEvent): Promise<MixpanelEvent> {
  const { $anon_distinct_id, ...props } = e.props;
  const properties: MixpanelEvent["properties"] = {
    ...props,
    time: e.ts,
    distinct_id: e.distinct_id,
    $insert_id: await mixpanelInsertId(e.id),
  };
  // Simplified ID merge: an identify carries the anonymous (device) id and the user id.
  if (typeof $anon_distinct_id === "string" && $anon_distinct_id !== e.distinct_id) {
    properties.$device_id = $anon_distinct_id;
    properties.$user_id = e.distinct_id;
  }
  if (e.ctx?.country && properties.mp_country_code === undefined) properties.mp_country_code = e.ctx.country;
  if (e.ctx?.browser && properties.$browser === undefined) properties.$browser = e.ctx.browser;
  if (e.ctx?.os && properties.$os === undefined) properties.$os = e.ctx.os;
  if (properties.mp_lib === undefined) properties.mp_lib = "weft";
  return { event: EVENT_NAMES[e.name] ?? e.name, properties };
}

/** Splits into requests of ≤ 2,000 events and ≤ MIXPANEL_MAX_BYTES of JSON (deterministic, so retries resume by index). */
export function chunkMixpanel(events: MixpanelEvent[], maxEvents = MIXPANEL_MAX_EVENTS, maxBytes = MIXPANEL_MAX_BYTES): MixpanelEvent[][] {
  const out: MixpanelEvent[][] = [];
  let cur: MixpanelEvent[] = [];
  let bytes = 2;
  for (const e of events) {
    const n = JSON.stringify(e).length + 1;
    if (cur.length && (cur.length >= maxEvents || bytes + n > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = 2;
    }
    cur.push(e);
    bytes += n;
  }
  if (cur.length) out.push(cur);
  return out;
}

export function mixpanelAuth(config: DestinationConfig, secret: string): string {
  const user = config.serviceAccountUsername ? `${config.serviceAccountUsername}:${secret}` : `${secret}:`;
  return `Basic ${toBase64(new TextEncoder().encode(user))}`;
}

export function mixpanelImportUrl(env: Env, config: DestinationConfig): string {
  const u = new URL(`${mixpanelBaseUrl(env, config.region)}/import`);
  u.searchParams.set("strict", "1");
  if (config.projectId) u.searchParams.set("project_id", config.projectId);
  return u.toString();
}

interface ImportAnswer {
  code?: number;
  num_records_imported?: number;
  status?: string;
  error?: string;
  failed_records?: { index: number; insert_id?: string; $insert_id?: string; field?: string; message?: string }[];
}

function parse(text: string): ImportAnswer | null {
  try {
    const j = JSON.parse(text);
    return j && typeof j === "object" ? (j as ImportAnswer) : null;
  } catch {
    return null;
  }
}

export async function deliverMixpanel(
  env: Env,
  config: DestinationConfig,
  secret: string,
  events: ForwardEvent[],
  requestsDone: number,
): Promise<AttemptResult> {
  const chunks = chunkMixpanel(await Promise.all(events.map(toMixpanelEvent)));
  const url = mixpanelImportUrl(env, config);
  const auth = mixpanelAuth(config, secret);
  const r: AttemptResult = { outcome: "done", sent: 0, failed: 0, skipped: 0, requestsDone, statusCode: null, error: null, details: {} };
  const rejected: { event: string; insert_id: string | null; field: string | null; message: string }[] = [];
  for (const [i, chunk] of chunks.entries()) {
    if (i < requestsDone) continue;
    let answer: Awaited<ReturnType<typeof postJson>>;
    try {
      answer = await postJson(url, JSON.stringify(chunk), { Authorization: auth });
    } catch (e) {
      return { ...r, outcome: "retry", error: networkError("Mixpanel", e) };
    }
    r.statusCode = answer.status;
    const body = parse(answer.text);
    if (answer.status >= 200 && answer.status < 300) {
      r.sent += body?.num_records_imported ?? chunk.length;
      r.requestsDone = i + 1;
      continue;
    }
    if (answer.status === 400 && body && Array.isArray(body.failed_records)) {
      // strict mode: the listed records were rejected, the rest imported.
      const failed = body.failed_records;
      r.failed += failed.length;
      r.sent += body.num_records_imported ?? Math.max(0, chunk.length - failed.length);
      for (const f of failed.slice(0, Math.max(0, 20 - rejected.length))) {
        rejected.push({
          event: chunk[f.index]?.event ?? "?",
          insert_id: f.insert_id ?? f.$insert_id ?? null,
          field: f.field ?? null,
          message: String(f.message ?? "rejected"),
        });
      }
      r.error = `Mixpanel rejected ${r.failed} event(s): ${rejected[0]?.message ?? body.error ?? "validation failed"}`;
      r.requestsDone = i + 1;
      continue;
    }
    const error = `Mixpanel answered HTTP ${answer.status}: ${shortBody(answer.text)}`;
    if (isRetryable(answer.status))
      return { ...r, outcome: "retry", error, retryAfterSeconds: answer.retryAfterSeconds, details: rejected.length ? { rejected } : {} };
    // 401/403 (credentials), 413, other 4xx: permanent for everything not yet sent.
    const left = chunks.slice(i).reduce((n, c) => n + c.length, 0);
    return { ...r, outcome: "permanent", failed: r.failed + left, error, details: rejected.length ? { rejected } : {} };
  }
  if (rejected.length) r.details.rejected = rejected;
  r.details.requests = chunks.length;
  return r;
}

/**
 * "Test connection": Mixpanel has no validate-only import, so this imports one event named
 * `Weft connection test` (its `$insert_id` is fixed per destination: testing again adds nothing new).
 */
export async function testMixpanel(env: Env, destinationId: string, config: DestinationConfig, secret: string) {
  const event = {
    event: "Weft connection test",
    properties: {
      time: Date.now(),
      distinct_id: "weft-connection-test",
      $insert_id: (await sha256Hex(`test:${destinationId}`)).slice(0, 36),
      mp_lib: "weft",
    },
  };
  let answer: Awaited<ReturnType<typeof postJson>>;
  try {
    answer = await postJson(mixpanelImportUrl(env, config), JSON.stringify([event]), { Authorization: mixpanelAuth(config, secret) });
  } catch (e) {
    return { ok: false, status: null, message: networkError("Mixpanel", e), validation_messages: [] };
  }
  const ok = answer.status >= 200 && answer.status < 300;
  const body = parse(answer.text);
  return {
    ok,
    status: answer.status,
    message: ok
      ? "Mixpanel accepted a test event (“Weft connection test”)."
      : answer.status === 401 || answer.status === 403
        ? `Mixpanel refused the credentials (HTTP ${answer.status}): ${shortBody(answer.text)}`
        : `Mixpanel answered HTTP ${answer.status}: ${shortBody(answer.text)}`,
    validation_messages: (body?.failed_records ?? []).map((f) => ({ field: f.field ?? "", message: String(f.message ?? "") })),
  };
}
