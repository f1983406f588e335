// `npm run bench -- usage`: usage events/s from the producer through the Queue consumer into D1
// counters, against a baseline that writes one row per event, measured in the same run.
//
// Starts its own local stack (wrangler dev → workerd, throwaway D1 + local Queues; see lib/stack.mjs).
// Per round, with a fresh tenant id each time:
//   (a) queue    — POST /dev/billing-bench/produce publishes N events with meter() (sendBatch of 100)
//                  to the real usage Queue; the aggregating consumer writes them (one D1 batch per
//                  Queue batch: one JSON-parameter INSERT of all events + counter/daily/seat upserts).
//                  Timed from the first produce request until the D1 counter equals N.
//   (b) baseline — POST /dev/billing-bench/baseline writes the same N events the naive way: one
//                  event INSERT and one counter UPSERT per event, directly (no Queue hop at all).
// Rounds alternate A B B A …; the headline is the ratio of medians. Writes bench/results/usage.{json,md}.
// Knobs (env): BENCH_EVENTS=5000 BENCH_ROUNDS=2 BENCH_CHUNK=1000 (events per produce request) BENCH_REV=<rev>
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT, startStack } from "./lib/stack.mjs";

const num = (k, d) => (process.env[k] ? Number(process.env[k]) : d);
const N = num("BENCH_EVENTS", 5000);
const ROUNDS = num("BENCH_ROUNDS", 2);
const CHUNK = num("BENCH_CHUNK", 1000);
const OUT = join(ROOT, "bench/results/usage");
const t0 = Date.now();
const log = (m) => console.log(`[bench:usage +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

const stack = await startStack({ log, logLevel: process.env.BENCH_WRANGLER_LOG || "warn" });
const post = async (path, body) => {
  const r = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": "127.0.9.1" },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
};
const counter = async (tenant) => (await (await fetch(`${stack.url}/dev/billing-bench/counter?tenant=${tenant}`)).json()).quantity;

async function queueRun(i) {
  const tenant = `ten_bench_q${i}_${Date.now()}`;
  const start = performance.now();
  const produce = [];
  for (let k = 0; k < N; k += CHUNK)
    produce.push(post("/dev/billing-bench/produce", { tenant, n: Math.min(CHUNK, N - k), prefix: `q${k}` }));
  await Promise.all(produce);
  const produced = performance.now();
  let seen = 0;
  const deadline = Date.now() + 300_000;
  while ((seen = await counter(tenant)) < N) {
    if (Date.now() > deadline) throw new Error(`consumer did not catch up: ${seen}/${N}`);
    await sleep(50);
  }
  if (seen !== N) throw new Error(`counter ${seen} != ${N} (duplicates or loss)`);
  const s = (performance.now() - start) / 1000;
  return { seconds: s, produce_seconds: (produced - start) / 1000, events_per_s: N / s };
}
async function baselineRun(i) {
  const tenant = `ten_bench_b${i}_${Date.now()}`;
  const start = performance.now();
  for (let k = 0; k < N; k += CHUNK) await post("/dev/billing-bench/baseline", { tenant, n: Math.min(CHUNK, N - k), prefix: `b${k}` });
  const s = (performance.now() - start) / 1000;
  const seen = await counter(tenant);
  if (seen !== N) throw new Error(`baseline counter ${seen} != ${N}`);
  return { seconds: s, events_per_s: N / s };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

try {
  log(`warm-up`);
  await queueRun("w");
  await baselineRun("w");
  const q = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? ["q", "b"] : ["b", "q"];
    for (const which of order) {
      const res = which === "q" ? await queueRun(r) : await baselineRun(r);
      (which === "q" ? q : b).push(res);
      log(`${which === "q" ? "queue   " : "baseline"} round ${r}: ${res.events_per_s.toFixed(0)} events/s (${res.seconds.toFixed(2)} s)`);
    }
  }
  const events_per_s = Math.round(median(q.map((x) => x.events_per_s)));
  const baseline_events_per_s = Math.round(median(b.map((x) => x.events_per_s)));
  const ratio = Number((events_per_s / baseline_events_per_s).toFixed(2));
  const result = {
    events_per_s,
    baseline_events_per_s,
    ratio,
    events_per_round: N,
    rounds: ROUNDS,
    queue_rounds: q,
    baseline_rounds: b,
    source: stack.source?.label ?? null,
    machine: { cpus: os.cpus().length, node: process.version },
    at: new Date().toISOString(),
  };
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(`${OUT}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(
    `${OUT}.md`,
    `# Usage metering throughput\n\n\`npm run bench -- usage\` — ${N} events per round, ${ROUNDS} rounds (A/B alternating) after a warm-up, local stack (wrangler dev, workerd, local D1 + Queues), ${os.cpus().length} CPUs shared.\n\n| path | events/s (median) |\n|---|---|\n| producer → usage Queue → aggregating consumer → D1 counters | ${events_per_s} |\n| baseline: one event row + one counter update per event, written directly | ${baseline_events_per_s} |\n| **ratio** | **${ratio}×** |\n\nThe queue figure is end to end (from the first publish until the counter reads ${N}); the baseline has no Queue hop at all. Counters are checked to equal exactly ${N} after each run (dedupe by event id, no loss).\n`,
  );
  log(`events_per_s=${events_per_s} baseline=${baseline_events_per_s} ratio=${ratio}`);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await stack.stop();
}
