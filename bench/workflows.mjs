// `npm run bench -- workflows`: BENCH_WORKFLOW_RUNS (1,000) runs of a 5-step workflow on Cloudflare
// Workflows vs the same five service calls made directly, one request per run, in one stack.
//
// Starts its own local stack (lib/stack.mjs: wrangler dev → workerd with the Workflows engine,
// throwaway D1), signs up a workspace and buys it Enterprise through the payment simulator (50
// concurrent runs), creates a lead and publishes this workflow:
//   trigger → update_record (lead status) → send_message (in-app) → condition (score ≥ 50)
//           → update_record (lead tag) → send_message (in-app)
// Each step is a `step.do` that also writes its attempt to D1 (the run history).
//   baseline — POST /dev/workflows-bench/baseline makes the same five calls (the lead updater twice,
//              messaging send() twice, the condition) in one request; RUNS requests, CONCURRENCY at a
//              time: baseline_per_s = RUNS / wall time.
//   runs     — RUNS manual runs (POST /workflows/{id}/runs, CONCURRENCY at a time), then wait until
//              every run is final: runs_per_s = RUNS / (first start → last finish).
// ratio = runs_per_s / baseline_per_s; step_overhead_ms = (1/runs_per_s − 1/baseline_per_s) / 5 in
// ms: what durable execution adds per step at this throughput (latency_step_overhead_ms: the same
// from the mean run duration vs the mean baseline request).
// Writes bench/results/workflows.{json,md}. Knobs: BENCH_WORKFLOW_RUNS=1000 BENCH_WORKFLOW_CONCURRENCY=20
import { writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { ROOT, startStack } from "./lib/stack.mjs";

const RUNS = Number(process.env.BENCH_WORKFLOW_RUNS || 1000);
const CONCURRENCY = Number(process.env.BENCH_WORKFLOW_CONCURRENCY || 20);
const STEPS = 5;
const OUT = process.env.BENCH_OUT ? resolve(process.env.BENCH_OUT) : join(ROOT, "bench/results/workflows");
const t0 = Date.now();
const log = (m) => console.log(`[bench:workflows +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
const round = (n, d = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let ipCounter = 0;
// A different client IP per request: RL_IP (600 / 10 s) would otherwise throttle the bench itself.
const nextIp = () => `10.201.${(++ipCounter >> 8) & 255}.${ipCounter & 255}`;

async function api(base, method, path, { token, tenant, body, ip = nextIp() } = {}) {
  const headers = { "CF-Connecting-IP": ip };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (tenant) headers["X-Tenant-ID"] = tenant;
  if (body) headers["Content-Type"] = "application/json";
  const r = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: r.status, json, text };
}
const expect = (r, status, what) => {
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status}: ${r.text.slice(0, 500)}`);
  return r.json;
};

/** Runs `n` calls of `fn(i)` with `c` in flight; returns the wall time in ms. */
async function pool(n, c, fn) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return performance.now() - started;
}

