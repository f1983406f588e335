// `npm run bench -- api`: throughput of the tenant-scoped API against a baseline, in one run.
//
// Starts its own local stack (wrangler dev → workerd, throwaway D1 state, a snapshot of the sources:
// see lib/stack.mjs), creates tenants through the API (signup, then invitations accepted via the dev
// mailbox), then drives C keep-alive connections (one client IP, user and tenant each) alternately at
//   (a) GET /api/health          — baseline: middleware chain + RL_IP limiter, no auth, no D1
//   (b) GET /api/v1/members      — the same + Bearer JWT, session ⋈ membership lookup, RL_TENANT,
//                                  tenant-scoped D1 query (memberships ⋈ users), JSON page
//   (c) GET /public/v1/portal/<slug>/home — an end user's read (issue 15): the portal resolved by
//                                  slug, end-user JWT + live-session check, then the home's reads
//                                  (ticket counts + recent, unread notifications, shared files)
// in an A B C C B A … order after a warm-up, and writes bench/results/api.{json,md}.
// Per DESIGN.md ("Speed is measured"), the headline is the ratio scoped/baseline from this run.
// Each phase also reads the CPU time the stack's workerd processes spent per request (lib/profiler.mjs
// processCpu: the runtime — Worker, D1, rate limiters and objects on one thread — and the dev proxy in
// front); that figure moves far less with the machine's load than req/s, so it tells a slow run from
// slower code.
//
// Knobs (env): BENCH_CONNECTIONS=50 BENCH_MEMBERS=2 (invited per tenant) BENCH_ROUNDS=3 (ABBA each)
//   BENCH_PHASE_S=2 (counted window) BENCH_RAMP_S=1 (min uncounted start of a phase) BENCH_WARMUP_S=2
//   BENCH_MAX_RPS_PER_IP=50 BENCH_WRANGLER_LOG=warn BENCH_KEEP_STATE=1
//   BENCH_OUT=bench/results/api (output prefix)  BENCH_REV=<git rev> (bench a commit instead of the
//   working tree, e.g. HEAD in a shared checkout where others' edits are half-done)
//   BENCH_PROFILE=1: also record a CPU profile of the Worker isolate over each counted phase (lib/profiler.mjs)
//   and print where the time went per target (the figures then include the profiler's overhead, and the
//   run is marked profiled: use it to find work, not for the committed results)
// The hand-written part of <prefix>.md — everything from the notes marker line on (lib/notes.mjs) — is kept when a run
// rewrites the file.
import { writeWithNotes } from "./lib/notes.mjs";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { closeConnection, makeConnection, probe, runPhase, summarize } from "./lib/load.mjs";
import { attachProfiler, processCpu } from "./lib/profiler.mjs";
import { ROOT, startStack } from "./lib/stack.mjs";

