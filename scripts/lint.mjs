// `npm run lint` (and an `npm test` phase): Biome formatter + linter.
//  1. `biome check --diagnostic-level=error`: formatting and every error-level rule must pass.
//  2. The rules that had findings when Biome was introduced are at "warn" in biome.json; their count
//     may only go down: more warnings than docs/lint-baseline.json records fails, fewer asks you to
//     lower the number there (`node scripts/lint.mjs --update-baseline`).
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIOME = `${ROOT}node_modules/@biomejs/biome/bin/biome`;
const BASELINE = `${ROOT}docs/lint-baseline.json`;

const check = spawnSync(process.execPath, [BIOME, "check", "--diagnostic-level=error", "."], { cwd: ROOT, stdio: "inherit" });
if (check.status !== 0) process.exit(check.status ?? 1);

const lint = spawnSync(process.execPath, [BIOME, "lint", "--max-diagnostics=0", "."], { cwd: ROOT, encoding: "utf8" });
const text = `${lint.stdout}${lint.stderr}`;
const warnings = Number(/Found (\d+) warnings?/.exec(text)?.[1] ?? 0);
const baseline = JSON.parse(readFileSync(BASELINE, "utf8"));
if (process.argv.includes("--update-baseline")) {
  writeFileSync(BASELINE, `${JSON.stringify({ ...baseline, warnings }, null, 2)}\n`);
  console.log(`lint: baseline set to ${warnings} warnings`);
} else if (warnings > baseline.warnings) {
  console.error(
    `lint: ${warnings} warnings, more than the ${baseline.warnings} in docs/lint-baseline.json; run npx biome lint . and fix the new ones`,
  );
  process.exit(1);
} else if (warnings < baseline.warnings) {
  console.error(
    `lint: ${warnings} warnings, fewer than the ${baseline.warnings} recorded: lower docs/lint-baseline.json (node scripts/lint.mjs --update-baseline)`,
  );
  process.exit(1);
} else {
  console.log(`lint: formatting and error rules clean; ${warnings} known warnings (docs/lint-baseline.json)`);
}
