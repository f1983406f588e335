// `npm run test:e2e`: browser tests in real Chromium against a throwaway local stack.
// Fresh state dir → D1 migrations and a build → `vite preview` (the built SPA + the Worker in workerd,
// with its local D1/R2/Queues/DOs/Workflows) on a free port → node --test specs → stop.
// E2E_STACK=dev runs every spec against `vite dev` instead (what `npm start` serves): slower, since
// each fresh browser context then loads the SPA as ~100 untransformed modules instead of ~20 chunks.
// Specs that test the dev server itself (DEV_SERVER_SPECS) always get a `vite dev` of their own.
import { spawn } from "node:child_process";
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, buildLocalPreview, freePort, ROOT, startDevServer, stopProcess } from "../scripts/local.mjs";

const ARTIFACTS = join(ROOT, "e2e/artifacts");
mkdirSync(ARTIFACTS, { recursive: true });
const stateDir = mkdtempSync(join(tmpdir(), "weft-e2e-"));
const devStateDir = `${stateDir}-dev`;
const ownDirs = [];
const only = process.argv.slice(2);
const STACK = process.env.E2E_STACK === "dev" ? "dev" : "preview";
const DEV_SERVER_SPECS = ["dev-server-proxy.test.mjs"];
const servers = [];
let stopping = false;
let code = 1;

const cleanup = async () => {
  stopping = true;
  await Promise.all(servers.map((s) => stopProcess(s.child)));
  if (!process.env.E2E_KEEP_STATE) for (const d of [stateDir, devStateDir, ...ownDirs]) rmSync(d, { recursive: true, force: true });
};
process.on("SIGINT", async () => (await cleanup(), process.exit(130)));
process.on("SIGTERM", async () => (await cleanup(), process.exit(143)));

async function startStack(mode, dir, logName) {
  const port = await freePort();
  const log = createWriteStream(join(ARTIFACTS, logName));
  const server = await startDevServer({ port, stateDir: dir, stdio: "pipe", host: "127.0.0.1", env: { WEFT_FROZEN: "1" }, mode });
  servers.push(server);
  server.child.stdout.pipe(log);
  server.child.stderr.pipe(log);
  server.child.on("exit", (code, signal) => {
    if (!stopping) console.error(`e2e: vite ${mode} exited unexpectedly (code ${code}, signal ${signal}); see e2e/artifacts/${logName}`);
  });
  console.log(`e2e: vite ${mode} at ${server.url}`);
  return server;
}

try {
  console.log(`e2e: state in ${stateDir}`);
  const specs = readdirSync(join(ROOT, "e2e/specs"))
    .filter((f) => f.endsWith(".test.mjs"))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o.split("/").pop())))
    .sort()
    .map((f) => join("e2e/specs", f));
  // With no files, `node --test` would discover and run every test file in the repo instead.
  if (specs.length === 0) throw new Error(`e2e: no spec in e2e/specs matches ${only.join(", ")}`);
  // Specs run side by side against the one stack (each makes its own workspace and client IPs),
  // three at a time: the suite waits more than it computes (577 CPU-seconds in a 596 s run with two
  // lanes, 2026-12-07), so a third lane fills the idle core. (Three once made the team spec flaky with
  // login 429s: specs shared fixed client IPs and so per-IP auth budgets; each now has its own.) A spec that
  // writes the stack's D1 file from outside the Worker (demo-seed: `wrangler d1 execute`) gets a
  // stack of its own on a copy of the migrated state: a second SQLite writer on the shared stack makes
  // its queries fail with SQLITE_BUSY (seen as 500s in the chat spec when they overlapped). It used
  // to run alone before the rest, leaving one lane idle for its ~45 s.
  const OWN_STACK = ["demo-seed.test.mjs"].filter((x) => specs.some((f) => f.endsWith(x)));
  // Longest first (LPT): with several lanes, a long spec started last leaves the others idle while it
  // finishes. Seconds per spec as measured on the preview stack (2026-12-07); unlisted specs count as 20 s.
  const SECONDS = {
    "pages.test.mjs": 77,
    "demo-seed.test.mjs": 50,
    "commerce-dashboard.test.mjs": 61,
    "billing.test.mjs": 60,
    "forum-dashboard.test.mjs": 53,
    "messaging.test.mjs": 51,
    "navigation.test.mjs": 49,
    "workflows.test.mjs": 42,
    "sales.test.mjs": 63,
    "sales-calls.test.mjs": 40,
    "crm-sync.test.mjs": 40,
    "fusion.test.mjs": 52,
    "list-sync.test.mjs": 21,
    "files.test.mjs": 41,
    "portal.test.mjs": 41,
    "knowledge.test.mjs": 40,
    "chat.test.mjs": 39,
    "commerce.test.mjs": 39,
    "team.test.mjs": 33,
    "assistant.test.mjs": 27,
    "wizards.test.mjs": 17,
    "auth.test.mjs": 27,
    "analytics-destinations.test.mjs": 23,
    "endusers.test.mjs": 23,
    "forum.test.mjs": 20,
    "analytics.test.mjs": 17,
    "messaging-push.test.mjs": 17,
    "nps.test.mjs": 16,
    "dev-server-proxy.test.mjs": 14,
    "releases.test.mjs": 14,
    "messaging-preferences.test.mjs": 13,
  };
  const weight = (f) => SECONDS[f.split("/").pop()] ?? 20;
  const together = [...specs].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b));
  const concurrency = Number(process.env.E2E_CONCURRENCY ?? 3);
  const runSpecs = (files, n, urls) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ["--test", `--test-concurrency=${n}`, "--test-reporter=spec", ...files], {
        cwd: ROOT,
        stdio: "inherit",
        env: { ...process.env, ...urls, E2E_STATE_DIR: stateDir },
      });
      child.on("exit", (c) => resolve(c ?? 1));
    });
  // The build (a child process) runs while wrangler applies the migrations.
  const built = STACK === "preview" ? buildLocalPreview() : Promise.resolve();
  applyMigrations({ stateDir, quiet: true });
  await built;
  const needsDevServer = STACK === "preview" && specs.some((f) => DEV_SERVER_SPECS.some((x) => f.endsWith(x)));
  // Their own copies of the migrated state: two workerd processes must not share one set of SQLite files.
  if (needsDevServer) cpSync(stateDir, devStateDir, { recursive: true });
  const devServer = needsDevServer ? startStack("dev", devStateDir, "dev-server.log") : null;
  devServer?.catch(() => {}); // awaited below; don't let an early failure go unhandled meanwhile
  const ownStacks = OWN_STACK.map((spec, i) => {
    const dir = `${stateDir}-own${i}`;
    ownDirs.push(dir);
    cpSync(stateDir, dir, { recursive: true });
    const started = startStack(STACK, dir, `${spec.replace(".test.mjs", "")}-server.log`);
    started.catch(() => {});
    return started.then((s) => [spec, { url: s.url, stateDir: dir }]);
  });
  const server = await startStack(STACK, stateDir, "server.log");
  const env = { E2E_BASE_URL: server.url, E2E_DEV_URL: server.url };
  env.E2E_OWN_STACKS = JSON.stringify(Object.fromEntries(await Promise.all(ownStacks)));
  if (devServer) env.E2E_DEV_URL = (await devServer).url;
  code = await runSpecs(together, concurrency, env);
} catch (err) {
  console.error(`e2e: ${err.stack ?? err}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
