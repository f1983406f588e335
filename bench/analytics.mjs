// `npm run bench -- analytics`: the tracker's size, ingestion throughput through the analytics Queue
// against one INSERT per event, and a 4-step funnel over ≥ 1,000,000 events of one tenant against a
// plain indexed count over the same rows — each pair measured in the same run.
//
// Starts its own local stack (lib/stack.mjs: wrangler dev on workerd, throwaway D1 + local Queues).
//   ingest  — (a) POST /dev/analytics-bench/ingest batches of 500 accepted events onto the Queue; the
//             consumer writes each message with one json_each INSERT. Timed from the first request
//             until D1 holds all N. (b) baseline: /dev/analytics-bench/naive writes events one
//             INSERT each. Rounds A B B A with fresh tenants; events/s = N / time; ratio of medians.
//   funnel  — /dev/analytics-bench/generate writes the synthetic set (users × 10 slots: a page view,
//             then sign-up → verified → activated with falling shares, then other events) in SQL;
//             then runs alternate: the product's runFunnel (sequential, 14-day window) and
//             `SELECT count(*) … WHERE tenant_id = ? AND name IN (4 steps) AND ts in range` (index
//             on tenant, name, ts), both timed inside the Worker around the D1 call; p95 of each.
// Writes bench/results/analytics.{json,md}. Knobs (env): BENCH_INGEST_EVENTS=20000
//   BENCH_BASELINE_EVENTS=2000 BENCH_FUNNEL_EVENTS=1000000 BENCH_FUNNEL_USERS=100000 BENCH_FUNNEL_RUNS=10
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT, startStack } from "./lib/stack.mjs";

const num = (k, d) => (process.env[k] ? Number(process.env[k]) : d);
const INGEST = num("BENCH_INGEST_EVENTS", 20_000);
const BASELINE = num("BENCH_BASELINE_EVENTS", 2_000);
const FUNNEL_EVENTS = num("BENCH_FUNNEL_EVENTS", 1_000_000);
const FUNNEL_USERS = num("BENCH_FUNNEL_USERS", 100_000);
const FUNNEL_RUNS = num("BENCH_FUNNEL_RUNS", 10);
const BATCH = 500;
const OUT = join(ROOT, "bench/results/analytics");
const t0 = Date.now();
const log = (m) => console.log(`[bench:analytics +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

const trackerGzip = Number(
  /TRACKER_GZIP_BYTES = (\d+)/.exec(readFileSync(join(ROOT, "workers/modules/analytics/tracker-asset.gen.ts"), "utf8"))[1],
);
const loadBefore = os.loadavg();
const stack = await startStack({ log, logLevel: process.env.BENCH_WRANGLER_LOG || "warn" });
const post = async (path, body) => {
  const r = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": "127.0.9.2" },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
};
const count = async (tenant) => (await (await fetch(`${stack.url}/dev/analytics-bench/count?tenant=${tenant}`)).json()).n;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

const NAMES = ["$pageview", "$pageview", "clicked", "signed_up", "cart_added"];
const events = (prefix, n) =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    name: NAMES[i % NAMES.length],
    distinct_id: `p${i % 997}`,
    ts: Date.now() - (i % 86_400) * 1000,
    props: { $current_url: `https://bench.example/page/${i % 50}?utm_source=s${i % 7}`, plan: i % 3 ? "free" : "pro" },
  }));
const chunks = (list, n) => Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));

async function queueRound(i) {
  const tenant = `ten_bench_aq${i}_${Date.now()}`;
  const batches = chunks(events(`q${i}`, INGEST), BATCH);
  const start = performance.now();
  for (let k = 0; k < batches.length; k += 4)
    await Promise.all(batches.slice(k, k + 4).map((b) => post("/dev/analytics-bench/ingest", { tenant, events: b })));
  const deadline = Date.now() + 600_000;
  while ((await count(tenant)) < INGEST) {
    if (Date.now() > deadline) throw new Error("ingestion did not finish within 10 minutes");
    await sleep(100);
  }
  return INGEST / ((performance.now() - start) / 1000);
}

