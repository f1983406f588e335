// Helpers shared by `npm start`, the seed script and the e2e runner: local config, D1 migrations,
// and the one dev server (vite + @cloudflare/vite-plugin → SPA and Worker on one port).
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const VITE = join(ROOT, "node_modules/vite/bin/vite.js");

/** Creates .dev.vars from .dev.vars.example with fresh random secrets, if it does not exist. */
export function ensureDevVars() {
  const target = join(ROOT, ".dev.vars");
  if (existsSync(target)) return false;
  copyFileSync(join(ROOT, ".dev.vars.example"), target);
  const text = readFileSync(target, "utf8")
    .replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${randomBytes(36).toString("base64url")}`)
    .replace(/^ENCRYPTION_KEY=.*$/m, `ENCRYPTION_KEY=${randomBytes(32).toString("base64")}`);
  writeFileSync(target, text, { mode: 0o600 });
  return true;
}

/** `--persist-to` arguments for wrangler: the same dir vite.config.ts uses (WEFT_STATE_DIR or .wrangler/state). */
export function persistArgs(stateDir = process.env.WEFT_STATE_DIR) {
  return stateDir ? ["--persist-to", stateDir] : [];
}

export function wrangler(args, { stateDir, quiet = false } = {}) {
  return execFileSync(process.execPath, [WRANGLER, ...args, ...persistArgs(stateDir)], {
    cwd: ROOT,
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    stdio: quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

const MIGRATIONS_DIR = join(ROOT, "schema/migrations");
// wrangler's own bookkeeping table and statement (wrangler d1 migrations apply): a later
// `wrangler d1 migrations apply DB --local` sees what this applied and skips it.
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "d1_migrations"(
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`;

/**
 * Applies schema/migrations to the local D1, idempotently. Same result as
 * `wrangler d1 migrations apply DB --local` (each migration's SQL, then its row in d1_migrations),
 * but in two wrangler calls instead of one per migration: 41 migrations took 36 s that way and
 * take ~7 s this way, on the e2e runner's and `npm start`'s critical path. If a migration fails,
 * the ones before it in the batch stay applied and recorded, as with wrangler.
 */
export function applyMigrations(opts = {}) {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  const listed = wrangler(
    ["d1", "execute", "DB", "--local", "--json", "--command", `${MIGRATIONS_TABLE}; SELECT name FROM "d1_migrations"`],
    {
      ...opts,
      quiet: true,
    },
  );
  const applied = new Set(
    JSON.parse(listed)
      .flatMap((r) => r.results ?? [])
      .map((r) => r.name),
  );
  const pending = files.filter((f) => !applied.has(f));
  if (!opts.quiet) console.log(pending.length ? `D1: applying ${pending.length} migration(s)` : "D1: migrations up to date");
  if (pending.length === 0) return;
  const sql = pending
    .map((f) => `${readFileSync(join(MIGRATIONS_DIR, f), "utf8")}\nINSERT INTO "d1_migrations" (name) values ('${f.replace(/'/g, "''")}');`)
    .join("\n");
  const dir = mkdtempSync(join(tmpdir(), "weft-migrate-"));
  try {
    writeFileSync(join(dir, "pending.sql"), sql);
    wrangler(["d1", "execute", "DB", "--local", "--file", join(dir, "pending.sql")], { ...opts, quiet: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Builds the SPA and the Worker into dist/ for `vite preview` (the e2e runner's stack). VITE_WEFT_LOCAL
 * keeps the local-only UI (dev mailbox links, demo banner) that a production build leaves out.
 */
export function buildLocalPreview({ quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, "build", "--logLevel", "warn"], {
      cwd: ROOT,
      env: { ...process.env, VITE_WEFT_LOCAL: "1", WEFT_FROZEN: "1" },
      stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with code ${code}`))));
  });
}

/**
 * Starts `vite dev` (SPA + Worker; `mode: "preview"` serves the last buildLocalPreview() instead:
 * the same Worker and bindings in workerd, the SPA as built chunks rather than hundreds of
 * on-the-fly modules); resolves once /api/health/ready answers.
 */
export async function startDevServer({
  port,
  stateDir,
  stdio = "inherit",
  host = "localhost",
  timeoutMs = 120_000,
  env: extraEnv = {},
  mode = "dev",
} = {}) {
  // Offline by design: don't let miniflare try to download the Request.cf fixture (it falls back anyway).
  const env = { CLOUDFLARE_CF_FETCH_ENABLED: "false", ...process.env, ...extraEnv, PORT: String(port), HOST: host };
  if (stateDir) env.WEFT_STATE_DIR = stateDir;
  const child = spawn(process.execPath, [VITE, mode === "preview" ? "preview" : "dev"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", stdio, stdio],
    detached: process.platform !== "win32",
  });
  const url = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;
  let exited = null;
  child.on("exit", (code) => (exited = code ?? 1));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`vite ${mode} exited with code ${exited} before it was ready`);
    try {
      const res = await fetch(`${url}/api/health/ready`);
      if (res.ok) {
        // Warm the SPA too, so the first page load does not pay for dependency optimisation.
        await fetch(`${url}/`).catch(() => {});
        return { child, url, stop: () => stopProcess(child) };
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  stopProcess(child);
  throw new Error(`vite ${mode} did not become ready on ${url} within ${timeoutMs / 1000}s`);
}

/** Stops a process we started (and its children: it leads its own process group). */
export function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        try {
          child.kill(sig);
        } catch {
          /* gone */
        }
      }
    };
    const t = setTimeout(() => kill("SIGKILL"), 5000);
    child.once("exit", () => (clearTimeout(t), resolve()));
    kill("SIGTERM");
  });
}
