// `npm run bench -- forum`: the hosted community's server-rendered topic page against a baseline,
// and search latency over a large forum, in one run.
//
// Starts its own local stack (lib/stack.mjs: wrangler dev → workerd, throwaway D1), signs up a
// workspace, turns its forum on and bulk-loads BENCH_FORUM_POSTS posts (default 100,000: topics of
// 50 posts) through the dev-only /dev/forum-bench/seed route (404 outside local; rows generated in
// SQLite, indexed by the real FTS triggers). Then:
//   topic    — C keep-alive connections (one client IP each, paced under the per-IP limit), each
//              reading its own topic's page: GET /community/<slug>/t/<slug>/<id> (50 posts, signed
//              out: slug → workspace, settings, brand, one D1 batch for the page, HTML)
//   baseline — the same connections on GET /api/health
// in A B B A … order after a warm-up (ratio = topic_rps / baseline_rps; goal ≥ 0.4), and
//   search   — BENCH_FORUM_SEARCHES queries (one or two words of the seeded vocabulary) at
//              BENCH_FORUM_SEARCH_CONC concurrency on the community's search page; p50/p95.
// Writes bench/results/forum.{json,md} with {"topic_rps","baseline_rps","ratio","search_p95_ms","posts"}.
// Knobs (env): BENCH_CONNECTIONS=50 BENCH_ROUNDS=3 BENCH_PHASE_S=3 BENCH_WARMUP_S=3 BENCH_MAX_RPS_PER_IP=50
//   BENCH_FORUM_POSTS=100000 BENCH_FORUM_SEARCHES=200 BENCH_FORUM_SEARCH_CONC=4 BENCH_OUT=bench/results/forum
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { closeConnection, makeConnection, percentile, probe, runPhase, summarize } from "./lib/load.mjs";
import { ROOT, startStack } from "./lib/stack.mjs";

const int = (k, d) => (process.env[k] ? Number(process.env[k]) : d);
const CONNECTIONS = int("BENCH_CONNECTIONS", 50);
const ROUNDS = int("BENCH_ROUNDS", 3);
const PHASE_S = int("BENCH_PHASE_S", 3);
const WARMUP_S = int("BENCH_WARMUP_S", 3);
const MAX_RPS_PER_IP = int("BENCH_MAX_RPS_PER_IP", 50);
const POSTS = int("BENCH_FORUM_POSTS", 100_000);
const PER_TOPIC = 50;
const SEARCHES = int("BENCH_FORUM_SEARCHES", 200);
const SEARCH_CONC = int("BENCH_FORUM_SEARCH_CONC", 4);
const OUT = process.env.BENCH_OUT ? resolve(process.env.BENCH_OUT) : join(ROOT, "bench/results/forum");
const WORDS = [
  "refund",
  "invoice",
  "shipping",
  "billing",
  "password",
  "webhook",
  "coupon",
  "delivery",
  "upgrade",
  "dashboard",
  "checkout",
  "receipt",
];

