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
//   BENCH_FUNNEL_WARMUP=1 (rounds of all four funnel-phase requests run first and kept apart: the first
//   round pays the Worker's JIT and heap growth — its funnel ~2× the later ones in the runs of 2026-12-07)
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
const FUNNEL_WARMUP = num("BENCH_FUNNEL_WARMUP", 1);
const BATCH = 500;
const OUT = join(ROOT, "bench/results/analytics");
const t0 = Date.now();
const log = (m) => console.log(`[bench:analytics +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

// BENCH_RENDER_ONLY=1: rewrite the .md from the last .json (e.g. after the report's text changed).
if (process.env.BENCH_RENDER_ONLY) {
  const r = JSON.parse(readFileSync(`${OUT}.json`, "utf8"));
  const s = r.samples;
  r.funnel_median_ms ??= Math.round(median(s.funnel_ms));
  r.funnel_baseline_median_ms ??= Math.round(median(s.count_ms));
  r.funnel_median_ratio ??= Number((median(s.funnel_ms) / median(s.count_ms)).toFixed(2));
  r.funnel_raw_events_median_ms ??= Math.round(median(s.funnel_raw_ms));
  writeFileSync(`${OUT}.json`, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(`${OUT}.md`, render(r));
  console.log(render(r));
  process.exit(0);
}

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
  const warmup = { funnel_ms: [], funnel_raw_ms: [], count_ms: [], person_floor_ms: [] };
  for (let r = -FUNNEL_WARMUP; r < FUNNEL_RUNS; r++) {
    const warm = r < 0;
    const order = (r + FUNNEL_WARMUP) % 2 ? ["count", "raw", "floor", "funnel"] : ["funnel", "floor", "raw", "count"];
    for (const what of order) {
      if (what === "funnel") {
        const f = await post("/dev/analytics-bench/funnel", range);
        (warm ? warmup.funnel_ms : funnelMs).push(f.ms);
        counts = f.counts;
      } else if (what === "raw") {
        const f = await post("/dev/analytics-bench/funnel", { ...range, raw: true });
        (warm ? warmup.funnel_raw_ms : rawMs).push(f.ms);
        rawCounts = f.counts;
      } else if (what === "floor") {
        (warm ? warmup.person_floor_ms : floorMs).push((await post("/dev/analytics-bench/person-floor", range)).ms);
      } else {
        const c = await post("/dev/analytics-bench/baseline-count", range);
        (warm ? warmup.count_ms : countMs).push(c.ms);
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
    funnel_median_ms: Math.round(median(funnelMs)),
    funnel_baseline_median_ms: Math.round(median(countMs)),
    funnel_median_ratio: Number((median(funnelMs) / median(countMs)).toFixed(2)),
    funnel_raw_events_median_ms: Math.round(median(rawMs)),
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
      warmup,
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
writeFileSync(`${OUT}.md`, render(result));
log(`wrote ${OUT}.json and .md`);
console.log(render(result));

function verdict(r) {
  if (r.funnel_ratio > 4) return "The funnel goal (≤ 4× an indexed count) is **not met** in this run.";
  if (r.funnel_median_ratio > 4)
    return `The p95s of this run put the funnel at ${r.funnel_ratio}× (≤ 4×), but the medians at ${r.funnel_median_ratio}×: the count's p95 is one slow sample. Not reliably met.`;
  return "The funnel goal (≤ 4× an indexed count) is met in this run, by the p95s and by the medians.";
}

