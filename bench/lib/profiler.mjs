// CPU profiles of the local stack's Worker isolate (the Worker and its Durable Objects share it)
// through workerd's V8 inspector, behind wrangler dev's inspector port (lib/stack.mjs).
//   const prof = await attachProfiler(stack); await prof.start(); …load…; const r = await prof.stop("name");
// r.text lists the functions with the most self and inclusive time; r.file is the .cpuprofile (open it
// in Chrome DevTools → Performance) under bench/results/profiles/ (not committed).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
// Node's built-in WebSocket is refused by wrangler's inspector proxy; `ws` (miniflare's own client,
// installed with wrangler) is accepted.
import WebSocket from "ws";
import { ROOT } from "./stack.mjs";

const TOP = Number(process.env.PROFILE_TOP ?? 25);
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
export function summarise(profile, sources = new Map()) {
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

export async function attachProfiler(stack) {
  const cdp = await inspector(stack.inspectorPort);
  await cdp.send("Profiler.enable");
  await cdp.send("Debugger.enable").catch(() => {});
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  mkdirSync(OUT, { recursive: true });
  return {
    start: () => cdp.send("Profiler.start"),
    /** Stops the running profile; writes <name>.cpuprofile and returns its summary. */
    async stop(name) {
      const { profile } = await cdp.send("Profiler.stop");
      const file = join(OUT, `${name.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "")}.cpuprofile`);
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
      return { ...summarise(profile, sources), file };
    },
    close: () => cdp.close(),
  };
}

/**
 * CPU time of the stack's workerd processes (Linux /proc), to divide by the messages of a phase.
 * wrangler dev runs two: the proxy in front (its socket is the dev server's port) and the runtime
 * (the Worker, its Durable Objects, D1 and the rate limiters — other isolates the inspector's profile
 * does not see). Each does its work on one thread, so its CPU time is the thread's busy time.
 *   const cpu = processCpu(stack); const a = cpu.read(); …load…; cpu.since(a) → { proxy: ms, runtime: ms }
 */
export function processCpu(stack) {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const procs = () => {
    const out = {};
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      let stat, cmd;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        continue;
      }
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
      if (Number(f[2]) !== stack.pid || !cmd.includes("workerd")) continue; // f[2] = pgrp
      const role = cmd.includes(`127.0.0.1:${stack.port}`) ? "proxy" : "runtime";
      out[role] = (out[role] ?? 0) + (Number(f[11]) + Number(f[12])) * tick; // utime + stime
    }
    return out;
  };
  return {
    read: procs,
    since(before) {
      const now = procs();
      return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (before[k] ?? 0)]));
    },
  };
}
