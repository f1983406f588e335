// `node bench/profile.mjs [path …]`: a CPU profile of the Worker while it serves one route.
//
// Starts the same throwaway stack as the benches (lib/stack.mjs: wrangler dev → workerd), signs up
// one workspace, attaches to workerd's V8 inspector (Chrome DevTools Protocol over wrangler's
// inspector port), records a sampling profile while C keep-alive clients request each path for
// PROFILE_S seconds, and prints the functions with the most self time and the heaviest call paths.
// The .cpuprofile lands in bench/results/profiles/ (open it in Chrome DevTools → Performance).
//
// Knobs: PROFILE_S=8 PROFILE_CONNECTIONS=8 PROFILE_TOP=25; paths default to /api/health and
// /api/v1/members (the api bench's baseline and scoped target).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
// Node's built-in WebSocket is refused by wrangler's inspector proxy; `ws` (miniflare's own client,
// installed with wrangler) is accepted.
import WebSocket from "ws";
import { ROOT, startStack } from "./lib/stack.mjs";

const SECONDS = Number(process.env.PROFILE_S ?? 8);
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 8);
const TOP = Number(process.env.PROFILE_TOP ?? 25);
const paths = process.argv.slice(2).length ? process.argv.slice(2) : ["/api/health", "/api/v1/members"];
const OUT = join(ROOT, "bench/results/profiles");

/** Minimal CDP client over the inspector WebSocket. */
async function inspector(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl) ?? targets[0];
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((res, rej) => {
    ws.once("open", res);
    ws.once("error", rej);
  });
  let id = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id && pending.has(msg.id)) {
      const { res, rej } = pending.get(msg.id);
      pending.delete(msg.id);
      msg.error ? rej(new Error(JSON.stringify(msg.error))) : res(msg.result);
    }
  });
  const send = (method, params = {}) =>
    new Promise((res, rej) => {
      const n = ++id;
      pending.set(n, { res, rej });
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  return { send, close: () => ws.close() };
}

/** Self time per function and total time per call path, from a V8 .cpuprofile. */
function summarise(profile, sources = new Map()) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = profile.timeDeltas ?? [];
  const selfUs = new Map();
  for (const [i, s] of profile.samples.entries()) selfUs.set(s, (selfUs.get(s) ?? 0) + (dt[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const label = (n) => {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^.*\/(node_modules\/|workers\/|schema\/)/, "$1") : "";
    // Bundled frames (index.js) get the start of their source line, which names the code.
    const src = sources.get(f.scriptId)?.[f.lineNumber]?.trim().slice(0, 90);
    return `${f.functionName || "(anonymous)"} ${file ? `${file}:${f.lineNumber + 1}` : ""}${src && /index\.js$/.test(file) ? `  ‹${src}›` : ""}`.trim();
  };
  const self = new Map();
  const incl = new Map(); // inclusive time per function label (counted once per sample stack)
  for (const [nodeId, us] of selfUs) {
    const n = byId.get(nodeId);
    self.set(label(n), (self.get(label(n)) ?? 0) + us);
    const seen = new Set();
    for (let p = nodeId; p !== undefined; p = parent.get(p)) {
      const l = label(byId.get(p));
      if (seen.has(l)) continue;
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + us);
    }
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const top = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([l, us]) => `  ${pct(us)}  ${l}`)
      .join("\n");
  return { total, text: `self time:\n${top(self)}\n\ninclusive time:\n${top(incl)}` };
}

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
    const cdp = await inspector(stack.inspectorPort);
    await cdp.send("Profiler.enable");
    await cdp.send("Debugger.enable").catch(() => {});
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    mkdirSync(OUT, { recursive: true });
    for (const path of paths) {
      let n = 0,
        bad = 0,
        k = 0;
      // Distinct client IPs keep RL_IP (600 / 10 s per IP) out of the picture.
      const hit = async (i) => {
        const res = await fetch(stack.url + path, { headers: { ...headers, "CF-Connecting-IP": `10.9.${1 + i}.${1 + (k++ % 250)}` } });
        await res.arrayBuffer();
        n++;
        if (res.status >= 300) bad++;
      };
      const until = Date.now() + 1000;
      while (Date.now() < until) await hit(0); // warm-up
      await cdp.send("Profiler.start");
      const started = Date.now();
      const end = started + SECONDS * 1000;
      n = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, i) => {
          while (Date.now() < end) await hit(i);
        }),
      );
      const { profile } = await cdp.send("Profiler.stop");
      const secs = (Date.now() - started) / 1000;
      const file = join(OUT, `${path.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "")}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      const sources = new Map();
      for (const id of new Set(profile.nodes.map((n) => n.callFrame.scriptId)))
        if (id && id !== "0")
          sources.set(
            id,
            await cdp
              .send("Debugger.getScriptSource", { scriptId: id })
              .then((r) => r.scriptSource.split("\n"))
              .catch(() => []),
          );
      const s = summarise(profile, sources);
      console.log(
        `\n== ${path}: ${n} requests in ${secs.toFixed(1)} s (${(n / secs).toFixed(1)}/s, ${bad} non-2xx); worker CPU sampled ${(s.total / 1000).toFixed(0)} ms = ${(s.total / 1000 / Math.max(n, 1)).toFixed(2)} ms/request\n${s.text}\n(${file})`,
      );
      await sleep(200);
    }
    cdp.close();
  } finally {
    await stack.stop();
  }
}

await main();