const int = (name, dflt) => {
  const v = process.env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${v}`);
  return n;
};
const CONNECTIONS = int("BENCH_CONNECTIONS", 50);
const MEMBERS = int("BENCH_MEMBERS", 2);
const FREE_SEATS = 3; // PLANS.free.maxSeats (workers/modules/billing/plans.ts)
const ROUNDS = int("BENCH_ROUNDS", 3);
const PHASE_S = int("BENCH_PHASE_S", 2);
const WARMUP_S = int("BENCH_WARMUP_S", 2);
// Each phase first runs an uncounted ramp (the previous phase was drained, so it starts cold), then
// counts PHASE_S. The ramp stretches when the machine is slow — a closed loop only reaches steady
// state after about one request latency, and on a busy box p50 at 50 connections went from ~0.2 s to
// ~2 s: per target, ramp = max(RAMP_S, 1.5 × warm-up p90), capped at 6 s. The counted time stays
// PHASE_S × 2 × ROUNDS per target (12 s by default) whatever the load.
const RAMP_S = int("BENCH_RAMP_S", 1);
const MAX_RAMP_MS = 6000;
// wrangler.toml RL_IP = 600 per 10 s window (wall-clock aligned) per client IP, RL_TENANT = 3000
// per 10 s per tenant. Each connection is one IP and one tenant and is paced to at most this rate,
// so the limiter never fires; if the pacer binds, the figure is a client cap, not the server's.
const MAX_RPS_PER_IP = int("BENCH_MAX_RPS_PER_IP", 50);
const SETUP_CONCURRENCY = 4;
const PASSWORD = "bench-password-0123456789";
// Output prefix: <prefix>.json and <prefix>.md (default bench/results/api); set it when experimenting
// with the knobs so the committed results are not overwritten.
const OUT = process.env.BENCH_OUT ? resolve(process.env.BENCH_OUT) : join(ROOT, "bench/results/api");
const PROFILE = Boolean(process.env.BENCH_PROFILE);

const t0 = Date.now();
const log = (msg) => console.log(`[bench:api +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

// Distinct fake client IPs: 10.<group>.<hi>.<lo>; group 100+ for setup, 200 for load.
const ip = (group, i) => `10.${group}.${Math.floor(i / 250) % 256}.${(i % 250) + 1}`;

async function api(base, method, path, { ip: clientIp, token, tenant, body } = {}) {
  const headers = { "CF-Connecting-IP": clientIp };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (tenant) headers["X-Tenant-ID"] = tenant;
  if (body) headers["Content-Type"] = "application/json";
  const r = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: r.status, json };
}

function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${JSON.stringify(res.json).slice(0, 500)}`);
  return res.json;
}

async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i], i);
    }),
  );
  return out;
}

/** Tenants with an owner each (signup) plus MEMBERS invited members (invitation → mailbox → signup). */
async function createData(base, runId) {
  const owners = await pool([...Array(CONNECTIONS).keys()], SETUP_CONCURRENCY, async (i) => {
    const email = `owner${i}.${runId}@bench.weft.test`;
    const res = await api(base, "POST", "/api/v1/auth/signup", {
      ip: ip(100, i),
      body: { email, password: PASSWORD, name: `Owner ${i}`, workspace_name: `Bench workspace ${i}` },
    });
    const j = expectStatus(res, 201, `signup owner ${i}`);
    if (!j.tenant?.id || !j.access_token)
      throw new Error(`signup owner ${i}: no tenant/access_token in ${JSON.stringify(j).slice(0, 300)}`);
    return { i, email, userId: j.user.id, tenantId: j.tenant.id, slug: j.tenant.slug, token: j.access_token, ip: ip(100, i) };
  });
  log(`${owners.length} tenants signed up`);
  // One end user per tenant, in its portal, with one open support ticket (the portal target reads it).
  await pool(owners, SETUP_CONCURRENCY, async (o) => {
    expectStatus(
      await api(base, "PUT", "/api/v1/end-users/portal-settings", {
        ip: o.ip,
        token: o.token,
        tenant: o.tenantId,
        body: { enabled: true },
      }),
      200,
      `portal on ${o.i}`,
    );
    const eu = expectStatus(
      await api(base, "POST", `/public/v1/portal/${o.slug}/auth/signup`, {
        ip: ip(120, o.i),
        body: { email: `eu${o.i}.${runId}@bench.weft.test`, password: PASSWORD, name: `Customer ${o.i}` },
      }),
      201,
      `end-user signup ${o.i}`,
    );
    o.endUserToken = eu.access_token;
    expectStatus(
      await api(base, "POST", `/public/v1/portal/${o.slug}/tickets`, {
        ip: ip(120, o.i),
        token: o.endUserToken,
        body: { subject: "Bench ticket", message: "Where is my order?" },
      }),
      201,
      `end-user ticket ${o.i}`,
    );
  });
  log(`${owners.length} portals on, one end user with a ticket each`);
  if (MEMBERS === 0) return owners;
  if (MEMBERS + 1 > FREE_SEATS) {
    // Seats are enforced: more than Free's seats needs a paid plan, bought through the payment simulator.
    await pool(owners, SETUP_CONCURRENCY, async (o) => {
      const plan = MEMBERS + 1 <= 10 ? "starter" : MEMBERS + 1 <= 50 ? "professional" : "enterprise";
      const start = expectStatus(
        await api(base, "POST", "/api/v1/billing/checkout", {
          ip: o.ip,
          token: o.token,
          tenant: o.tenantId,
          body: { plan, interval: "month", seats: MEMBERS + 1, provider: "stripe" },
        }),
        200,
        `checkout ${o.i}`,
      );
      const r = await fetch(`${base + new URL(start.url).pathname}/approve`, {
        method: "POST",
        redirect: "manual",
        headers: { "CF-Connecting-IP": o.ip },
      });
      if (r.status !== 303) throw new Error(`simulator approve ${o.i}: ${r.status} ${(await r.text()).slice(0, 300)}`);
    });
    log(`${owners.length} tenants subscribed through the payment simulator (${MEMBERS + 1} seats each)`);
  }

  const roles = ["member", "admin", "viewer"];
  const invites = owners.flatMap((o) =>
    Array.from({ length: MEMBERS }, (_, k) => ({ o, k, email: `m${k}.t${o.i}.${runId}@bench.weft.test`, role: roles[k % roles.length] })),
  );
  await pool(invites, SETUP_CONCURRENCY, async ({ o, email, role }) => {
    expectStatus(
      await api(base, "POST", "/api/v1/invitations", { ip: o.ip, token: o.token, tenant: o.tenantId, body: { email, role } }),
      201,
      `invite ${email}`,
    );
  });
  log(`${invites.length} invitations sent; waiting for the dev mailbox`);

  // The email goes through the outbox Queue; the token is only in the mail's link.
  const deadline = Date.now() + 60_000;
  const pending = new Map(invites.map((x) => [x.email, x]));
  let page = 0;
  while (pending.size) {
    if (Date.now() > deadline) throw new Error(`${pending.size} invitation emails did not arrive within 60 s`);
    let cursor;
    do {
      const q = new URLSearchParams({ limit: "100", ...(cursor ? { cursor } : {}) });
      const j = expectStatus(await api(base, "GET", `/api/v1/dev/mailbox?${q}`, { ip: ip(110, page++ % 200) }), 200, "dev mailbox");
      for (const m of j.data) {
        const inv = pending.get(m.to);
        const token = /[?&]token=([A-Za-z0-9_\-.~%]+)/.exec(m.text)?.[1];
        if (inv && token) {
          inv.token = decodeURIComponent(token);
          pending.delete(m.to);
        }
      }
      cursor = j.next_cursor;
    } while (cursor && pending.size);
    if (pending.size) await sleep(500);
  }
  await pool(invites, SETUP_CONCURRENCY, async (inv, n) => {
    const res = await api(base, "POST", "/api/v1/auth/signup", {
      ip: ip(101, n),
      body: { email: inv.email, password: PASSWORD, name: `Member ${inv.k} of ${inv.o.i}`, invite_token: inv.token },
    });
    expectStatus(res, 201, `signup invitee ${inv.email}`);
  });
  log(`${invites.length} invitees joined (${MEMBERS + 1} members per tenant)`);
  return owners;
}

/** Version of an installed package (wrangler, and the workerd that wrangler bundles). */
const versionOf = (...dirs) => {
  for (const d of dirs) {
    try {
      return JSON.parse(readFileSync(join(ROOT, "node_modules", d, "package.json"), "utf8")).version;
    } catch {}
  }
  return null;
};

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");

async function main() {
  const runId = Date.now().toString(36);
  const loadBefore = os.loadavg();
  const stack = await startStack({ log, logLevel: process.env.BENCH_WRANGLER_LOG || "warn" });
  let conns = [];
  try {
    const { url } = stack;
    log(`stack ready at ${url}`);
    const owners = await createData(url, runId);

    conns = owners.map((o, i) =>
      makeConnection({
        url,
        headers: { "CF-Connecting-IP": ip(200, i) },
        minIntervalMs: MAX_RPS_PER_IP > 0 ? 1000 / MAX_RPS_PER_IP : 0,
        targets: {
          baseline: { path: "/api/health", headers: {} },
          scoped: { path: "/api/v1/members", headers: { Authorization: `Bearer ${o.token}`, "X-Tenant-ID": o.tenantId } },
          portal: { path: `/public/v1/portal/${o.slug}/home`, headers: { Authorization: `Bearer ${o.endUserToken}` } },
        },
      }),
    );

    // Correctness before speed: every tenant sees exactly its own members.
    for (const c of conns) {
      const h = await probe(c, "baseline");
      if (h.status !== 200) throw new Error(`baseline probe: ${h.status} ${h.body}`);
      const m = await probe(c, "scoped");
      if (m.status !== 200) throw new Error(`scoped probe: ${m.status} ${m.body}`);
      const n = JSON.parse(m.body).data.length;
      if (n !== MEMBERS + 1) throw new Error(`scoped probe: expected ${MEMBERS + 1} members, got ${n}: ${m.body.slice(0, 300)}`);
      const h2 = await probe(c, "portal");
      if (h2.status !== 200) throw new Error(`portal probe: ${h2.status} ${h2.body}`);
      const active = JSON.parse(h2.body).tickets.active;
      if (active !== 1) throw new Error(`portal probe: expected the end user's 1 open ticket, got ${active}: ${h2.body.slice(0, 300)}`);
    }
    log(`probes ok: ${conns.length} connections, ${MEMBERS + 1} members per tenant`);

    log(`warm-up ${WARMUP_S}s per target`);
    const warm = [
      await runPhase(conns, "baseline", WARMUP_S * 1000),
      await runPhase(conns, "scoped", WARMUP_S * 1000),
      await runPhase(conns, "portal", WARMUP_S * 1000),
    ];

    const plan = {};
    for (const [k, w] of [
      ["baseline", warm[0]],
      ["scoped", warm[1]],
      ["portal", warm[2]],
    ]) {
      plan[k] = {
        rampMs: Math.round(Math.min(MAX_RAMP_MS, Math.max(RAMP_S * 1000, 1.5 * w.allP90))),
        windowMs: PHASE_S * 1000,
      };
    }
    log(
      `phase plan (warm-up p50/p90 → ramp + counted window): ` +
        Object.entries(plan)
          .map(
            ([k, p], i) =>
              `${k} ${fmt(warm[i].allP50, 0)}/${fmt(warm[i].allP90, 0)} ms → ${fmt(p.rampMs / 1000)} s + ${fmt(p.windowMs / 1000)} s`,
          )
          .join("; "),
    );

    const order = [];
    // A B C C B A per round: each of B and C sits next to an A on both sides of the round.
    for (let r = 0; r < ROUNDS; r++) order.push("baseline", "scoped", "portal", "portal", "scoped", "baseline");
    const phases = { baseline: [], scoped: [], portal: [] };
    const seq = [];
    // CPU ms per request of each phase (ramp and window: every response of the phase), per workerd process.
    const cpu = processCpu(stack);
    const cpuPerReq = { baseline: [], scoped: [], portal: [] };
    const prof = PROFILE ? await attachProfiler(stack) : null;
    const profiles = { baseline: [], scoped: [], portal: [] };
    for (const [i, name] of order.entries()) {
      await prof?.start();
      const cpu0 = cpu.read();
      const p = await runPhase(conns, name, plan[name].windowMs, plan[name].rampMs);
      const used = cpu.since(cpu0);
      if (prof) profiles[name].push(await prof.stop(`api-bench-${i}-${name}`));
      const responses = Object.values(p.statuses).reduce((a, b) => a + b, 0);
      const perReq = Object.fromEntries(Object.entries(used).map(([k, v]) => [k, v / Math.max(responses, 1)]));
      cpuPerReq[name].push(perReq);
      phases[name].push(p);
      seq.push({ name, rps: (p.count / p.elapsedMs) * 1000 });
      log(
        `${name.padEnd(8)} ${fmt((p.count / p.elapsedMs) * 1000)} req/s  (${p.count} req, non-2xx ${Object.entries(p.statuses)
          .filter(([k]) => k < 200 || k >= 300)
          .reduce((a, [, v]) => a + v, 0)}); workerd CPU ms/request: ${Object.entries(perReq)
          .map(([k, v]) => `${k} ${fmt(v, 2)}`)
          .join(", ")}`,
      );
    }
    if (prof) {
      for (const [name, runs] of Object.entries(profiles)) {
        const sampled = runs.reduce((a, r) => a + r.total, 0);
        const n = phases[name].reduce((a, p) => a + Object.values(p.statuses).reduce((x, y) => x + y, 0), 0);
        log(
          `profile of the ${name} phases: ${fmt(sampled / 1000, 0)} ms sampled, ${n} requests\n${runs[0]?.text}\n(${runs.map((r) => relative(ROOT, r.file)).join(", ")})`,
        );
      }
      prof.close();
    }
    const medianOf = (xs) => {
      const s = [...xs].sort((x, y) => x - y);
      return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
    };
    const cpuMedian = (name) =>
      Object.fromEntries(
        ["runtime", "proxy"].map((k) => [k, round(medianOf(cpuPerReq[name].map((x) => x[k]).filter(Number.isFinite)), 3)]),
      );
    const cpuMs = { baseline: cpuMedian("baseline"), scoped: cpuMedian("scoped"), portal: cpuMedian("portal") };
    const baseline = summarize(phases.baseline);
    const scoped = summarize(phases.scoped);
    const portal = summarize(phases.portal);
    const warmNon2xx = warm
      .flatMap((w) => Object.entries(w.statuses))
      .filter(([k]) => k < 200 || k >= 300)
      .reduce((a, [, v]) => a + v, 0);
    // Noise check: per round (A B C C B A), B and C each against the A at the same end of the round.
    const pairRatios = [];
    const portalPairRatios = [];
    for (let k = 0; k + 5 < seq.length; k += 6) {
      pairRatios.push(seq[k + 1].rps / seq[k].rps, seq[k + 4].rps / seq[k + 5].rps);
      portalPairRatios.push(seq[k + 2].rps / seq[k].rps, seq[k + 3].rps / seq[k + 5].rps);
    }
    const sortedPairs = [...pairRatios].sort((x, y) => x - y);
    const pairMedian = sortedPairs[Math.floor((sortedPairs.length - 1) / 2)] / 2 + sortedPairs[Math.ceil((sortedPairs.length - 1) / 2)] / 2;
    const capRps = MAX_RPS_PER_IP > 0 ? MAX_RPS_PER_IP * conns.length : Infinity;

    const result = {
      baseline_rps: round(baseline.rps),
      scoped_rps: round(scoped.rps),
      ratio: round(scoped.rps / baseline.rps, 3),
      portal_rps: round(portal.rps),
      portal_ratio: round(portal.rps / baseline.rps, 3),
      portal_p50_ms: round(portal.p50_ms, 2),
      portal_p99_ms: round(portal.p99_ms, 2),
      portal_requests: portal.requests,
      scoped_p99_ms: round(scoped.p99_ms, 2),
      baseline_p50_ms: round(baseline.p50_ms, 2),
      baseline_p99_ms: round(baseline.p99_ms, 2),
      scoped_p50_ms: round(scoped.p50_ms, 2),
      baseline_requests: baseline.requests,
      scoped_requests: scoped.requests,
      errors: baseline.non2xx + scoped.non2xx + portal.non2xx + warmNon2xx,
      statuses: { baseline: baseline.statuses, scoped: scoped.statuses, portal: portal.statuses },
      per_phase_rps: {
        baseline: baseline.per_phase_rps.map((x) => round(x)),
        scoped: scoped.per_phase_rps.map((x) => round(x)),
        portal: portal.per_phase_rps.map((x) => round(x)),
      },
      phase_order: order,
      connections: conns.length,
      tenants: owners.length,
      members_per_tenant: MEMBERS + 1,
      ratio_pairs: pairRatios.map((x) => round(x, 3)),
      portal_ratio_pairs: portalPairRatios.map((x) => round(x, 3)),
      // Noisy: some A/B pair's ratio is >35 % off the median pair, or the machine was overloaded.
      noisy:
        pairRatios.some((x) => Math.abs(x / pairMedian - 1) > 0.35) || Math.max(loadBefore[0], os.loadavg()[0]) > 1.5 * os.cpus().length,
      ratio_pairs_median: round(pairMedian, 3),
      // Median over the phases of workerd CPU ms per request; runtime = the Worker's process (one thread).
      cpu_ms_per_request: cpuMs,
      cpu_ratio: round(cpuMs.baseline.runtime / cpuMs.scoped.runtime, 3),
      portal_cpu_ratio: round(cpuMs.baseline.runtime / cpuMs.portal.runtime, 3),
      profiled: PROFILE,
      duration_s: { baseline: round(baseline.elapsed_s, 1), scoped: round(scoped.elapsed_s, 1), portal: round(portal.elapsed_s, 1) },
      phase_s: {
        baseline: round(plan.baseline.windowMs / 1000, 2),
        scoped: round(plan.scoped.windowMs / 1000, 2),
        portal: round(plan.portal.windowMs / 1000, 2),
      },
      ramp_s: {
        baseline: round(plan.baseline.rampMs / 1000, 2),
        scoped: round(plan.scoped.rampMs / 1000, 2),
        portal: round(plan.portal.rampMs / 1000, 2),
      },
      warmup_s: WARMUP_S,
      client_rate_cap_rps: Number.isFinite(capRps) ? capRps : null,
      max_rps_per_ip: MAX_RPS_PER_IP || null,
      targets: {
        baseline: "GET /api/health",
        scoped: "GET /api/v1/members (Bearer + X-Tenant-ID)",
        portal: "GET /public/v1/portal/<slug>/home (end-user Bearer)",
      },
      stack: "local: wrangler dev → workerd (miniflare D1/SQLite, local rate-limit bindings)",
      source: { rev: stack.source.rev, commit: stack.source.commit, dirty: stack.source.dirty },
      machine: {
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model ?? null,
        loadavg_before: loadBefore.map((x) => round(x, 2)),
        loadavg_after: os.loadavg().map((x) => round(x, 2)),
        node: process.version,
        wrangler: versionOf("wrangler"),
        workerd: versionOf("wrangler/node_modules/workerd", "workerd"),
        platform: `${os.platform()} ${os.release()}`,
      },
      timestamp: new Date().toISOString(),
    };

    const problems = [];
    if (result.errors > 0)
      problems.push(
        `${result.errors} non-2xx/failed responses (statuses ${JSON.stringify(result.statuses)}; samples ${JSON.stringify([...baseline.sample_errors, ...scoped.sample_errors, ...portal.sample_errors].slice(0, 3))})`,
      );
    for (const [name, s] of [
      ["baseline", baseline],
      ["scoped", scoped],
      ["portal", portal],
    ]) {
      if (s.max_drain_ms > 10_000)
        problems.push(
          `${name}: requests in flight at the end of a phase took ${fmt(s.max_drain_ms / 1000)} s to finish — the server stalled (worker reload? machine overloaded?)`,
        );
      if (s.rps > 0.9 * capRps)
        problems.push(
          `${name} ran at ${fmt(s.rps)} req/s, ≥90% of the client pacing cap ${capRps} req/s (${MAX_RPS_PER_IP}/s per IP × ${conns.length}): the rate limits, not the server, set this figure`,
        );
    }

    console.log(`\n${markdown(result)}\n`);
    mkdirSync(dirname(OUT), { recursive: true });
    if (problems.length) {
      writeFileSync(`${OUT}.failed.tmp`, `${JSON.stringify({ ...result, problems }, null, 2)}\n`);
      throw new Error(`run INVALID — results not written (see ${relative(ROOT, OUT)}.failed.tmp):\n - ${problems.join("\n - ")}`);
    }
    writeFileSync(`${OUT}.json`, `${JSON.stringify(result, null, 2)}\n`);
    writeWithNotes(`${OUT}.md`, markdown(result), "api");
    log(`wrote ${relative(ROOT, OUT)}.json and .md`);
  } catch (e) {
    try {
      console.error(
        `--- last lines of the wrangler dev log ---\n${readFileSync(stack.logFile, "utf8").split("\n").slice(-40).join("\n")}\n---`,
      );
    } catch {}
    throw e;
  } finally {
    for (const c of conns) closeConnection(c);
    await stack.stop();
    log("stack stopped");
  }
}

