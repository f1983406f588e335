// `npm test`: every check, stopping at the first failing group, with the time each phase took.
// The checks before vitest run two at a time (the machine CI uses has 2 cores; typecheck alone
// takes ~20 s of one), each phase's output printed whole when it ends so logs do not interleave;
// vitest and the browser tests then run one after the other (each uses every core on its own).
// The per-phase table is printed at the end and, when WEFT_PHASE_LOG is set (.ci/run does), appended
// to that file as `name<TAB>seconds<TAB>status` lines so CI can print the whole run's phases.
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";

const npx = (bin, ...args) => ["node", [`node_modules/${bin}`, ...args]];
// Groups run in order; the phases of a group run `concurrency` at a time, longest first.
const GROUPS = [
  {
    concurrency: 2,
    phases: [
      ["typecheck", ["npm", ["run", "-s", "typecheck"]]],
      ["api:check", ["npm", ["run", "-s", "api:check"]]],
      ["lint", ["node", ["scripts/lint.mjs"]]],
      ["boundaries", ["node", ["scripts/check-boundaries.mjs"]]],
      ["lockfile", ["node", ["scripts/check-lockfile.mjs"]]],
      ["widget bundle", ["node", ["web/widget/build.mjs", "--check"]]],
      ["surveys script", ["node", ["web/surveys/build.mjs", "--check"]]],
      ["tracker bundle", ["node", ["web/tracker/build.mjs", "--check"]]],
      ["permissions doc", ["node", ["scripts/permissions-doc.ts", "--check"]]],
    ],
  },
  { concurrency: 1, phases: [["vitest (workerd)", npx("vitest/vitest.mjs", "run")]] },
  { concurrency: 1, phases: [["browser (chromium)", ["node", ["e2e/run.mjs"]]]] },
];

const only = process.argv.slice(2);
const results = [];

/** Runs one phase; output goes straight through when it runs alone, else is printed when it ends. */
function runPhase(name, [cmd, args], alone) {
  return new Promise((resolve) => {
    const started = performance.now();
    if (alone) console.log(`\n── ${name} ──`);
    const child = spawn(cmd, args, { stdio: alone ? "inherit" : ["ignore", "pipe", "pipe"], shell: process.platform === "win32" });
    const out = [];
    child.stdout?.on("data", (d) => out.push(d));
    child.stderr?.on("data", (d) => out.push(d));
    child.on("exit", (code, signal) => {
      const status = (code ?? (signal ? 1 : 0)) === 0 ? "ok" : `failed (${code ?? signal})`;
      if (!alone) process.stdout.write(`\n── ${name} ──\n${Buffer.concat(out).toString()}`);
      const seconds = (performance.now() - started) / 1000;
      results.push({ name, seconds, status });
      if (process.env.WEFT_PHASE_LOG) appendFileSync(process.env.WEFT_PHASE_LOG, `npm test: ${name}\t${seconds.toFixed(1)}\t${status}\n`);
      resolve(status === "ok");
    });
  });
}

async function runGroup({ concurrency, phases }) {
  const queue = phases.filter(([name]) => only.length === 0 || only.includes(name));
  const alone = concurrency === 1 || queue.length === 1;
  let ok = true;
  const lane = async () => {
    while (queue.length && ok) if (!(await runPhase(...queue.shift(), alone))) ok = false;
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
  return ok;
}

const started = performance.now();
let failed = false;
for (const group of GROUPS) {
  if (!(await runGroup(group))) {
    failed = true;
    break;
  }
}

const wall = (performance.now() - started) / 1000;
console.log("\nnpm test phases:");
for (const r of results) console.log(`  ${r.name.padEnd(22)} ${r.seconds.toFixed(1).padStart(7)} s  ${r.status}`);
console.log(`  ${"total (wall clock)".padEnd(22)} ${wall.toFixed(1).padStart(7)} s`);
process.exit(failed ? 1 : 0);
