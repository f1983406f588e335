import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deadLetters, outboxMessages } from "../../../../schema/messaging";
import { usageCounters, usageDaily, usageSeats } from "../../../../schema/billing";
import worker from "../../../index";
import { checkQuota, consumeQuotaFor, consumeQuotaOrThrow, crossedThresholds, releaseQuota } from "../entitlements";
import { meter, meterMany, periodOf } from "../meter";
import { Problem } from "../../../platform/errors";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { signUp } from "../../../../test/helpers";

const db = () => getDb(env.DB);
const period = () => periodOf(Date.now());
const msg = (tenantId: string, m: string, quantity: number, eventId: string, userId: string | null = null) => ({
  v: 1,
  tenantId,
  meter: m,
  quantity,
  eventId,
  userId,
  occurredAt: Date.now(),
});

async function runBatch(bodies: unknown[]) {
  const batch = createMessageBatch(
    "weft-usage",
    bodies.map((body, i) => ({ id: `u-${i}-${newId("t")}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}
async function counter(tenantId: string, m: string, p = period()) {
  const row = await db()
    .select()
    .from(usageCounters)
    .where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.meter, m), eq(usageCounters.period, p)))
    .get();
  return row?.quantity ?? 0;
}
async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const fakeTenant = () => newId("ten");

describe("usage consumer", () => {
  it("counts duplicate deliveries of the same events once (within a batch and across batches)", async () => {
    const t = fakeTenant();
    const first = await runBatch([
      msg(t, "emails", 3, "e1"),
      msg(t, "emails", 3, "e1"),
      msg(t, "emails", 4, "e2"),
      msg(t, "ai_tokens", 1000, "e3"),
    ]);
    expect(first.explicitAcks).toHaveLength(4);
    const again = await runBatch([msg(t, "emails", 3, "e1"), msg(t, "emails", 4, "e2"), msg(t, "emails", 5, "e4")]);
    expect(again.retryMessages).toEqual([]);
    expect(await counter(t, "emails")).toBe(3 + 4 + 5);
    expect(await counter(t, "ai_tokens")).toBe(1000);
  });

  it("aggregates into daily and per-seat counters; running-total meters use the 'total' period", async () => {
    const t = fakeTenant();
    await runBatch([
      msg(t, "emails", 2, "a", "usr_1"),
      msg(t, "emails", 5, "b", "usr_2"),
      msg(t, "emails", 1, "c", "usr_1"),
      msg(t, "storage_bytes", 500, "s1"),
      msg(t, "storage_bytes", -200, "s2"),
    ]);
    const day = new Date().toISOString().slice(0, 10);
    const daily = await db()
      .select()
      .from(usageDaily)
      .where(and(eq(usageDaily.tenantId, t), eq(usageDaily.day, day), eq(usageDaily.meter, "emails")))
      .get();
    expect(daily?.quantity).toBe(8);
    const seats = await db().select().from(usageSeats).where(eq(usageSeats.tenantId, t));
    expect(Object.fromEntries(seats.map((s) => [s.userId, s.quantity]))).toEqual({ usr_1: 3, usr_2: 5 });
    expect(await counter(t, "storage_bytes", "total")).toBe(300);
  });

  it("retries a poisoned message alone and acknowledges the rest of the batch", async () => {
    const t = fakeTenant();
    const r = await runBatch([
      msg(t, "emails", 1, "ok1"),
      { v: 1, tenantId: t, meter: "not-a-meter", quantity: 1, eventId: "bad" },
      "garbage",
      msg(t, "emails", 2, "ok2"),
    ]);
    expect(r.explicitAcks).toHaveLength(2);
    expect(r.retryMessages).toHaveLength(2);
    expect(await counter(t, "emails")).toBe(3);
  });

  it("end to end through the real Queue: meter() events land in D1 counters once; a poisoned message ends in the DLQ", async () => {
    const t = fakeTenant();
    await meter(env, { tenantId: t, meter: "emails", quantity: 7, eventId: "q1" });
    await meter(env, { tenantId: t, meter: "emails", quantity: 7, eventId: "q1" }); // redelivery
    await meterMany(
      env,
      Array.from({ length: 150 }, (_, i) => ({ tenantId: t, meter: "ai_tokens" as const, quantity: 10, eventId: `bulk-${i}` })),
    );
    const poisonId = `poison-${t}`;
    await env.USAGE.send({ v: 1, tenantId: t, meter: "emails", quantity: "lots", eventId: poisonId });
    expect(
      await waitFor(
        () => counter(t, "emails"),
        (v) => v >= 7,
      ),
    ).toBe(7);
    expect(
      await waitFor(
        () => counter(t, "ai_tokens"),
        (v) => v >= 1500,
      ),
    ).toBe(1500);
    const dead = await waitFor(
      () => db().select().from(deadLetters).where(eq(deadLetters.queue, "weft-usage-dlq")),
      (rows) => rows.some((d) => JSON.stringify(d.body).includes(poisonId)),
      25_000,
    );
    expect(dead.some((d) => JSON.stringify(d.body).includes(poisonId))).toBe(true);
  }, 40_000);

  it("rejects invalid events at the producer", async () => {
    await expect(meter(env, { tenantId: "t", meter: "emails", quantity: 0, eventId: "x" })).rejects.toThrow();
    await expect(meter(env, { tenantId: "t", meter: "emails", quantity: 1.5, eventId: "x" })).rejects.toThrow();
  });
});

describe("quotas", () => {
  it("enforces exactly at the limit (Free: 100 emails) and is idempotent by event id", async () => {
    const u = await signUp();
    const a = await consumeQuotaFor(env, u.tenantId, "emails", 99);
    expect(a).toMatchObject({ granted: true, used: 99, limit: 100 });
    const b = await consumeQuotaFor(env, u.tenantId, "emails", 1, { eventId: "last" });
    expect(b).toMatchObject({ granted: true, used: 100 });
    const again = await consumeQuotaFor(env, u.tenantId, "emails", 1, { eventId: "last" });
    expect(again).toMatchObject({ granted: true, duplicate: true, used: 100 });
    const over = await consumeQuotaFor(env, u.tenantId, "emails", 1);
    expect(over).toMatchObject({ granted: false, used: 100, limit: 100 });
    expect((await checkQuota(db(), env.DB, u.tenantId, "emails", 1)).allowed).toBe(false);
    expect((await checkQuota(db(), env.DB, u.tenantId, "ai_tokens", 1)).allowed).toBe(true);
    expect(await counter(u.tenantId, "emails")).toBe(100);
  });

  it("concurrent consumers cannot pass the limit together", async () => {
    const u = await signUp();
    const results = await Promise.all(Array.from({ length: 8 }, () => consumeQuotaFor(env, u.tenantId, "leads", 10)));
    expect(results.filter((r) => r.granted)).toHaveLength(5); // Free: 50 leads
    expect(await counter(u.tenantId, "leads", "total")).toBe(50);
    await releaseQuota(env, u.tenantId, "leads", 10);
    expect((await consumeQuotaFor(env, u.tenantId, "leads", 10)).granted).toBe(true);
  });

  it("throws a 402 problem with the limit, current use and an upgrade link", async () => {
    const u = await signUp();
    await consumeQuotaFor(env, u.tenantId, "campaigns", 1);
    const err = await consumeQuotaOrThrow(env, u.tenantId, "campaigns", 1, { origin: "https://app.example" }).catch((e) => e);
    expect(err).toBeInstanceOf(Problem);
    const body = (err as Problem).toBody();
    expect(body).toMatchObject({
      status: 402,
      type: "https://weft.dev/problems/quota-exceeded",
      meter: "campaigns",
      limit: 1,
      current_usage: 1,
      requested: 1,
      upgrade_url: "https://app.example/settings/billing",
    });
  });

  it("warns owners at 80% and 100% through the outbox, once per threshold", async () => {
    const u = await signUp();
    await consumeQuotaFor(env, u.tenantId, "emails", 79);
    const warnings = () =>
      db()
        .select()
        .from(outboxMessages)
        .where(and(eq(outboxMessages.tenantId, u.tenantId), eq(outboxMessages.recipient, u.email)));
    expect((await warnings()).filter((m) => m.template.startsWith("billing.quota"))).toHaveLength(0);
    await consumeQuotaFor(env, u.tenantId, "emails", 1);
    await consumeQuotaFor(env, u.tenantId, "emails", 5);
    expect((await warnings()).map((m) => m.template)).toEqual(["billing.quota_warning"]);
    await consumeQuotaFor(env, u.tenantId, "emails", 15);
    expect((await warnings()).map((m) => m.template).sort()).toEqual(["billing.quota_reached", "billing.quota_warning"]);
  });

  it("computes crossed thresholds", () => {
    expect(crossedThresholds(0, 79, 100)).toEqual([]);
    expect(crossedThresholds(79, 80, 100)).toEqual([80]);
    expect(crossedThresholds(10, 100, 100)).toEqual([80, 100]);
    expect(crossedThresholds(100, 120, 100)).toEqual([]);
    expect(crossedThresholds(0, 1e9, null)).toEqual([]);
  });
});
