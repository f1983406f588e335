import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { backOff, resetLimiter, takeSlot } from "../providers/limiter";

/** Provider pacing lives in a Durable Object per provider account, not in the isolate. */
describe("ProviderPacer", () => {
  it("keeps one schedule per account across isolates (isolate state can be lost) and honours 429 back-off", async () => {
    const ns = env.PROVIDER_PACER!;
    const key = `resend:mpr_test_${crypto.randomUUID()}`;
    expect(await takeSlot(ns, key, 1, 5_000)).toEqual({ ok: true });
    resetLimiter(); // what a fresh isolate would have: nothing
    const stub = ns.get(ns.idFromName(key));
    const next = await stub.take(1, 0); // the next slot is ~1 s away: refused when no wait is allowed
    expect(next.ok).toBe(false);
    expect(next.waitMs).toBeGreaterThan(500);
    // Another account is independent.
    expect((await ns.get(ns.idFromName(`${key}-other`)).take(1, 0)).ok).toBe(true);
    await backOff(ns, key, 30);
    const after = await stub.take(1, 10_000);
    expect(after.ok).toBe(false);
    expect(after.waitMs).toBeGreaterThan(20_000);
  });
});
