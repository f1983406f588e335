// `npm run test:e2e`: browser tests in real Chromium against a throwaway local stack.
// Fresh state dir → D1 migrations → `vite dev` (SPA + Worker) on a free port → node --test specs → stop.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, freePort, ROOT, startDevServer, stopProcess } from "../scripts/local.mjs";

const ARTIFACTS = join(ROOT, "e2e/artifacts");
mkdirSync(ARTIFACTS, { recursive: true });
const stateDir = mkdtempSync(join(tmpdir(), "weft-e2e-"));
const only = process.argv.slice(2);
let server;
let stopping = false;
let code = 1;

const cleanup = async () => {
  stopping = true;
  if (server) await stopProcess(server.child);
  if (!process.env.E2E_KEEP_STATE) rmSync(stateDir, { recursive: true, force: true });
};
process.on("SIGINT", async () => (await cleanup(), process.exit(130)));
process.on("SIGTERM", async () => (await cleanup(), process.exit(143)));

try {
  console.log(`e2e: state in ${stateDir}`);
  applyMigrations({ stateDir, quiet: true });
  const port = await freePort();
  const log = createWriteStream(join(ARTIFACTS, "server.log"));
  server = await startDevServer({ port, stateDir, stdio: "pipe", host: "127.0.0.1", env: { WEFT_FROZEN: "1" } });
  server.child.stdout.pipe(log);
  server.child.stderr.pipe(log);
  server.child.on("exit", (code, signal) => {
    if (!stopping) console.error(`e2e: the dev server exited unexpectedly (code ${code}, signal ${signal}); see e2e/artifacts/server.log`);
  });
  console.log(`e2e: dev server at ${server.url}`);

  const specs = readdirSync(join(ROOT, "e2e/specs"))
    .filter((f) => f.endsWith(".test.mjs"))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o.split("/").pop())))
    .sort()
    .map((f) => join("e2e/specs", f));
  // With no files, `node --test` would discover and run every test file in the repo instead.
  if (specs.length === 0) throw new Error(`e2e: no spec in e2e/specs matches ${only.join(", ")}`);
  // Specs run side by side against the one stack (each makes its own workspace and client IPs);
  // two at a time (three made the team spec flaky: login 429s and timeouts when it overlapped the busiest specs). A spec that
  // writes the stack's D1 file from outside the Worker (demo-seed: `wrangler d1 execute`) runs on its
  // own first: a second SQLite writer makes the dev server's queries fail with SQLITE_BUSY (seen as
  // 500s in the chat spec when they overlapped).
  const EXCLUSIVE = ["demo-seed.test.mjs"];
  const alone = specs.filter((f) => EXCLUSIVE.some((x) => f.endsWith(x)));
  // Longest first (LPT): with two lanes, a long spec started last leaves one lane idle while it
  // finishes. Seconds per spec as measured in CI (2026-12-07); unlisted specs count as 30 s.
  const SECONDS = {
    "pages.test.mjs": 160,
    "commerce-dashboard.test.mjs": 90,
    "billing.test.mjs": 75,
    "team.test.mjs": 70,
    "messaging.test.mjs": 70,
    "forum-dashboard.test.mjs": 64,
    "portal.test.mjs": 60,
    "navigation.test.mjs": 60,
    "chat.test.mjs": 53,
    "auth.test.mjs": 46,
    "list-sync.test.mjs": 43,
    "knowledge.test.mjs": 42,
    "commerce.test.mjs": 41,
    "files.test.mjs": 38,
  };
  const weight = (f) => SECONDS[f.split("/").pop()] ?? 30;
  const together = specs.filter((f) => !alone.includes(f)).sort((a, b) => weight(b) - weight(a) || a.localeCompare(b));
  const concurrency = Number(process.env.E2E_CONCURRENCY ?? 2);
  const runSpecs = (files, n) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ["--test", `--test-concurrency=${n}`, "--test-reporter=spec", ...files], {
        cwd: ROOT,
        stdio: "inherit",
        // E2E_STATE_DIR: the stack's local state, for specs that seed it (demo-seed.test.mjs).
        env: { ...process.env, E2E_BASE_URL: server.url, E2E_STATE_DIR: stateDir },
      });
      child.on("exit", (c) => resolve(c ?? 1));
    });
  code = 0;
  if (alone.length) code = await runSpecs(alone, 1);
  if (together.length) code = (await runSpecs(together, concurrency)) || code;
} catch (err) {
  console.error(`e2e: ${err.stack ?? err}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
