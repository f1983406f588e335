/**
 * Per-provider pacing inside this isolate: each provider account gets evenly spaced slots at its
 * configured rate. A message whose slot is further away than `maxWaitMs` is not sent now: the
 * consumer puts it back on the queue with a delay (without counting an attempt), so one batch
 * never holds a consumer waiting and a burst drains at the provider's pace.
 */
const nextSlot = new Map<string, number>();

export async function takeSlot(key: string, ratePerSecond: number, maxWaitMs = 2_000): Promise<{ ok: true } | { ok: false; waitMs: number }> {
  const interval = 1000 / Math.max(0.01, ratePerSecond);
  const now = Date.now();
  const slot = Math.max(now, nextSlot.get(key) ?? 0);
  const wait = slot - now;
  if (wait > maxWaitMs) return { ok: false, waitMs: wait };
  nextSlot.set(key, slot + interval);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  return { ok: true };
}

/** After a provider answered 429: no slot for this account until `seconds` have passed. */
export function backOff(key: string, seconds: number): void {
  nextSlot.set(key, Math.max(nextSlot.get(key) ?? 0, Date.now() + seconds * 1000));
}

export function resetLimiter(): void {
  nextSlot.clear();
}