const t0 = Date.now();
const log = (m) => console.log(`[bench:forum +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
const round = (n, d = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null);
const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const ip = (group, i) => `10.${group}.${(i >> 8) & 255}.${i & 255}`;

async function api(base, method, path, { token, tenant, body, clientIp = ip(100, 1) } = {}) {
  const headers = { "CF-Connecting-IP": clientIp };
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

async function searchRun(base, slug) {
  const queries = Array.from({ length: SEARCHES }, (_, i) =>
    i % 3 === 2 ? `${WORDS[i % WORDS.length]} ${WORDS[(i * 5 + 1) % WORDS.length]}` : WORDS[i % WORDS.length],
  );
  const lat = [];
  let next = 0;
  let empty = 0;
  const statuses = {};
  await Promise.all(
    Array.from({ length: SEARCH_CONC }, async (_, w) => {
      for (let i = next++; i < queries.length; i = next++) {
        const t = performance.now();
        const r = await fetch(`${base}/community/${slug}/search?q=${encodeURIComponent(queries[i])}`, {
          headers: { "CF-Connecting-IP": ip(150, w) },
        });
        const html = await r.text();
        lat.push(performance.now() - t);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (!html.includes("<mark>")) empty++;
      }
    }),
  );
  const sorted = Float64Array.from(lat).sort();
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1], statuses, empty, n: lat.length };
}

const loadBefore = os.loadavg();
const stack = await startStack({ log, logLevel: process.env.BENCH_WRANGLER_LOG || "warn" });
let conns = [];
try {
  const { url } = stack;
  const su = expect(
    await api(url, "POST", "/api/v1/auth/signup", {
      body: {
        email: `bench-forum-${Date.now()}@example.test`,
        password: "bench-password-0123456789",
        name: "Bench Staff",
        workspace_name: "Forum bench",
      },
    }),
    201,
    "signup",
  );
  const tenantId = su.tenant?.id ?? su.memberships[0].tenant.id;
  const slug = expect(await api(url, "GET", "/api/v1/tenant", { token: su.access_token, tenant: tenantId }), 200, "tenant").slug;
  const setup = expect(
    await api(url, "POST", "/dev/forum-bench/setup", { body: { tenant_id: tenantId, owner_id: su.user.id } }),
    201,
    "setup",
  );

  const topicsTotal = Math.ceil(POSTS / PER_TOPIC);
  const perRequest = 200; // topics per seed request (10,000 posts)
  const loadStart = performance.now();
  let seeded = 0;
  for (let b = 0; b * perRequest < topicsTotal; b++) {
    const topics = Math.min(perRequest, topicsTotal - b * perRequest);
    const r = expect(
      await api(url, "POST", "/dev/forum-bench/seed", {
        body: {
          tenant_id: tenantId,
          category_id: setup.category_id,
          author_id: setup.member_id,
          batch: `r${b}`,
          topics,
          posts_per_topic: PER_TOPIC,
        },
      }),
      201,
      "seed",
    );
    seeded += r.posts;
  }
  const loadS = (performance.now() - loadStart) / 1000;
  log(`seeded ${seeded} posts in ${topicsTotal} topics in ${fmt(loadS)} s`);

  // Each connection reads its own topic (first batch's topics 0..C-1), signed out.
  const topicPath = (i) => `/community/${slug}/t/how-do-i-${setup.words[i % setup.words.length]}-${i}/ftop_br0x${i}`;
  conns = Array.from({ length: CONNECTIONS }, (_, i) =>
    makeConnection({
      url,
      headers: { "CF-Connecting-IP": ip(200, i) },
      minIntervalMs: MAX_RPS_PER_IP > 0 ? 1000 / MAX_RPS_PER_IP : 0,
      targets: { baseline: { path: "/api/health", headers: {} }, topic: { path: topicPath(i), headers: {} } },
    }),
  );
  for (const c of conns) {
    const h = await probe(c, "baseline");
    if (h.status !== 200) throw new Error(`baseline probe: ${h.status}`);
    const t = await probe(c, "topic");
    const posts = (t.body.match(/<article class="post/g) ?? []).length;
    if (t.status !== 200 || posts !== PER_TOPIC)
      throw new Error(`topic probe ${c.targets.topic.path}: ${t.status}, ${posts} posts: ${t.body.slice(0, 300)}`);
  }
  log(`probes ok: ${conns.length} topic pages of ${PER_TOPIC} posts`);

  // Each phase starts cold (the previous one drained): an uncounted ramp of 1.5 × the warm-up's p90
  // latency (at least 1 s, at most 8 s) lets the closed loop reach steady state before counting.
  const warm = { baseline: await runPhase(conns, "baseline", WARMUP_S * 1000), topic: await runPhase(conns, "topic", WARMUP_S * 1000) };
  const rampOf = (name) => Math.round(Math.min(8000, Math.max(1000, 1.5 * warm[name].allP90)));
  const order = [];
  for (let r = 0; r < ROUNDS; r++) order.push("baseline", "topic", "topic", "baseline");
  const phases = { baseline: [], topic: [] };
  const seq = [];
  for (const name of order) {
    const p = await runPhase(conns, name, PHASE_S * 1000, rampOf(name));
    phases[name].push(p);
    seq.push((p.count / p.elapsedMs) * 1000);
    log(`${name.padEnd(8)} ${fmt((p.count / p.elapsedMs) * 1000)} req/s (${p.count} req)`);
  }
  const baseline = summarize(phases.baseline);
  const topic = summarize(phases.topic);
  const pairs = [];
  for (let k = 0; k + 3 < seq.length; k += 4) pairs.push(seq[k + 1] / seq[k], seq[k + 2] / seq[k + 3]);

  log(`search: ${SEARCHES} queries at ${SEARCH_CONC} at once over ${seeded} posts`);
  await searchRun(url, slug); // warm
  const search = await searchRun(url, slug);
  log(
    `search p50 ${fmt(search.p50)} ms, p95 ${fmt(search.p95)} ms (statuses ${JSON.stringify(search.statuses)}, without results ${search.empty})`,
  );

  const result = {
    topic_rps: round(topic.rps),
    baseline_rps: round(baseline.rps),
    ratio: round(topic.rps / baseline.rps, 3),
    search_p95_ms: round(search.p95),
    posts: seeded,
    goal_ratio: 0.4,
    topic_p50_ms: round(topic.p50_ms, 2),
    topic_p99_ms: round(topic.p99_ms, 2),
    baseline_p50_ms: round(baseline.p50_ms, 2),
    baseline_p99_ms: round(baseline.p99_ms, 2),
    search_p50_ms: round(search.p50),
    search_max_ms: round(search.max),
    searches: search.n,
    search_concurrency: SEARCH_CONC,
    searches_without_results: search.empty,
    ratio_pairs: pairs.map((x) => round(x, 3)),
    ramp_ms: { baseline: rampOf("baseline"), topic: rampOf("topic") },
    anonymous_page_cache: "signed-out pages of public topics reused per isolate while the topic's version is unchanged (≤ 5 s)",
    errors:
      baseline.non2xx +
      topic.non2xx +
      Object.entries(search.statuses)
        .filter(([k]) => k !== "200")
        .reduce((a, [, v]) => a + v, 0),
    statuses: { baseline: baseline.statuses, topic: topic.statuses, search: search.statuses },
    connections: conns.length,
    posts_per_topic: PER_TOPIC,
    seed_s: round(loadS, 1),
    phase_s: PHASE_S,
    rounds: ROUNDS,
    targets: {
      baseline: "GET /api/health",
      topic: "GET /community/<slug>/t/<topic>/<id> (50 posts, signed out)",
      search: "GET /community/<slug>/search?q=",
    },
    stack: "local: wrangler dev → workerd (miniflare D1/SQLite, local rate-limit bindings)",
    source: { rev: stack.source.rev, commit: stack.source.commit, dirty: stack.source.dirty },
    machine: {
      cpus: os.cpus().length,
      loadavg_before: loadBefore.map((x) => round(x, 2)),
      loadavg_after: os.loadavg().map((x) => round(x, 2)),
      node: process.version,
    },
    timestamp: new Date().toISOString(),
  };
  const md = [
    "# Community: server-rendered topic page vs baseline, and search over a large forum",
    "",
    `${result.connections} keep-alive connections (one client IP each, ≤ ${MAX_RPS_PER_IP} req/s), phases ${order.map((o) => (o === "baseline" ? "A" : "B")).join("")} of ${PHASE_S} s after a warm-up; ${result.posts} posts (${PER_TOPIC} per topic) seeded in ${result.seed_s} s; local stack, ${result.machine.cpus} CPUs shared (load ${result.machine.loadavg_before[0]} → ${result.machine.loadavg_after[0]}), ${result.timestamp}.`,
    "",
    "| figure | value |",
    "|---|---:|",
    `| topic_rps (50-post topic page, SSR) | ${fmt(result.topic_rps)} |`,
    `| baseline_rps (\`/api/health\`) | ${fmt(result.baseline_rps)} |`,
    `| **ratio** (goal ≥ 0.4) | **${fmt(result.ratio, 3)}** |`,
    `| topic p50 / p99 ms | ${fmt(result.topic_p50_ms)} / ${fmt(result.topic_p99_ms)} |`,
    `| **search_p95_ms** (${result.searches} searches, ${SEARCH_CONC} at once) | **${fmt(result.search_p95_ms)}** |`,
    `| search p50 ms | ${fmt(result.search_p50_ms)} |`,
    `| posts | ${result.posts} |`,
    `| errors | ${result.errors} |`,
    "",
  ].join("\n");
  console.log(`\n${md}`);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(`${OUT}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${OUT}.md`, md);
  log(`wrote ${relative(ROOT, OUT)}.json and .md`);
  if (result.errors > 0) {
    console.error(`run had ${result.errors} errors: ${JSON.stringify(result.statuses)}`);
    process.exitCode = 1;
  }
} catch (e) {
  try {
    console.error(
      `--- last lines of the wrangler dev log ---\n${readFileSync(stack.logFile, "utf8").split("\n").slice(-40).join("\n")}\n---`,
    );
  } catch {}
  console.error(e);
  process.exitCode = 1;
} finally {
  for (const c of conns) closeConnection(c);
  await stack.stop();
  log("stack stopped");
}