const round = (n, d = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null);

function markdown(r) {
  return [
    `# API throughput: tenant-scoped route and end-user (portal) read vs baseline`,
    ``,
    `${r.connections} keep-alive connections (one client IP, user and tenant each; ${r.tenants} tenants × ${r.members_per_tenant} members), ` +
      `phases in order ${r.phase_order.map((p) => (p === "baseline" ? "A" : p === "scoped" ? "B" : "C")).join("")} after a ${r.warmup_s} s warm-up per target, each an uncounted ramp then a counted window ` +
      `(A ${r.ramp_s.baseline} + ${r.phase_s.baseline} s, B ${r.ramp_s.scoped} + ${r.phase_s.scoped} s, C ${r.ramp_s.portal} + ${r.phase_s.portal} s); counted ${r.duration_s.baseline} s (A), ${r.duration_s.scoped} s (B) and ${r.duration_s.portal} s (C). Local stack (wrangler dev → workerd, local D1), ${r.machine.cpus} CPUs shared, ${r.timestamp}, ` +
      `source ${r.source.rev === "working-tree" ? `working tree at ${r.source.commit?.slice(0, 10)}${r.source.dirty ? " with uncommitted changes" : ""}` : `${r.source.rev} (${r.source.commit?.slice(0, 10)})`}.`,
    ``,
    `| target | requests/s | p50 ms | p99 ms | requests | non-2xx |`,
    `|---|---:|---:|---:|---:|---:|`,
    `| A baseline \`GET /api/health\` | ${fmt(r.baseline_rps)} | ${fmt(r.baseline_p50_ms, 2)} | ${fmt(r.baseline_p99_ms, 2)} | ${r.baseline_requests} | ${Object.entries(
      r.statuses.baseline,
    )
      .filter(([k]) => k < 200 || k >= 300)
      .reduce((a, [, v]) => a + v, 0)} |`,
    `| B scoped \`GET /api/v1/members\` | ${fmt(r.scoped_rps)} | ${fmt(r.scoped_p50_ms, 2)} | ${fmt(r.scoped_p99_ms, 2)} | ${r.scoped_requests} | ${Object.entries(
      r.statuses.scoped,
    )
      .filter(([k]) => k < 200 || k >= 300)
      .reduce((a, [, v]) => a + v, 0)} |`,
    `| C portal \`GET /public/v1/portal/<slug>/home\` (end user) | ${fmt(r.portal_rps)} | ${fmt(r.portal_p50_ms, 2)} | ${fmt(r.portal_p99_ms, 2)} | ${r.portal_requests} | ${Object.entries(
      r.statuses.portal,
    )
      .filter(([k]) => k < 200 || k >= 300)
      .reduce((a, [, v]) => a + v, 0)} |`,
    ``,
    `| figure | value |`,
    `|---|---:|`,
    `| baseline_rps | ${fmt(r.baseline_rps)} |`,
    `| scoped_rps | ${fmt(r.scoped_rps)} |`,
    `| **ratio** (scoped / baseline) | **${fmt(r.ratio, 3)}** |`,
    `| scoped_p99_ms | ${fmt(r.scoped_p99_ms, 2)} |`,
    `| portal_rps | ${fmt(r.portal_rps)} |`,
    `| **portal_ratio** (portal / baseline; goal ≥ 0.5) | **${fmt(r.portal_ratio, 3)}** |`,
    `| portal_p99_ms | ${fmt(r.portal_p99_ms, 2)} |`,
    ``,
    `Workerd CPU per request (median over the phases; runtime = the Worker's process, where the Worker, D1, the rate limiters and the objects share one thread; proxy = wrangler's dev proxy in front): ` +
      `baseline ${fmt(r.cpu_ms_per_request.baseline.runtime, 2)} + ${fmt(r.cpu_ms_per_request.baseline.proxy, 2)} ms, ` +
      `scoped ${fmt(r.cpu_ms_per_request.scoped.runtime, 2)} + ${fmt(r.cpu_ms_per_request.scoped.proxy, 2)} ms, ` +
      `portal ${fmt(r.cpu_ms_per_request.portal.runtime, 2)} + ${fmt(r.cpu_ms_per_request.portal.proxy, 2)} ms; ` +
      `runtime CPU ratio baseline/scoped ${fmt(r.cpu_ratio, 3)}, baseline/portal ${fmt(r.portal_cpu_ratio, 3)}.` +
      (r.profiled ? ` **Profiled run** (BENCH_PROFILE): the figures include the profiler's overhead.` : ""),
    ``,
    `Per-phase req/s — baseline: ${r.per_phase_rps.baseline.join(", ")}; scoped: ${r.per_phase_rps.scoped.join(", ")}; portal: ${r.per_phase_rps.portal.join(", ")}. ` +
      `Ratio of each B to the A beside it: ${r.ratio_pairs.join(", ")} (median ${fmt(r.ratio_pairs_median, 3)}); of each C: ${r.portal_ratio_pairs.join(", ")}. ` +
      `Load average before/after: ${r.machine.loadavg_before.join(" ")} / ${r.machine.loadavg_after.join(" ")}.`,
    ...(r.noisy
      ? [
          ``,
          `**Noisy run**: 1-minute load average ${r.machine.loadavg_before[0]} → ${r.machine.loadavg_after[0]} on ${r.machine.cpus} CPUs and/or A/B pair ratios more than 35 % apart; repeat before drawing conclusions.`,
        ]
      : []),
    `Absolute numbers are for local workerd on a shared machine, not production; compare the ratio.`,
  ].join("\n");
}

await main().catch((e) => {
  console.error(`[bench:api] FAILED: ${e?.stack ?? e}`);
  process.exitCode = 1;
});
