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
    const req = http.request(
      { host: conn.host, port: conn.port, path, method: "GET", agent: conn.agent, headers },
      (res) => {
        const chunks = keepBody ? [] : null;
        res.on("data", (c) => { if (chunks) chunks.push(c); });
        res.on("end", () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          resolve({ status: res.statusCode ?? 0, ms, body: chunks ? Buffer.concat(chunks).toString("utf8") : undefined });
        });
        res.on("error", (e) => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6, error: e.message }));
      },
    );
    req.on("error", (e) => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6, error: e.message }));
    // A request that hangs is a failed request (status 0), not a silently stretched phase.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no response within ${REQUEST_TIMEOUT_MS} ms`)));
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs every connection in a closed loop on its target `name` for `durationMs`.
 * Throughput counts the responses completed within the window (like autocannon); requests still
 * in flight at the deadline are awaited (drained, so the next phase starts on an idle server) and
 * their latency is recorded, but they do not count towards requests/s.
 * Returns latencies (ms, Float64Array), status counts, count (completed in window), elapsedMs (the
 * window), and pacedMs: time spent waiting on the pacer — if large, the pacer set the rate.
 */
export async function runPhase(conns, name, durationMs) {
  const lat = [];
  const statuses = {};
  const errors = [];
  let pacedMs = 0;
  let inWindow = 0;
  const start = performance.now();
  const deadline = start + durationMs;
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
        lat.push(r.ms);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status < 200 || r.status >= 300) { if (errors.length < 5) errors.push({ status: r.status, path, error: r.error }); }
        if (performance.now() <= deadline) inWindow++;
      }
    }),
  );
  return { latencies: Float64Array.from(lat), statuses, errors, count: inWindow, total: lat.length, elapsedMs: durationMs, drainMs: performance.now() - deadline, pacedMs };
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
  const all = new Float64Array(phases.reduce((n, p) => n + p.latencies.length, 0));
  let o = 0;
  for (const p of phases) { all.set(p.latencies, o); o += p.latencies.length; }
  all.sort();
  const elapsedMs = phases.reduce((n, p) => n + p.elapsedMs, 0);
  const statuses = {};
  for (const p of phases) for (const [k, v] of Object.entries(p.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const non2xx = Object.entries(statuses).filter(([k]) => !(Number(k) >= 200 && Number(k) < 300)).reduce((n, [, v]) => n + v, 0);
  return {
    requests: total,
    rps: (total / elapsedMs) * 1000,
    p50_ms: percentile(all, 50),
    p99_ms: percentile(all, 99),
    mean_ms: all.length ? all.reduce((a, b) => a + b, 0) / all.length : NaN,
    latency_samples: all.length,
    elapsed_s: elapsedMs / 1000,
    non2xx,
    statuses,
    per_phase_rps: phases.map((p) => (p.count / p.elapsedMs) * 1000),
    paced_ms: phases.reduce((n, p) => n + p.pacedMs, 0),
    max_drain_ms: Math.max(...phases.map((p) => p.drainMs)),
    sample_errors: phases.flatMap((p) => p.errors).slice(0, 5),
  };
}
