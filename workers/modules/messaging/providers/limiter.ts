import type { ProviderPacer } from "../pacer.do";

/**
 * Provider pacing. With the PROVIDER_PACER Durable Object binding (wrangler.toml), the schedule
 * of each provider account is global: one object per account key, shared by every isolate. The
 * in-isolate schedule below is the fallback when the binding is absent (e.g. a bare unit test).
 * A message whose slot is further away than `maxWaitMs` is not sent now: the consumer puts it
 * back on the queue with a delay (without counting an attempt), so one batch never holds a
 * consumer waiting and a burst drains at the provider's pace.
 */
export type PacerNamespace = DurableObjectNamespace<ProviderPacer>;

const nextSlot = new Map<string, number>();

function takeLocal(key: string, ratePerSecond: number, maxWaitMs: number): { ok: boolean; waitMs: number } {
  const interval = 1000 / Math.max(0.01, ratePerSecond);
  const now = Date.now();
  const slot = Math.max(now, nextSlot.get(key) ?? 0);
  const wait = slot - now;
  if (wait > maxWaitMs) return { ok: false, waitMs: wait };
  nextSlot.set(key, slot + interval);
  return { ok: true, waitMs: wait };
}

const stub = (ns: PacerNamespace, key: string) => ns.get(ns.idFromName(key));

export async function takeSlot(
  pacer: PacerNamespace | undefined,
  key: string,
  ratePerSecond: number,
  maxWaitMs = 2_000,
): Promise<{ ok: true } | { ok: false; waitMs: number }> {
  const r = pacer ? await stub(pacer, key).take(ratePerSecond, maxWaitMs) : takeLocal(key, ratePerSecond, maxWaitMs);
  if (!r.ok) return { ok: false, waitMs: r.waitMs };
  if (r.waitMs > 0) await new Promise((res) => setTimeout(res, r.waitMs));
  return { ok: true };
}

/** After a provider answered 429: no slot for this account until `seconds` have passed. */
export async function backOff(pacer: PacerNamespace | undefined, key: string, seconds: number): Promise<void> {
  if (pacer) await stub(pacer, key).backOff(seconds);
  else nextSlot.set(key, Math.max(nextSlot.get(key) ?? 0, Date.now() + seconds * 1000));
}

/** Tests: forget the in-isolate schedule (Durable Object schedules are per account key, and tests use fresh accounts). */
export function resetLimiter(): void {
  nextSlot.clear();
}
