// `npm test`: every check, in order, stopping at the first failure, with the time each phase took.
// The per-phase table is printed at the end and, when WEFT_PHASE_LOG is set (.ci/run does), appended
// to that file as `name<TAB>seconds<TAB>status` lines so CI can print the whole run's phases.
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";

const npx = (bin, ...args) => ["node", [`node_modules/${bin}`, ...args]];
const PHASES = [
  ["lockfile", ["node", ["scripts/check-lockfile.mjs"]]],
  ["lint", ["node", ["scripts/lint.mjs"]]],
  ["boundaries", ["node", ["scripts/check-boundaries.mjs"]]],
  ["typecheck", ["npm", ["run", "-s", "typecheck"]]],
  ["api:check", ["npm", ["run", "-s", "api:check"]]],
  ["widget bundle", ["node", ["web/widget/build.mjs", "--check"]]],
  ["surveys script", ["node", ["web/surveys/build.mjs", "--check"]]],
  ["tracker bundle", ["node", ["web/tracker/build.mjs", "--check"]]],
  ["permissions doc", ["node", ["scripts/permissions-doc.ts", "--check"]]],
  ["vitest (workerd)", npx("vitest/vitest.mjs", "run")],
  ["browser (chromium)", ["node", ["e2e/run.mjs"]]],
];

const only = process.argv.slice(2);
const results = [];
const run = (cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", shell: process.platform === "win32" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

let failed = false;
for (const [name, [cmd, args]] of PHASES) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n── ${name} ──`);
  const started = performance.now();
  const code = await run(cmd, args);
  const seconds = (performance.now() - started) / 1000;
  results.push({ name, seconds, status: code === 0 ? "ok" : `failed (${code})` });
  if (process.env.WEFT_PHASE_LOG)
    appendFileSync(process.env.WEFT_PHASE_LOG, `npm test: ${name}\t${seconds.toFixed(1)}\t${results.at(-1).status}\n`);
  if (code !== 0) {
    failed = true;
    break;
  }
}

const total = results.reduce((s, r) => s + r.seconds, 0);
console.log("\nnpm test phases:");
for (const r of results) console.log(`  ${r.name.padEnd(22)} ${r.seconds.toFixed(1).padStart(7)} s  ${r.status}`);
console.log(`  ${"total".padEnd(22)} ${total.toFixed(1).padStart(7)} s`);
process.exit(failed ? 1 : 0);
