// The dev server (vite + @cloudflare/vite-plugin → Miniflare's undici Pool → workerd) must hand every
// Worker-path request to the Worker: 1,050 keep-alive requests of every method, with and without
// small / ~100 KB bodies, answered 200/400/401/404/429 (+ webhooks and public paths), and not one
// may come back from Vite instead (its 500 HTML error page after `fetch failed`). No browser needed.
//
// The trigger was the Worker answering before reading a request body (401 before auth, 404, 429):
// workerd then dropped that keep-alive connection while the Pool was reusing it, so the *next*
// request on it failed. See workers/platform/request-body.ts.
import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";

// E2E_DEV_URL: the runner's `vite dev` (the other specs may run against a preview build).
const BASE = new URL(process.env.E2E_DEV_URL ?? process.env.E2E_BASE_URL ?? "http://127.0.0.1:8787");
const CONCURRENCY = 12;
const SMALL = JSON.stringify({ email: "nobody@example.com", role: "member", name: "x" });
const BIG = JSON.stringify({ question: "q?", answer: "a".repeat(100 * 1024) }); // ~100 KB
const NOT_JSON = `{"email": ${"9".repeat(100 * 1024)}`; // ~100 KB, unparseable → 400 after reading it
// Well-formed credentials of nobody: 401 ten times, then RL_AUTH's per-account budget answers 429.
const LOGIN = JSON.stringify({ email: `proxy-${Date.now().toString(36)}@example.com`, password: "not-the-password" });

// [method, path, body | null, expected statuses when not rate limited]
const CASES = [
  ["GET", "/api/health", null, [200]],
  ["GET", "/api/health/ready", null, [200]],
  ["GET", "/api/v1/no-such-route", null, [404]],
  ["GET", "/api/v1/members", null, [401]],
  ["POST", "/api/v1/knowledge/sources/faq", SMALL, [401]], // answered before the body is read
  ["POST", "/api/v1/knowledge/sources/faq", BIG, [401]],
  ["POST", "/api/v1/no-such-route", SMALL, [404]],
  ["POST", "/api/v1/no-such-route", BIG, [404]],
  ["POST", "/api/v1/auth/login", SMALL, [400]], // body read, fails validation
  ["POST", "/api/v1/auth/login", NOT_JSON, [400]],
  ["POST", "/api/v1/auth/login", LOGIN, [401]],
  ["PUT", "/api/v1/ai/settings", SMALL, [401]],
  ["PUT", "/api/v1/ai/settings", BIG, [401]],
  ["PATCH", "/api/v1/members/usr_01jd0000000000000000000000", SMALL, [401]],
  ["PATCH", "/api/v1/tenant", BIG, [401]],
  ["DELETE", "/api/v1/api-keys/key_01jd0000000000000000000000", null, [401]],
  ["DELETE", "/api/v1/members/usr_01jd0000000000000000000000", SMALL, [401]],
  ["POST", "/webhooks/stripe", SMALL, [400, 503]],
  ["POST", "/webhooks/stripe", BIG, [400, 503]],
  ["POST", "/public/v1/chat/visitors", SMALL, [400, 401, 403]],
  ["GET", "/public/v1/no-such-route", null, [404]],
];

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(c, ip) {
  const [method, path, body] = c;
  return new Promise((resolve) => {
    const headers = { "CF-Connecting-IP": ip, Accept: "application/json" };
    if (body !== null) Object.assign(headers, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    const req = http.request({ host: BASE.hostname, port: BASE.port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ c, method, path, status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }),
      );
      res.on("error", (e) => resolve({ c, method, path, status: 0, headers: {}, text: String(e) }));
    });
    req.on("error", (e) => resolve({ c, method, path, status: 0, headers: {}, text: String(e) }));
    req.end(body ?? undefined);
  });
}

/** Runs `jobs` (functions returning promises) CONCURRENCY at a time over the keep-alive agent. */
async function pool(jobs) {
  const out = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) out.push(await jobs[next++]());
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

/** Why a response did not come from the Worker (null if it did). */
function notFromWorker(r) {
  const type = r.headers["content-type"] ?? "";
  if (r.status === 0) return `no response: ${r.text}`;
  if (!r.headers["x-request-id"]) return `no X-Request-ID (status ${r.status}, ${type || "no content type"})`;
  if (/text\/html/.test(type) || /<!DOCTYPE|Internal server error|fetch failed/i.test(r.text))
    return `HTML/stack trace (status ${r.status})`;
  if (!/^application\/(problem\+)?json/.test(type)) return `content type ${type}`;
  return null;
}

test("every request to a Worker path is answered by the Worker, never by Vite's error page", async (t) => {
  // Run-unique client IPs, so the spec's RL_IP budgets never touch the browser specs' (127.0.x.y).
  const net = `10.${50 + Math.floor(Math.random() * 150)}`;
  const jobs = [];
  for (let i = 0; i < 1050; i++) {
    // Consecutive requests differ in route, method and body, so each keep-alive socket mixes them all.
    jobs.push(() => send(CASES[i % CASES.length], `${net}.${i % 64}.${1 + Math.floor(i / 64)}`));
  }
  const results = await pool(jobs);
  agent.destroy();

  const bad = results.map((r) => [r, notFromWorker(r)]).filter(([, why]) => why);
  const byStatus = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const summary = `${results.length} requests, by status ${JSON.stringify(byStatus)}`;
  t.diagnostic(`${summary}; ${bad.length} not from the Worker`);
  assert.equal(
    bad.length,
    0,
    `${bad.length} responses did not come from the Worker (${summary}); first: ${bad
      .slice(0, 5)
      .map(([r, why]) => `${r.method} ${r.path} → ${why}`)
      .join("; ")}`,
  );

  // Each route answered what it should (or 429 once a budget on /api/* is spent).
  const wrong = results.filter((r) => !r.c[3].includes(r.status) && !(r.status === 429 && r.path.startsWith("/api/")));
  assert.deepEqual(
    wrong.slice(0, 5).map((r) => `${r.method} ${r.path} → ${r.status} ${r.text.slice(0, 200)}`),
    [],
  );
  for (const s of [200, 400, 401, 404, 429]) assert.ok(byStatus[s] > 0, `no ${s} among ${summary}`);
});