async function naiveRound(i) {
  const tenant = `ten_bench_an${i}_${Date.now()}`;
  const start = performance.now();
  for (const b of chunks(events(`n${i}`, BASELINE), BATCH)) await post("/dev/analytics-bench/naive", { tenant, events: b });
  const ms = performance.now() - start;
  if ((await count(tenant)) !== BASELINE) throw new Error("baseline lost events");
  return BASELINE / (ms / 1000);
}

let result;
try {
  log(`ingestion: ${INGEST} events through the Queue vs ${BASELINE} one by one, rounds A B B A`);
  const queue = [];
  const naive = [];
  queue.push(await queueRound(0));
  naive.push(await naiveRound(0));
  naive.push(await naiveRound(1));
  queue.push(await queueRound(1));
  log(`queue ${queue.map((x) => x.toFixed(0)).join(", ")} ev/s; one-by-one ${naive.map((x) => x.toFixed(0)).join(", ")} ev/s`);

  const tenant = `ten_bench_funnel_${Date.now()}`;
  const from = Date.UTC(2026, 9, 1);
  const spanMs = 30 * 86_400_000;
  log(`generating ${FUNNEL_EVENTS} events for ${FUNNEL_USERS} users`);
  const CHUNK = 50_000;
  for (let s = 0; s < FUNNEL_EVENTS; s += CHUNK)
    await post("/dev/analytics-bench/generate", {
      tenant,
      start: s,
      n: Math.min(CHUNK, FUNNEL_EVENTS - s),
      users: FUNNEL_USERS,
      from,
      spanMs,
    });
  const total = await count(tenant);
  log(`generated ${total} events`);
  const range = { tenant, from, to: from + spanMs };
  const funnelMs = [];
  const countMs = [];
  const floorMs = [];
  const rawMs = [];
  let counts = null;
  let rawCounts = null;
  let rows = 0;
  for (let r = 0; r < FUNNEL_RUNS; r++) {
    const order = r % 2 ? ["count", "raw", "floor", "funnel"] : ["funnel", "floor", "raw", "count"];
    for (const what of order) {
      if (what === "funnel") {
        const f = await post("/dev/analytics-bench/funnel", range);
        funnelMs.push(f.ms);
        counts = f.counts;
      } else if (what === "raw") {
        const f = await post("/dev/analytics-bench/funnel", { ...range, raw: true });
        rawMs.push(f.ms);
        rawCounts = f.counts;
      } else if (what === "floor") {
        floorMs.push((await post("/dev/analytics-bench/person-floor", range)).ms);
      } else {
        const c = await post("/dev/analytics-bench/baseline-count", range);
        countMs.push(c.ms);
        rows = c.n;
      }
    }
  }
  if (String(rawCounts) !== String(counts)) throw new Error(`timeline funnel ${counts} ≠ raw-event funnel ${rawCounts}`);
  // The other order modes, a few runs each (the same counts from timelines and raw events).
  const modes = {};
  for (const mode of ["strict", "any"]) {
    const ms = [];
    for (let r = 0; r < 3; r++) {
      const f = await post("/dev/analytics-bench/funnel", { ...range, order: mode });
      const g = await post("/dev/analytics-bench/funnel", { ...range, order: mode, raw: true });
      if (String(f.counts) !== String(g.counts)) throw new Error(`${mode}: timeline funnel ${f.counts} ≠ raw-event funnel ${g.counts}`);
      ms.push(f.ms);
    }
    modes[mode] = Math.round(median(ms));
  }
  log(
    `funnel p95 ${p95(funnelMs).toFixed(0)} ms (steps ${counts}); raw-event funnel p95 ${p95(rawMs).toFixed(0)} ms; indexed count p95 ${p95(countMs).toFixed(0)} ms over ${rows} rows; per-person floor p95 ${p95(floorMs).toFixed(0)} ms; strict ${modes.strict} ms, any ${modes.any} ms (medians)`,
  );

  result = {
    tracker_gzip: trackerGzip,
    ingest_events_per_s: Math.round(median(queue)),
    ingest_baseline_events_per_s: Math.round(median(naive)),
    ingest_ratio: Number((median(queue) / median(naive)).toFixed(2)),
    funnel_p95_ms: Math.round(p95(funnelMs)),
    funnel_baseline_p95_ms: Math.round(p95(countMs)),
    funnel_ratio: Number((p95(funnelMs) / p95(countMs)).toFixed(2)),
    funnel_raw_events_p95_ms: Math.round(p95(rawMs)),
    funnel_raw_events_ratio: Number((p95(rawMs) / p95(countMs)).toFixed(2)),
    funnel_strict_median_ms: modes.strict,
    funnel_any_median_ms: modes.any,
    funnel_person_floor_p95_ms: Math.round(p95(floorMs)),
    funnel_person_floor_ratio: Number((p95(floorMs) / p95(countMs)).toFixed(2)),
    events: total,
    funnel_users: FUNNEL_USERS,
    funnel_step_counts: counts,
    funnel_rows_counted: rows,
    samples: {
      ingest_queue: queue,
      ingest_baseline: naive,
      funnel_ms: funnelMs,
      funnel_raw_ms: rawMs,
      count_ms: countMs,
      person_floor_ms: floorMs,
    },
    load_before: loadBefore,
    load_after: os.loadavg(),
    at: new Date().toISOString(),
    rev: process.env.BENCH_REV ?? null,
  };
} finally {
  await stack.stop();
}

mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(`${OUT}.json`, `${JSON.stringify(result, null, 2)}\n`);
const md = `# Analytics bench

\`npm run bench -- analytics\` — ${result.at}, local wrangler dev on ${os.cpus().length} CPUs (load before/after ${result.load_before.map((l) => l.toFixed(2)).join(" ")} / ${result.load_after.map((l) => l.toFixed(2)).join(" ")}).

| measure | product | baseline (same run) | ratio | goal |
|---|---|---|---|---|
| tracker size | ${result.tracker_gzip} B gzip | Plausible's script (~1.4 KB gzip, not measured here) | | ≤ 1,024 B |
| ingestion | ${result.ingest_events_per_s} events/s through the Queue (batches of ${BATCH}, one json_each INSERT per message) | ${result.ingest_baseline_events_per_s} events/s, one INSERT per event | **${result.ingest_ratio}×** | ≥ 10× |
| 4-step funnel, ${result.events.toLocaleString("en")} events, ${FUNNEL_USERS.toLocaleString("en")} users | p95 ${result.funnel_p95_ms} ms (steps ${result.funnel_step_counts?.join(" → ")}) | p95 ${result.funnel_baseline_p95_ms} ms, indexed count of the same ${result.funnel_rows_counted.toLocaleString("en")} rows | **${result.funnel_ratio}×** | ≤ 4× |
| floor of any per-person evaluation: the same rows grouped by person (count per person, no sequence, no walk) | p95 ${result.funnel_person_floor_p95_ms} ms | the same count | **${result.funnel_person_floor_ratio}×** | (explains the funnel's ratio) |

The funnel ratio's goal (≤ 4× an indexed count) is **not met**. An exact funnel needs each person's
events in time order; grouping the same rows by person — before any sequence is built or walked —
already costs the "floor" ratio above, because the count reads a covering index on (tenant, name, ts)
and never materialises a row, while grouping visits every person's index range and aggregates per group.
The funnel adds the sequence strings and the walk on top (a window-function SQL version took 27 s).
Going below the floor needs pre-aggregated person timelines written at ingest (trading ingest speed)
or a columnar store (the Analytics Engine path in docs/analytics.md).
`;
writeFileSync(`${OUT}.md`, md);
log(`wrote ${OUT}.json and .md`);
console.log(md);
