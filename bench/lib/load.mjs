// A small closed-loop HTTP load generator: one keep-alive socket per connection, per-request
// latency, and an optional per-connection pacer so a connection (= one client IP) never exceeds
// a request rate (the local stack enforces wrangler.toml's rate limits per IP and per tenant).
import http from "node:http";

/**
 * A connection: its own http.Agent with exactly one keep-alive socket, fixed headers.
 * @param {{ url: string, headers?: Record<string,string>, minIntervalMs?: number }} o
 */
export function makeConnection({ url, headers = {}, minIntervalMs = 0, targets = {} }) {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, keepAliveMsecs: 10_000 });
  // targets: name -> { path, headers } (merged over the connection's headers, prebuilt once).
  const built = Object.fromEntries(Object.entries(targets).map(([k, t]) => [k, { path: t.path, headers: { ...headers, ...t.headers } }]));
  return { host: u.hostname, port: Number(u.port), agent, baseHeaders: headers, targets: built, minIntervalMs, nextAllowedAt: 0 };
}

export function closeConnection(conn) {
  conn.agent.destroy();
}

export const REQUEST_TIMEOUT_MS = 20_000;

/** One request on a connection; resolves { status, ms, body? } (never rejects: errors are status 0). */
function request(conn, path, { keepBody = false, headers = conn.baseHeaders } = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: conn.host, port: conn.port, path, method: "GET", agent: conn.agent, headers }, (res) => {
      const chunks = keepBody ? [] : null;
      res.on("data", (c) => {
        if (chunks) chunks.push(c);
      });
      res.on("end", () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        resolve({ status: res.statusCode ?? 0, ms, body: chunks ? Buffer.concat(chunks).toString("utf8") : undefined });
      });
      res.on("error", (e) => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6, error: e.message }));
    });
    req.on("error", (e) => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6, error: e.message }));
    // A request that hangs is a failed request (status 0), not a silently stretched phase.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no response within ${REQUEST_TIMEOUT_MS} ms`)));
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs every connection in a closed loop on its target `name`: `rampMs` to reach steady state (not
 * counted), then a counting window of `durationMs`. Requests/s and latencies come from responses
 * that complete inside the window (like autocannon, minus the cold start: a phase begins on an idle
 * server because the previous one was drained). Requests still in flight at the end are awaited, so
 * the next phase starts clean; their status still counts (an error is an error), their latency not.
 * Returns latencies (ms, Float64Array), status counts (all responses), count (completed in the
 * window), elapsedMs (= the window), drainMs, and pacedMs: time spent waiting on the pacer — if
 * large, the pacer (rate limits), not the server, set the rate.
 */
export async function runPhase(conns, name, durationMs, rampMs = 0) {
  const lat = [];
  const every = []; // latency of every response, in the window or not (to size later phases)
  const statuses = {};
  const errors = [];
  let pacedMs = 0;
  const start = performance.now();
  const windowStart = start + rampMs;
  const deadline = windowStart + durationMs;
  await Promise.all(
    conns.map(async (conn) => {
      const { path, headers } = conn.targets[name];
      for (;;) {
        let now = performance.now();
        if (conn.minIntervalMs > 0 && now < conn.nextAllowedAt) {
          const wait = conn.nextAllowedAt - now;
          if (now + wait >= deadline) break;
          pacedMs += wait;
          await sleep(wait);
          now = performance.now();
        }
        if (now >= deadline) break;
        conn.nextAllowedAt = now + conn.minIntervalMs;
        const r = await request(conn, path, { headers });
        const end = performance.now();
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status < 200 || r.status >= 300) {
          if (errors.length < 5) errors.push({ status: r.status, path, error: r.error });
        }
        every.push(r.ms);
        if (end >= windowStart && end <= deadline) lat.push(r.ms);
      }
    }),
  );
  const all = Float64Array.from(every).sort();
  return {
    latencies: Float64Array.from(lat),
    statuses,
    errors,
    count: lat.length,
    elapsedMs: durationMs,
    rampMs,
    drainMs: performance.now() - deadline,
    pacedMs,
    allP50: percentile(all, 50),
    allP90: percentile(all, 90),
  };
}

/** One request on a connection with its body (for checks before measuring). */
export const probe = (conn, name) => request(conn, conn.targets[name].path, { keepBody: true, headers: conn.targets[name].headers });

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Merges phases of the same target into one summary. */
export function summarize(phases) {
  const total = phases.reduce((n, p) => n + p.count, 0);
  const all = new Float64Array(total);
  let o = 0;
  for (const p of phases) {
    all.set(p.latencies, o);
    o += p.latencies.length;
  }
  all.sort();
  const elapsedMs = phases.reduce((n, p) => n + p.elapsedMs, 0);
  const statuses = {};
  for (const p of phases) for (const [k, v] of Object.entries(p.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const non2xx = Object.entries(statuses)
    .filter(([k]) => !(Number(k) >= 200 && Number(k) < 300))
    .reduce((n, [, v]) => n + v, 0);
  return {
    requests: total,
    rps: (total / elapsedMs) * 1000,
    p50_ms: percentile(all, 50),
    p99_ms: percentile(all, 99),
    mean_ms: total ? all.reduce((a, b) => a + b, 0) / total : NaN,
    elapsed_s: elapsedMs / 1000,
    non2xx,
    statuses,
    per_phase_rps: phases.map((p) => (p.count / p.elapsedMs) * 1000),
    paced_ms: phases.reduce((n, p) => n + p.pacedMs, 0),
    max_drain_ms: Math.max(...phases.map((p) => p.drainMs)),
    sample_errors: phases.flatMap((p) => p.errors).slice(0, 5),
  };
}
