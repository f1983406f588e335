/**
 * Accepting events: the policy between a validated batch and the Queue — the workspace's tracker
 * settings (Do-Not-Track, auto-capture switches), the `analytics_events` quota (402 for server
 * calls; for the tracker, sampling by person with the drop counted), and chunking into Queue
 * messages.
 */
import { sql } from "drizzle-orm";
import { checkQuota } from "../billing";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { isolateCache } from "../../platform/isolate-cache";
import { analyticsEnv } from "./env";
import { chunkForQueue, type IngestMessage, type QueuedEvent } from "./events";
import type { AnalyticsSettings } from "./settings.service";

/** While over quota the tracker keeps this share of people (all of their events, so funnels stay whole). */
export const OVER_QUOTA_SAMPLE_RATE = 0.1;
const QUOTA_TTL_MS = 60_000;
const DAY_MS = 86_400_000;

/** Auto-captured event names and the setting that switches each off. */
export const AUTOCAPTURE_EVENTS = { $outbound_click: "autocaptureLinks", $form_submit: "autocaptureForms" } as const;

export function applyTrackerSettings(events: QueuedEvent[], s: AnalyticsSettings): QueuedEvent[] {
  return events.filter((e) => {
    const setting = AUTOCAPTURE_EVENTS[e.name as keyof typeof AUTOCAPTURE_EVENTS];
    return !setting || s[setting];
  });
}

/** FNV-1a: a stable 32-bit hash, so a person is sampled in or out the same way on every batch. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const sampledIn = (distinctId: string, rate: number) => hash32(distinctId) % 10_000 < rate * 10_000;

const overQuota = isolateCache<boolean>(QUOTA_TTL_MS);

/** Whether the workspace is over its analytics quota (cached per isolate for a minute: the tracker path is hot). */
export function trackerOverQuota(db: Db, d1: D1Database, tenantId: string, n: number, now = Date.now()): Promise<boolean> {
  return overQuota.get(tenantId, async () => !(await checkQuota(db, d1, tenantId, "analytics_events", n)).allowed, now);
}

export const forgetQuotaState = (tenantId: string) => overQuota.forget(tenantId);

/** Counts tracker events sampled out while over quota, for the dashboard's notice. */
export async function recordDropped(db: Db, tenantId: string, n: number, now = Date.now()): Promise<void> {
  if (n <= 0) return;
  await db.run(sql`INSERT INTO analytics_daily (tenant_id, day, kind, key, count) VALUES (${tenantId}, ${Math.floor(now / DAY_MS)}, 'dropped', '', ${n})
    ON CONFLICT DO UPDATE SET count = count + ${n}`);
}

export interface Enqueue {
  tenantId: string;
  source: "web" | "server";
  events: QueuedEvent[];
  userAgent: string | null;
  country: string | null;
  sampleRate: number;
  receivedAt: number;
}

/** Sends accepted events to the analytics Queue in messages under its size limit. */
export async function enqueueEvents(env: Env, e: Enqueue): Promise<number> {
  const chunks = chunkForQueue(e.events);
  const queue = analyticsEnv(env).ANALYTICS;
  const messages: IngestMessage[] = chunks.map((events) => ({
    v: 1,
    tenantId: e.tenantId,
    source: e.source,
    receivedAt: e.receivedAt,
    userAgent: e.userAgent?.slice(0, 512) ?? null,
    country: e.country,
    sampleRate: e.sampleRate,
    events,
  }));
  // sendBatch takes ≤ 100 messages and 256 KB per call; each message here is ≤ ~100 KB.
  for (let i = 0; i < messages.length; i += 2) {
    await queue.sendBatch(messages.slice(i, i + 2).map((body) => ({ body, contentType: "json" as const })));
  }
  return messages.length;
}
