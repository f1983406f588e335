import { DurableObject } from "cloudflare:workers";

/**
 * ProviderPacer: one object per provider account (`resend:platform`, `twilio:mpr_…`), so every
 * isolate and every consumer invocation draws from the same schedule. It hands out evenly
 * spaced send slots at the account's rate; a slot further away than `maxWaitMs` is refused
 * with the wait, and the consumer re-enqueues the message (without counting an attempt).
 * State is in memory: an evicted object starts with a free schedule, which is what an idle
 * account has anyway. One RPC per provider request; no storage writes.
 */
export class ProviderPacer extends DurableObject {
  private next = 0;

  /** Reserves the next slot: `{ ok, waitMs }`; when ok the caller waits `waitMs` and sends. */
  take(ratePerSecond: number, maxWaitMs: number): { ok: boolean; waitMs: number } {
    const interval = 1000 / Math.max(0.01, ratePerSecond);
    const now = Date.now();
    const slot = Math.max(now, this.next);
    const wait = slot - now;
    if (wait > maxWaitMs) return { ok: false, waitMs: wait };
    this.next = slot + interval;
    return { ok: true, waitMs: wait };
  }

  /** After the provider answered 429: no slot until `seconds` have passed. */
  backOff(seconds: number): void {
    this.next = Math.max(this.next, Date.now() + seconds * 1000);
  }
}
