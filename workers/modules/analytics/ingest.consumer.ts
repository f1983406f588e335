/**
 * The analytics Queue consumer: one D1 transaction per message (≤ ~100 KB of events) that
 *   1. records aliases from `$identify` events (anonymous id → user; the first merge wins),
 *   2. moves the anonymous id's earlier events to the person (so funnels see one person) and
 *      rebuilds that person's timelines (timelines.ts),
 *   3. inserts the events — all of them in ONE statement over `json_each(?)`, the person resolved
 *      through the alias table in SQL — `ON CONFLICT DO NOTHING RETURNING id`, so a redelivered or
 *      retried batch inserts nothing and the rollup trigger fires only for new rows,
 *   4. upserts identified persons' traits (`$set`) and last-seen times.
 * Then it meters the message's events, forwards them and hands them to the optional Analytics Engine
 * writer — again after a crash between the insert and these (see ownedEvents).
 * A message that fails validation is retried and ends in the dead-letter queue.
 */
import { meter } from "../billing";
import type { Env } from "../../platform/env";
import { sha256Hex } from "../../platform/crypto";
import { createLogger } from "../../platform/logger";
import { pageInfo, parseUserAgent } from "./enrich";
import { writeToAnalyticsEngine } from "./engine";
import { analyticsEnv } from "./env";
import { type IngestMessage, ingestMessageSchema, type QueuedEvent } from "./events";
import { enqueueForwarding } from "./forwarding/enqueue";
import { mergeTimelineStatements } from "./timelines";
import { sendUpgradePrompts } from "./upgrade-prompts";

const log = createLogger({ component: "analytics" });

/** The row as the insert statement reads it from JSON (snake_case keys, enrichment resolved). */
interface EventRow {
  id: string;
  name: string;
  distinct_id: string;
  ts: number;
  session_id: string | null;
  host: string | null;
  path: string | null;
  referrer_host: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  country: string | null;
  device: string;
  browser: string | null;
  os: string | null;
  is_bot: 0 | 1;
  props: Record<string, unknown>;
}

const str = (v: unknown, n = 200) => (typeof v === "string" && v ? v.slice(0, n) : null);

export function toRow(m: IngestMessage, e: QueuedEvent): EventRow {
  // Server events describe a user elsewhere: the request's UA/country are the server's, not theirs.
  const ua = parseUserAgent(str(e.props.$user_agent, 512) ?? (m.source === "web" ? m.userAgent : null));
  const page = pageInfo(e.props);
  const props = m.sampleRate < 1 ? { ...e.props, $sample_rate: m.sampleRate } : e.props;
  return {
    id: e.id,
    name: e.name,
    distinct_id: e.distinct_id,
    ts: e.ts,
    session_id: str(e.props.$session_id, 100),
    host: page.host,
    path: page.path,
    referrer_host: page.referrerHost,
    utm_source: page.utmSource,
    utm_medium: page.utmMedium,
    utm_campaign: page.utmCampaign,
    country: str(e.props.$country, 8) ?? (m.source === "web" ? m.country : null),
    device: ua.device,
    browser: ua.browser,
    os: ua.os,
    is_bot: ua.bot ? 1 : 0,
    props,
  };
}

// The events are materialised first: json_each renders an element's text afresh each time `value` is read, and
// each event reads 19 fields (docs/engineering.md, "Data").
const INSERT_EVENTS = `WITH j AS MATERIALIZED (SELECT value FROM json_each(?2))
INSERT INTO analytics_events (tenant_id, id, name, distinct_id, person_id, ts, received_at, source,
  session_id, host, path, referrer_host, utm_source, utm_medium, utm_campaign, country, device, browser, os, is_bot, props)
SELECT ?1, j.value->>'id', j.value->>'name', j.value->>'distinct_id',
  COALESCE((SELECT a.person_id FROM analytics_aliases a WHERE a.tenant_id = ?1 AND a.distinct_id = j.value->>'distinct_id'), j.value->>'distinct_id'),
  j.value->>'ts', ?3, ?4, j.value->>'session_id', j.value->>'host', j.value->>'path', j.value->>'referrer_host',
  j.value->>'utm_source', j.value->>'utm_medium', j.value->>'utm_campaign', j.value->>'country', j.value->>'device',
  j.value->>'browser', j.value->>'os', j.value->>'is_bot', j.value->'props'
FROM j WHERE true
ON CONFLICT DO NOTHING RETURNING id`;

