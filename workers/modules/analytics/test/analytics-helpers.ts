import { env } from "cloudflare:workers";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import type { IngestMessage, QueuedEvent } from "../events";
import { storeEvents } from "../ingest.consumer";

export const db = () => getDb(env.DB);
export const fakeTenant = () => newId("ten");
export const BASE_TS = Date.UTC(2026, 10, 2, 12, 0, 0); // Monday 2026-11-02 12:00 UTC
export const S = 1000;
export const DAY = 86_400_000;

let n = 0;
/** An event `sec` seconds after BASE_TS (or at an absolute time with `at`). */
export function ev(distinctId: string, name: string, sec: number, props: Record<string, unknown> = {}): QueuedEvent {
  return { id: `e${++n}-${Date.now().toString(36)}`, name, distinct_id: distinctId, ts: BASE_TS + sec * S, props };
}

/** Writes events straight through the consumer's store (what the Queue consumer does per message). */
export async function store(tenantId: string, events: QueuedEvent[], over: Partial<IngestMessage> = {}) {
  return storeEvents(env.DB, {
    v: 1,
    tenantId,
    source: "server",
    receivedAt: Date.now(),
    userAgent: null,
    country: null,
    sampleRate: 1,
    events,
    ...over,
  });
}

export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let v = await fn();
  while (!ok(v)) {
    if (Date.now() > until) throw new Error(`waitFor timed out; last value ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
}
