// Starts a throwaway local Weft stack (wrangler dev on workerd) for benchmarks.
// Own temp dir (mkdtemp) holding a snapshot of the Worker source and the D1/DO state, migrations
// applied there, a free port, its own process group, and stop() that kills the whole group
// (wrangler + workerd) even when the bench fails.
//
// Why a snapshot: `wrangler dev` watches its sources and rebuilds + restarts the Worker on every
// change. In a shared checkout others edit workers/ while a bench runs; one reload stalls requests
// for many seconds (seen: a 70 s p99) or serves half-edited code. The bench therefore copies
// workers/, schema/ and the config into the temp dir (node_modules symlinked) and runs from there:
// the working tree as it was when the bench started, or a committed revision with BENCH_REV=<rev>.
import { execFileSync, spawn } from "node:child_process";
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "node_modules/.bin");

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const childEnv = () => ({
  ...process.env,
  // Node 24 from node_modules first (wrangler refuses the system Node 20).
  PATH: `${BIN}:${process.env.PATH ?? ""}`,
  CI: "true",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_LOG_SANITIZE: "false",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
  // wrangler dev's local observability (on by default) tails the Worker into a trace collector that
  // stores every span — each D1 statement, limiter call, fetch and object call — in a SQLite object on
  // the runtime's thread, so it charges the code under test per span. Production tracing does not run
  // on the Worker's thread. BENCH_LOCAL_OBSERVABILITY=1 keeps it on (to compare).
  X_LOCAL_OBSERVABILITY: process.env.BENCH_LOCAL_OBSERVABILITY ? "true" : "false",
});

/**
 * @param {{ log?: (msg: string) => void, readyTimeoutMs?: number, logLevel?: string }} [opts]
 * @returns {Promise<{ url: string, port: number, persistDir: string, pid: number, logFile: string, source: { commit: string|null, dirty: boolean|null, label: string }, stop: () => Promise<void> }>}
 */
export async function startStack({ log = () => {}, readyTimeoutMs = 120_000, logLevel, rev = process.env.BENCH_REV || null } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), "weft-bench-"));
  const persistDir = join(tmp, "state");
  const appDir = join(tmp, "app");
  const logFile = join(tmp, "wrangler-dev.log");
  let child = null;
  let stopped = false;
  const helpers = new Set(); // short-lived children (migrations), killed too on signals

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      const t = await Promise.race([exited.then(() => "exit"), sleep(5000).then(() => "timeout")]);
      if (t === "timeout") {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
        await Promise.race([exited, sleep(2000)]);
      }
    }
    // workerd may outlive wrangler for a moment; sweep anything still in the group.
    try {
      process.kill(-child?.pid, "SIGKILL");
    } catch {}
    if (!process.env.BENCH_KEEP_STATE) rmSync(tmp, { recursive: true, force: true });
  };
  // Last-resort cleanup on signals / unexpected exits (synchronous kill only).
  const onExit = () => {
    if (stopped) return;
    stopped = true;
    if (child) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }
    for (const h of helpers) {
      try {
        h.kill("SIGKILL");
      } catch {}
    }
    if (!process.env.BENCH_KEEP_STATE) rmSync(tmp, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"])
    process.once(sig, () => {
      onExit();
      process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1));
    });

  try {
    const source = snapshot(appDir, rev);
    log(`snapshot of ${source.label} in ${appDir}`);
    const mig = await run(
      join(BIN, "wrangler"),
      ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir],
      Number(process.env.BENCH_MIGRATE_TIMEOUT_MS || 180_000), // a loaded shared machine needs longer for 40 migrations
      helpers,
      appDir,
    );
    if (mig.status !== 0) throw new Error(`D1 migrations failed (exit ${mig.status}):\n${mig.output}`);
    log("D1 migrations applied");

    const port = await freePort();
    const inspectorPort = await freePort();
    // wrangler.toml's [assets] has no `directory` (the Vite plugin supplies the SPA build); the
    // API bench needs no SPA, so point assets at an empty dir instead of building it.
    const assetsDir = join(tmp, "empty-assets");
    mkdirSync(assetsDir);
    const fd = openSync(logFile, "a");
    child = spawn(
      join(BIN, "wrangler"),
      [
        "dev",
        "--port",
        String(port),
        "--ip",
        "127.0.0.1",
        "--inspector-port",
        String(inspectorPort),
        "--persist-to",
        persistDir,
        "--assets",
        assetsDir,
        "--show-interactive-dev-session=false",
        "--live-reload=false",
        ...(logLevel ? ["--log-level", logLevel] : []),
      ],
      { cwd: appDir, env: childEnv(), stdio: ["ignore", fd, fd], detached: true },
    );
    closeSync(fd);
    const url = `http://127.0.0.1:${port}`;
    log(`wrangler dev pid ${child.pid} on ${url}`);

    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`wrangler dev exited early (${child.exitCode ?? child.signalCode}); log:\n${tail(logFile)}`);
      try {
        const r = await fetch(`${url}/api/health/ready`, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) break;
      } catch {}
      // wrangler dev keeps running after a build/config error (it waits for a fix): fail fast.
      const logText = readFileSync(logFile, "utf8");
      if (/\[ERROR\]/.test(logText))
        throw new Error(`wrangler dev reported an error (the snapshot of ${source.label} does not build or start); log:\n${tail(logFile)}`);
      if (Date.now() > deadline) throw new Error(`stack not ready after ${readyTimeoutMs} ms; log:\n${tail(logFile)}`);
      await sleep(250);
    }
    return { url, port, inspectorPort, persistDir, pid: child.pid, logFile, source, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Runs a command to completion (async, so signals still reach our handlers); output captured. */
function run(cmd, args, timeoutMs, track, cwd = ROOT) {
  return new Promise((res) => {
    const p = spawn(cmd, args, { cwd, env: childEnv(), stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL" });
    track.add(p);
    p.on("close", () => track.delete(p));
    let output = "";
    p.stdout.on("data", (d) => (output += d));
    p.stderr.on("data", (d) => (output += d));
    p.on("error", (e) => res({ status: -1, output: output + String(e) }));
    p.on("close", (status, signal) => res({ status: status ?? signal, output }));
  });
}

const SNAPSHOT_PATHS = ["wrangler.toml", "package.json", "tsconfig.json", "workers", "schema"];
const git = (...args) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** Copies the Worker's sources (working tree, or `rev` via git archive) into `dir`. */
function snapshot(dir, rev) {
  mkdirSync(dir, { recursive: true });
  let commit = null,
    dirty = null;
  if (rev) {
    commit = git("rev-parse", "--verify", `${rev}^{commit}`);
    const tar = execFileSync("git", ["archive", "--format=tar", commit, ...SNAPSHOT_PATHS], { cwd: ROOT, maxBuffer: 1 << 30 });
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
    dirty = false;
  } else {
    for (const p of SNAPSHOT_PATHS) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
    try {
      commit = git("rev-parse", "HEAD");
      dirty = git("status", "--porcelain", "--", ...SNAPSHOT_PATHS) !== "";
    } catch {}
  }
  if (existsSync(join(ROOT, ".dev.vars"))) cpSync(join(ROOT, ".dev.vars"), join(dir, ".dev.vars"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const label = rev
    ? `${rev} (${commit?.slice(0, 10)})`
    : `the working tree (HEAD ${commit?.slice(0, 10) ?? "?"}${dirty ? " + uncommitted changes" : ""})`;
  return { commit, dirty, label, rev: rev ?? "working-tree" };
}

function tail(file, n = 40) {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-n).join("\n");
  } catch {
    return "(no log)";
  }
}