function render(result) {
  return `# Analytics bench

\`npm run bench -- analytics\` — ${result.at}, local wrangler dev on ${os.cpus().length} CPUs (load before/after ${result.load_before.map((l) => l.toFixed(2)).join(" ")} / ${result.load_after.map((l) => l.toFixed(2)).join(" ")}).

| measure | product | baseline (same run) | ratio | goal |
|---|---|---|---|---|
| tracker size | ${result.tracker_gzip} B gzip | Plausible's script (~1.4 KB gzip, not measured here) | | ≤ 1,024 B |
| ingestion | ${result.ingest_events_per_s} events/s through the Queue (batches of ${BATCH}, one json_each INSERT per message) | ${result.ingest_baseline_events_per_s} events/s, one INSERT per event | **${result.ingest_ratio}×** | ≥ 10× |
| 4-step funnel, ${result.events.toLocaleString("en")} events, ${FUNNEL_USERS.toLocaleString("en")} users, from person timelines (the product path) | p95 ${result.funnel_p95_ms} ms (steps ${result.funnel_step_counts?.join(" → ")}) | p95 ${result.funnel_baseline_p95_ms} ms, indexed count of the same ${result.funnel_rows_counted.toLocaleString("en")} rows | **${result.funnel_ratio}×** | ≤ 4× |
| the same funnel over raw events (the path before timelines; still used for step filters and breakdowns) | p95 ${result.funnel_raw_events_p95_ms} ms (same counts, checked) | the same count | ${result.funnel_raw_events_ratio}× | |
| strict / any order from timelines (3 runs each, median; same counts as raw events, checked) | ${result.funnel_strict_median_ms} / ${result.funnel_any_median_ms} ms | | | |
| floor of any per-person evaluation over raw events: the same rows grouped by person (no sequence, no walk) | p95 ${result.funnel_person_floor_p95_ms} ms | the same count | ${result.funnel_person_floor_ratio}× | |
| medians instead of p95 (less moved by one slow sample on a loaded machine) | timelines ${result.funnel_median_ms} ms, raw events ${result.funnel_raw_events_median_ms} ms | count ${result.funnel_baseline_median_ms} ms | timelines ${result.funnel_median_ratio}×, raw events ${(result.funnel_raw_events_median_ms / result.funnel_baseline_median_ms).toFixed(2)}× | |

${verdict(result)} Ratios are against a count timed
in the same run, alternating with it, so they hold up under load better than the milliseconds do —
but with 7–8 agents sharing 2 CPUs the p95 of 10 samples still moves by ±30 % between runs.

## How the funnel reads (since 2026-12-07, reworked the same day)

A trigger on \`analytics_events\` appends every new non-bot event to a per-person timeline row, one
per (workspace, UTC day, person): 7 characters per event (2 for a per-workspace name code, 5 for the
ms into the day). A funnel without step filters and without a breakdown reads those rows: one D1
batch brings the step names' codes, the daily rollups and — when the rollups say the range holds
≤ 1M events — the whole range as one row per day (\`GROUP BY day\` in primary-key order: the day's
people comma-joined, their events comma-joined in the same order); larger ranges come as pages of
~1M events, the next requested while the current one is grouped. The Worker groups the rows by
person without a string or object per person or row (query/timeline-rows.ts: an open-addressing
hash table in typed arrays over the ids' text inside the page strings, reused by the next funnel;
a row is a range of its day's string found with \`indexOf(',')\`), then per person decodes the tokens,
sorts when events arrived out of order and walks them with the same walk as the raw path. An id
holding a comma shows as more ids than rows: that funnel reads every page again with the people as
JSON arrays. Identity merges and retention rebuild the rows they touch. See docs/analytics-storage.md.

Each run starts with ${result.samples.warmup ? "one unmeasured round" : "no warm-up round"} of all four funnel-phase requests (its
samples are in the JSON under \`samples.warmup\`): the first round pays the Worker's JIT and the
growth of the Worker's and D1's heaps — its funnel took 207–681 ms against ~100–370 ms (medians)
later in the runs of 2026-12-07.

## What was tried (1,000,000 events, 100,000 people; ratios against the same-run indexed count)

| try | measured | ratio |
|---|---|---|
| raw events: per person \`group_concat\` over the (tenant, person, ts, name, is_bot) index + walk in the Worker (before) | p95 1,523 ms vs 88 ms, load ≈ 10 | 17.3× (grouping by person alone: 6.55×) |
| raw events: the walk as window functions in SQL (earlier) | 27 s | — |
| timelines read as rows (137k person-day rows into the Worker) | receiving them alone 320–920 ms vs count 36–73 ms (one integer column of 137k rows: 170–220 ms — D1 hands rows over at ~1.5 µs each) | ≥ 5× before any walk |
| timelines concatenated by SQL, keyset pages of 10k rows (\`day ' ' hex(person) ' ' events\`, printf for the last key), walk allocating per person | bench at load ≈ 17: p95 2,589 vs 366 ms; raw-event funnel in the same run 13.98× | 7.07× |
| … JS: rows grouped with indexOf scans and a sparse array (5 µs/row) → split()/JSON.parse and packed arrays; the walk on reused scratch arrays (4 typed arrays per person before) | walk of 100k people 640 → ~90 ms (node, load 17) | |
| … SQL variants on the same data (node:sqlite, load 15, count = 104 ms): keyset pages with printf 269 ms, without printf 224, without the day list 177, \`GROUP BY day\` straight on the primary key 187–208 | | SQL part 2.6× → 1.6–2× |
| timelines, \`GROUP BY day\` runs of 100k events from the daily rollups, people as JSON arrays, rows as ranges of the day's string (e1d98c1) | bench at load ≈ 15: p95 936 vs 274 ms, medians 697 vs 114 ms; quiet machine (load 1–3): medians 195 vs 37 ms | p95 3.42×, medians 6.11× (quiet: 5.27×) |
| profile of that (workerd CPU profile, 10 funnels, load ≈ 4) | grouping (\`addPage\`: JSON.parse of the people, a Map lookup and 6 array pushes per row) 29 % self, D1's JSON transport in the Worker (\`text\`, \`JSON.parse\`) 17 %, the walk 12 %, waiting on D1 31 %; node:sqlite, same data: JSON.parse of the people 65 ms, the Map 62 ms, the pushes 45 ms (load 6) | |
| people grouped by a hash table over the ids' text (typed arrays, open addressing, hash and person side by side; reused between funnels), rows by \`indexOf(',')\`; the walk's \`fill()\` calls as loops; no \`max(full)\` in the SQL (~10 % of it; a full row is ≥ 1.4M characters, so only such a day is asked); people without a step-1 event before \`to\` skipped (sequential/strict; none in this data); pages of 1M events (1 query instead of 10), the next one read ahead, codes and rollups in parallel (1fcd7fe) | grouping 100 → 12–20 ms CPU (node); A/B in one stack, medians of 20, load 6.3: 250 → 139 ms vs count 46 ms | 5.43× → 3.02× |
| … page sizes (A/B in one stack, medians of 20): 100k / 300k / 1M events per page at load 6.3: 4.26× / 3.17× / 3.02×; 250k / 500k / 1M at load 10: 2.88× / 2.53× / 2.35× (each query costs a round trip: 44 tiny queries 149 ms vs 1 query 48 ms at count 67 ms) | | |
| … read-only decomposition in workerd (one query, no grouping; load 7, count 70 ms): the scan alone 0.71×, + events 1.30×, + people as JSON arrays 2.03× — the people cost as much as the events (escaped in SQL, their quotes escaped again in D1's JSON transport); other encodings (load 6, count 71): JSON 51 ms, \`quote()\` 68, \`hex()\` 73, plain comma list 41 | | |
| people as a plain comma list (JSON arrays only when an id holds a comma) (f20d435) | A/B, medians of 20, load 7: 271 → 223 ms vs 91 ms | 2.98× → 2.45× |
| codes, rollups and the first page in one D1 batch (44ea84a) | A/B, medians of 25, load 7.5: 188 → 168 ms vs 57 ms | 3.30× → 2.95× |
| not kept: rows ordered by person through the (tenant, person) index so no ids are sent (node:sqlite: 34 ms CPU for the person/day list alone, as much as the whole day read, and it scans the workspace's whole history); dropping rows without any step code by \`instr\` (8 % of rows, 5 % of the bytes here) | | |
| the same, this run | see the table above | p95 ${result.funnel_ratio}×, medians ${result.funnel_median_ratio}× |

Bench runs of the reworked path on 2026-12-07 (funnel / count in ms; load = 1-minute average before → after):

| code | load | medians | p95s | ingestion |
|---|---|---|---|---|
| plain people lists, two queries before the page; no warm-up round | 8.6 → 10.5 / 10.1 → 8.0 / 7.8 → 10.4 | 338 / 95 = 3.56×, 287 / 91 = 3.15×, 334 / 86 = 3.88× | 1.89×, 2.92×, 5.99× | 58.4×, 25.9×, 41.2× |
| + one D1 batch (44ea84a); no warm-up round | 7.3 → 6.5 / 6.3 → 7.8 / 7.8 → 6.2 | 213 / 45 = 4.73×, 188 / 78 = 2.41×, 156 / 46 = 3.39× | 4.73×, 4.15×, 4.61× | 23.8×, 32.1×, 22.4× |
| + one warm-up round | 7.8 → 8.0 / 8.1 → 9.0 / 8.7 → 7.4 | 261 / 74 = 3.53×, 133 / 55 = 2.42×, 160 / 56 = 2.86× | 1.66×, 2.30×, 1.96× | 26.7×, 26.1×, 31.6× |
| the same, committed (a6902a1), the last three runs | 12.7 → 12.4 / 11.8 → 5.3 / 5.2 → 4.7 | 369 / 128 = 2.88×, 97 / 37 = 2.62×, 137 / 39 = 3.51× | 3.83×, 3.08×, 2.41× | 40.4×, 15.1×, 21.5× |

Without the warm-up round the first two or three funnels of a run were the slow ones (e.g. 303, 346,
591 ms, then 125–242 ms), which put one of those six medians (4.73×) and four of their six p95s above
4×; the p95 of 10 samples is their maximum. A funnel profiled right after a raw-event funnel in a
fresh stack spent 21 % of its time in GC and 40 % waiting on D1.

Where the time goes now (workerd CPU profile of 10 warm funnels, load ≈ 10, ~170 ms sampled per
funnel): waiting on D1 (its SQL and its JSON of the ~8 MB result) ~28 %, D1's JSON transport in the
Worker (\`text\`, \`JSON.parse\`) ~22 %, the walk 16 %, grouping by person 13 %, GC 5 %, counts and
medians 4 %. The bytes (7 characters per event plus the ids) are now most of the cost. Next steps not
taken: per-workspace integer person numbers in the timeline (a schema change: ids are sent as short
numbers and grouped by index instead of hashed text — here ~10 %, much more with 36-character ids,
which would add ~5 MB per funnel of this size), and 6-character tokens (base 92, ~14 % fewer bytes).

Ingestion pays for the timeline: one more upsert (and a name-code lookup) per event inside the same
insert; the Queue path stays ${result.ingest_ratio}× one INSERT per event (both pay the trigger).
`;
}