const loadBefore = os.loadavg();
const stack = await startStack({ log, logLevel: process.env.BENCH_WRANGLER_LOG || "warn" });
try {
  const { url } = stack;
  const ip = "10.201.255.1";
  const su = expect(
    await api(url, "POST", "/api/v1/auth/signup", {
      ip,
      body: {
        email: `bench-wf-${Date.now()}@example.test`,
        password: "bench-password-0123456789",
        name: "Bench",
        workspace_name: "Workflows bench",
      },
    }),
    201,
    "signup",
  );
  const A = { token: su.access_token, tenant: su.tenant?.id ?? su.memberships[0].tenant.id };
  const userId = su.user.id;
  const checkout = expect(
    await api(url, "POST", "/api/v1/billing/checkout", {
      ...A,
      ip,
      body: { plan: "enterprise", interval: "month", seats: 25, provider: "stripe" },
    }),
    200,
    "checkout",
  );
  const approve = await fetch(`${url + new URL(checkout.url).pathname}/approve`, {
    method: "POST",
    redirect: "manual",
    headers: { "CF-Connecting-IP": ip },
  });
  if (approve.status !== 303) throw new Error(`simulator approve: ${approve.status}`);
  // Runs are started with a secret API key (scope workflows:write): an access token expires mid-bench.
  const key = expect(
    await api(url, "POST", "/api/v1/api-keys", { ...A, ip, body: { name: "bench", scopes: ["workflows:write", "workflows:read"] } }),
    201,
    "api key",
  );
  const K = { token: key.secret, tenant: A.tenant };
  const lead = expect(
    await api(url, "POST", "/api/v1/sales/leads", { ...A, body: { email: "bench-lead@example.test", first_name: "Bench" } }),
    201,
    "lead",
  );
  log(`Enterprise workspace, lead ${lead.id}`);

  const node = (id, type, config, x) => ({ id, type, name: id, position: { x, y: 0 }, config });
  const definition = {
    trigger: { type: "manual" },
    nodes: [
      node("trigger", "trigger", {}, 0),
      node(
        "contacted",
        "update_record",
        { record: "lead", record_id: "{{ trigger.data.lead_id }}", changes: { status: "contacted" } },
        200,
      ),
      node("tell", "send_message", { channel: "in_app", to: userId, subject: "Lead contacted", body: "bench {{ run.id }}" }, 400),
      node("hot", "condition", { condition: { left: "trigger.data.score", op: "gte", right: 50 } }, 600),
      node("tag", "update_record", { record: "lead", record_id: "{{ trigger.data.lead_id }}", changes: { add_tags: ["hot"] } }, 800),
      node("tell2", "send_message", { channel: "in_app", to: userId, subject: "Lead tagged", body: "bench {{ run.id }}" }, 1000),
    ],
    edges: [
      { id: "e1", from: "trigger", to: "contacted" },
      { id: "e2", from: "contacted", to: "tell" },
      { id: "e3", from: "tell", to: "hot" },
      { id: "e4", from: "hot", to: "tag", port: "true" },
      { id: "e5", from: "tag", to: "tell2" },
    ],
  };
  const wf = expect(
    await api(url, "POST", "/api/v1/workflows", { ...A, body: { name: "Bench: 5 steps", definition } }),
    201,
    "create workflow",
  );
  expect(await api(url, "POST", `/api/v1/workflows/${wf.id}/publish`, A), 200, "publish");

  // Warm-up: one of each (first-call compilation, the engine's first instance).
  expect(
    await api(url, "POST", "/dev/workflows-bench/baseline", { body: { tenant_id: A.tenant, lead_id: lead.id, user_id: userId } }),
    200,
    "baseline warm-up",
  );
  log("published; baseline…");

  const baseMs = [];
  const baselineWall = await pool(RUNS, CONCURRENCY, async () => {
    const s = performance.now();
    expect(
      await api(url, "POST", "/dev/workflows-bench/baseline", { body: { tenant_id: A.tenant, lead_id: lead.id, user_id: userId } }),
      200,
      "baseline",
    );
    baseMs.push(performance.now() - s);
  });
  const baselinePerS = RUNS / (baselineWall / 1000);
  log(`baseline: ${RUNS} requests in ${(baselineWall / 1000).toFixed(1)} s → ${baselinePerS.toFixed(1)}/s`);

  const r0 = performance.now();
  const startWall = await pool(RUNS, CONCURRENCY, async () => {
    expect(
      await api(url, "POST", `/api/v1/workflows/${wf.id}/runs`, { ...K, body: { input: { lead_id: lead.id, score: 80 } } }),
      201,
      "start run",
    );
  });
  log(`${RUNS} runs started in ${(startWall / 1000).toFixed(1)} s; waiting for them to finish…`);
  let status;
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    status = expect(await api(url, "GET", `/dev/workflows-bench/status?tenant_id=${A.tenant}&workflow_id=${wf.id}`), 200, "status");
    const done = (status.by_status.completed?.n ?? 0) + (status.by_status.failed?.n ?? 0) + (status.by_status.cancelled?.n ?? 0);
    if (done >= RUNS) break;
    if (Date.now() > deadline) throw new Error(`runs did not finish: ${JSON.stringify(status)}`);
    await sleep(500);
  }
  const runsWall = performance.now() - r0;
  const runsPerS = RUNS / (runsWall / 1000);
  const completed = status.by_status.completed?.n ?? 0;
  const meanRunMs = status.by_status.completed?.mean_ms ?? null;
  const meanBaseMs = baseMs.reduce((a, b) => a + b, 0) / baseMs.length;
  log(`runs: ${completed}/${RUNS} completed in ${(runsWall / 1000).toFixed(1)} s → ${runsPerS.toFixed(1)}/s`);

  const result = {
    runs: RUNS,
    runs_per_s: round(runsPerS, 2),
    baseline_per_s: round(baselinePerS, 2),
    ratio: round(runsPerS / baselinePerS, 3),
    step_overhead_ms: round((1000 / runsPerS - 1000 / baselinePerS) / STEPS, 2),
    latency_step_overhead_ms: meanRunMs === null ? null : round((meanRunMs - meanBaseMs) / STEPS, 1),
    steps_per_run: STEPS,
    concurrency: CONCURRENCY,
    completed,
    failed: status.by_status.failed?.n ?? 0,
    mean_run_ms: round(meanRunMs, 1),
    mean_baseline_request_ms: round(meanBaseMs, 1),
    runs_seconds: round(runsWall / 1000, 2),
    baseline_seconds: round(baselineWall / 1000, 2),
    source: { rev: stack.source.rev, commit: stack.source.commit, dirty: stack.source.dirty },
    machine: {
      cpus: os.cpus().length,
      loadavg_before: loadBefore.map((x) => round(x, 2)),
      loadavg_after: os.loadavg().map((x) => round(x, 2)),
    },
    timestamp: new Date().toISOString(),
  };
  const md = `# Workflows bench: durable runs vs direct calls

| | count | seconds | per second |
|---|---:|---:|---:|
| workflow runs (5 steps on Cloudflare Workflows, each step recorded in D1; ≤ 50 at once) | ${RUNS} | ${result.runs_seconds} | ${result.runs_per_s} |
| baseline (the same 5 service calls in one request) | ${RUNS} | ${result.baseline_seconds} | ${result.baseline_per_s} |

**ratio ${result.ratio}**, **step_overhead_ms ${result.step_overhead_ms}** (throughput cost per step: (1/runs_per_s − 1/baseline_per_s) / 5).
Latency: a run took ${result.mean_run_ms} ms on average (start → finish, queueing for a slot included) against ${result.mean_baseline_request_ms} ms for a baseline
request: ${result.latency_step_overhead_ms} ms per step. ${completed} of ${RUNS} runs completed, ${result.failed} failed; ${CONCURRENCY} requests in flight.

Local stack (wrangler dev → workerd, Workflows engine and D1 in SQLite), ${result.machine.cpus} CPUs shared (load ${result.machine.loadavg_before[0]} → ${result.machine.loadavg_after[0]}), ${result.timestamp}.
`;
  writeFileSync(`${OUT}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${OUT}.md`, md);
  log(`ratio ${result.ratio}, step_overhead_ms ${result.step_overhead_ms} → ${OUT}.json`);
  if (completed !== RUNS) process.exitCode = 1;
} finally {
  await stack.stop();
}
