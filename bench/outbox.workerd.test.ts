import { env } from "cloudflare:workers";
import { and, count, eq, inArray } from "drizzle-orm";
import { it } from "vitest";
import { outboxMessages } from "../schema/messaging";
import { processOutboxMessage } from "../workers/modules/messaging/consumer";
import { sendViaResend } from "../workers/modules/messaging/providers/email";
import { sendMany } from "../workers/modules/messaging/send";
import { getDb } from "../workers/platform/db";
import { newId } from "../workers/platform/ids";
import { CREDS, FakeProviders } from "../test/fake-providers";
import { callJson, signUp } from "../test/helpers";

const N = 200;

/** env.DB wrapped to count D1 round trips (a statement run outside a batch, or one batch() call). */
function countingD1(d1: D1Database) {
  const counter = { trips: 0 };
  const unwrap = new WeakMap<object, D1PreparedStatement>();
  const wrapStmt = (st: D1PreparedStatement): D1PreparedStatement => {
    const w: D1PreparedStatement = new Proxy(st, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (prop === "bind") return (...args: unknown[]) => wrapStmt((v as (...a: unknown[]) => D1PreparedStatement).apply(target, args));
        if (prop === "all" || prop === "raw" || prop === "run" || prop === "first")
          return (...args: unknown[]) => (counter.trips++, (v as (...a: unknown[]) => unknown).apply(target, args));
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    unwrap.set(w, st);
    return w;
  };
  const db = new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") return (q: string) => wrapStmt(target.prepare(q));
      if (prop === "batch") return (stmts: D1PreparedStatement[]) => (counter.trips++, target.batch(stmts.map((x) => unwrap.get(x) ?? x)));
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { db, counter };
}
const LATENCY_MS = 150; // per provider request, both paths (real providers answer in ~100–300 ms)

it("outbox throughput vs direct sends", async () => {
  const fake = new FakeProviders().install();
  fake.latencyMs = LATENCY_MS;
  const db = getDb(env.DB);
  const u = await signUp();
  await callJson("/api/v1/messaging/providers", {
    token: u.accessToken,
    tenant: u.tenantId,
    body: { provider: "resend", from: "bench@acme.test", credentials: { api_key: CREDS.resend }, rate_per_second: 10_000 },
  });

  // Baseline: the naive way — call the provider directly, one message after another, no queue, no log.
  let t = Date.now();
  for (let i = 0; i < N; i++) {
    await sendViaResend(
      { apiKey: CREDS.resend },
      {
        id: `direct-${i}`,
        from: "bench@acme.test",
        to: `d${i}@bench.test`,
        subject: "Bench",
        text: "Hello",
        html: "<p>Hello</p>",
        headers: {},
        stream: "transactional",
      },
    );
  }
  const directMs = Date.now() - t;

  // Same work without the Queue but with the outbox bookkeeping (rows, attempts log): isolates the Queue's share.
  const rowIds: string[] = [];
  for (let i = 0; i < N; i++) {
    const id = newId("msg");
    rowIds.push(id);
    await db.insert(outboxMessages).values({
      id,
      tenantId: u.tenantId,
      channel: "email",
      recipient: `l${i}@bench.test`,
      template: "messaging.test",
      data: { workspace: "Bench", date: "now" },
      category: "transactional",
      status: "queued",
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
  }
  const counted = countingD1(env.DB);
  const countedEnv = { ...env, DB: counted.db };
  t = Date.now();
  for (const id of rowIds) await processOutboxMessage(countedEnv, { v: 1, outboxId: id });
  const inlineMs = Date.now() - t;
  const tripsPerMessage = Math.round((counted.counter.trips / N) * 100) / 100;

  // Through the outbox Queue: send() many, consumed by the Worker's queue handler in batches.
  const batchId = newId("bat");
  t = Date.now();
  await sendMany(
    db,
    env.OUTBOX,
    {
      tenantId: u.tenantId,
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Bench", date: "now" },
      category: "transactional",
      batchId,
    },
    Array.from({ length: N }, (_, i) => ({ email: `q${i}@bench.test` })),
  );
  const enqueuedMs = Date.now() - t;
  for (;;) {
    const row = await db
      .select({ n: count() })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.batchId, batchId), inArray(outboxMessages.status, ["sent", "delivered", "failed"])))
      .get();
    if ((row?.n ?? 0) >= N) break;
    if (Date.now() - t > 300_000) throw new Error(`only ${row?.n} of ${N} finished`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const queueMs = Date.now() - t;
  const failed = await db
    .select({ n: count() })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.batchId, batchId), eq(outboxMessages.status, "failed")))
    .get();
  fake.uninstall();

  const perS = (ms: number) => Math.round((N / ms) * 1000 * 10) / 10;
  const result = {
    messages: N,
    provider_latency_ms: LATENCY_MS,
    messages_per_s: perS(queueMs),
    baseline_messages_per_s: perS(directMs),
    ratio: Math.round((perS(queueMs) / perS(directMs)) * 100) / 100,
    inline_outbox_messages_per_s: perS(inlineMs),
    d1_round_trips_per_message: tripsPerMessage,
    enqueue_ms: enqueuedMs,
    failed: failed?.n ?? 0,
  };
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
});