/** Writes one message's events (rows: their enriched form, from toRow); returns the ids that were new. */
export async function storeEvents(
  d1: D1Database,
  m: IngestMessage,
  rows: EventRow[] = m.events.map((e) => toRow(m, e)),
): Promise<string[]> {
  const merges = m.events
    .filter((e) => e.name === "$identify" && typeof e.props.$anon_distinct_id === "string" && e.props.$anon_distinct_id !== e.distinct_id)
    .map((e) => ({ anon: String(e.props.$anon_distinct_id).slice(0, 200), person: e.distinct_id }));
  const traits = new Map<string, { set: Record<string, unknown>; ts: number }>();
  for (const e of m.events) {
    const set = e.props.$set;
    if (e.name !== "$identify" && !(set && typeof set === "object")) continue;
    const prev = traits.get(e.distinct_id);
    const add = set && typeof set === "object" && !Array.isArray(set) ? (set as Record<string, unknown>) : {};
    traits.set(e.distinct_id, { set: { ...prev?.set, ...add }, ts: Math.max(prev?.ts ?? 0, e.ts) });
  }

  const stmts: D1PreparedStatement[] = [];
  if (merges.length) {
    stmts.push(
      d1
        .prepare(
          `INSERT INTO analytics_aliases (tenant_id, distinct_id, person_id, created_at)
           SELECT ?1, j.value->>'anon', j.value->>'person', ?3 FROM json_each(?2) AS j WHERE true ON CONFLICT DO NOTHING`,
        )
        .bind(m.tenantId, JSON.stringify(merges), m.receivedAt),
    );
    for (const { anon } of merges) {
      stmts.push(
        d1
          .prepare(
            `UPDATE analytics_events SET person_id = (SELECT person_id FROM analytics_aliases WHERE tenant_id = ?1 AND distinct_id = ?2)
             WHERE tenant_id = ?1 AND person_id = ?2`,
          )
          .bind(m.tenantId, anon),
        ...mergeTimelineStatements(d1, m.tenantId, anon),
      );
    }
  }
  const insertIndex = stmts.length;
  stmts.push(d1.prepare(INSERT_EVENTS).bind(m.tenantId, JSON.stringify(rows), m.receivedAt, m.source));
  if (traits.size) {
    const people = [...traits].map(([id, t]) => ({ id, traits: t.set, ts: t.ts }));
    stmts.push(
      d1
        .prepare(
          `INSERT INTO analytics_persons (tenant_id, id, traits, first_seen_at, last_seen_at)
           SELECT ?1, COALESCE((SELECT a.person_id FROM analytics_aliases a WHERE a.tenant_id = ?1 AND a.distinct_id = j.value->>'id'), j.value->>'id'),
             j.value->'traits', j.value->>'ts', j.value->>'ts' FROM json_each(?2) AS j WHERE true
           ON CONFLICT DO UPDATE SET traits = json_patch(analytics_persons.traits, excluded.traits),
             first_seen_at = min(analytics_persons.first_seen_at, excluded.first_seen_at),
             last_seen_at = max(analytics_persons.last_seen_at, excluded.last_seen_at)`,
        )
        .bind(m.tenantId, JSON.stringify(people)),
    );
  }
  const results = await d1.batch<{ id: string }>(stmts);
  return (results[insertIndex]?.results ?? []).map((r) => r.id);
}

/**
 * The events this message stored, sorted: what it meters and forwards. Normally every row was new
 * (`inserted` has them all). When some were not, the message may be a redelivery after a crash
 * between the insert and the follow-ups (metering, forwarding): its own rows are those stored with
 * its `received_at`, whereas a client's retry of the same events arrives in another message with
 * another time and owns nothing. So a crash neither loses the follow-ups nor counts them twice
 * (the metering id repeats; forwarding is at-least-once with event ids the destinations de-duplicate).
 */
export async function ownedEvents(d1: D1Database, m: IngestMessage, rows: { id: string }[], inserted: string[]): Promise<string[]> {
  if (inserted.length >= rows.length) return [...inserted].sort();
  const owned = await d1
    .prepare(
      `SELECT e.id FROM analytics_events e WHERE e.tenant_id = ?1 AND e.received_at = ?3
         AND e.id IN (SELECT j.value FROM json_each(?2) j) ORDER BY e.id`,
    )
    .bind(m.tenantId, JSON.stringify(rows.map((r) => r.id)), m.receivedAt)
    .all<{ id: string }>();
  return owned.results.map((r) => r.id);
}

export async function consumeAnalytics(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = ingestMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      log.error("analytics_message_invalid", { message_id: msg.id, attempts: msg.attempts, error: parsed.error.message.slice(0, 500) });
      msg.retry(); // the queue's retries, then its dead-letter queue keep it for inspection
      continue;
    }
    const m = parsed.data;
    try {
      // Enriched once (user agent, page, UTM): the insert and the Analytics Engine writer share the rows.
      const rows = m.events.map((e) => toRow(m, e));
      const fresh = await ownedEvents(env.DB, m, rows, await storeEvents(env.DB, m, rows));
      if (fresh.length) {
        // The metering event id is derived from the message's own ids: a redelivery after a crash meters
        // them again under the same id, which billing counts once.
        const eventId = `analytics:${(await sha256Hex(fresh.join(","))).slice(0, 32)}`;
        await meter(env, { tenantId: m.tenantId, meter: "analytics_events", quantity: fresh.length, eventId, occurredAt: m.receivedAt });
        const engine = analyticsEnv(env).ANALYTICS_ENGINE;
        if (engine) {
          const ids = new Set(fresh);
          writeToAnalyticsEngine(
            engine,
            m.tenantId,
            rows.filter((r) => ids.has(r.id)).map((r) => ({ ...r, source: m.source })),
          );
        }
        // Forwarding (Mixpanel, GA4, webhooks): only the new events; never throws.
        await enqueueForwarding(env, m, fresh);
        const own = new Set(fresh);
        await sendUpgradePrompts(
          env,
          m.tenantId,
          rows.filter((r) => r.name === "limit_approached" && own.has(r.id)),
        );
      }
      msg.ack();
    } catch (e) {
      log.error("analytics_store_failed", { tenant_id: m.tenantId, message_id: msg.id, error: String(e) });
      msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    }
  }
}
