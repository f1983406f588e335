// `node bench/profile.mjs [path …]`: a CPU profile of the Worker while it serves one route.
//
// Starts the same throwaway stack as the benches (lib/stack.mjs: wrangler dev → workerd), signs up
// one workspace, attaches to workerd's V8 inspector (lib/profiler.mjs), records a sampling profile
// while C keep-alive clients request each path for PROFILE_S seconds, and prints the functions with
// the most self time and inclusive time. (`BENCH_PROFILE=1 npm run bench -- chat` profiles the chat
// bench's phases the same way.)
//
// Knobs: PROFILE_S=8 PROFILE_CONNECTIONS=8 PROFILE_TOP=25; paths default to /api/health and
// /api/v1/members (the api bench's baseline and scoped target).
import { setTimeout as sleep } from "node:timers/promises";
import { attachProfiler } from "./lib/profiler.mjs";
import { startStack } from "./lib/stack.mjs";

const SECONDS = Number(process.env.PROFILE_S ?? 8);
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 8);
const paths = process.argv.slice(2).length ? process.argv.slice(2) : ["/api/health", "/api/v1/members"];

async function main() {
  const stack = await startStack({ log: (m) => console.log(`[profile] ${m}`), logLevel: "warn" });
  try {
    const ip = "10.9.0.1";
    const r = await fetch(`${stack.url}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
      body: JSON.stringify({
        email: `p${Date.now()}@bench.weft.test`,
        password: "bench-password-0123456789",
        name: "P",
        workspace_name: "Profile",
      }),
    });
    const j = await r.json();
    if (r.status !== 201) throw new Error(`signup: ${r.status} ${JSON.stringify(j)}`);
    const headers = { Authorization: `Bearer ${j.access_token}`, "X-Tenant-ID": j.tenant.id };
    const prof = await attachProfiler(stack);
    for (const path of paths) {
      let n = 0;
      let bad = 0;
      let k = 0;
      // Distinct client IPs keep RL_IP (600 / 10 s per IP) out of the picture.
      const hit = async (i) => {
        const res = await fetch(stack.url + path, { headers: { ...headers, "CF-Connecting-IP": `10.9.${1 + i}.${1 + (k++ % 250)}` } });
        await res.arrayBuffer();
        n++;
        if (res.status >= 300) bad++;
      };
      const until = Date.now() + 1000;
      while (Date.now() < until) await hit(0); // warm-up
      await prof.start();
      const started = Date.now();
      const end = started + SECONDS * 1000;
      n = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, i) => {
          while (Date.now() < end) await hit(i);
        }),
      );
      const s = await prof.stop(path);
      const secs = (Date.now() - started) / 1000;
      console.log(
        `\n== ${path}: ${n} requests in ${secs.toFixed(1)} s (${(n / secs).toFixed(1)}/s, ${bad} non-2xx); worker CPU sampled ${(s.total / 1000).toFixed(0)} ms = ${(s.total / 1000 / Math.max(n, 1)).toFixed(2)} ms/request\n${s.text}\n(${s.file})`,
      );
      await sleep(200);
    }
    prof.close();
  } finally {
    await stack.stop();
  }
}

await main();
