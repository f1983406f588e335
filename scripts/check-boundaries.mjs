// `npm test` step (npm run check:boundaries): module boundaries, with dependency-cruiser.
//  - the file rules in .dependency-cruiser.cjs (another module's internals, run-time import cycles,
//    the Worker importing web/, platform/ importing a module);
//  - cycles between modules: the run-time imports of workers/modules/* collapsed to one node per
//    module, strongly connected components reported as cycles.
// Violations that existed when the check was introduced are listed in docs/boundaries-baseline.json;
// anything not in it fails, and a baseline entry that no longer occurs must be removed (the list
// only shrinks). `--update-baseline` rewrites it (only to remove entries, when reviewing a fix).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BASELINE = `${ROOT}docs/boundaries-baseline.json`;
const cruise = () =>
  execFileSync(
    process.execPath,
    [
      `${ROOT}node_modules/dependency-cruiser/bin/dependency-cruiser.mjs`,
      "--config",
      ".dependency-cruiser.cjs",
      "--output-type",
      "json",
      "workers",
      "schema",
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
let out;
try {
  out = cruise();
} catch (err) {
  // depcruise exits non-zero when it finds violations; its JSON report is still on stdout.
  if (!err.stdout) throw err;
  out = err.stdout;
}
const result = JSON.parse(out);

const found = new Set(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`));

// Module graph from run-time (non type-only) imports between different modules, tests excluded.
const moduleOf = (p) => /^workers\/modules\/([^/]+)\//.exec(p)?.[1];
const edges = new Map();
for (const m of result.modules) {
  const from = moduleOf(m.source);
  if (!from || m.source.includes("/test/")) continue;
  for (const d of m.dependencies) {
    const to = moduleOf(d.resolved);
    if (!to || to === from || d.dependencyTypes.includes("type-only")) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
  }
}
// Tarjan's strongly connected components.
let index = 0;
const idx = new Map(),
  low = new Map(),
  stack = [],
  onStack = new Set(),
  sccs = [];
const strong = (v) => {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) sccs.push(scc.sort());
  }
};
for (const v of edges.keys()) if (!idx.has(v)) strong(v);
for (const scc of sccs) {
  const members = new Set(scc);
  for (const a of scc) for (const b of edges.get(a) ?? []) if (members.has(b)) found.add(`module-cycle: ${a} → ${b}`);
}

const baseline = new Set(JSON.parse(readFileSync(BASELINE, "utf8")).known);
if (process.argv.includes("--update-baseline")) {
  const kept = [...baseline].filter((v) => found.has(v)).sort();
  writeFileSync(
    BASELINE,
    `${JSON.stringify({ comment: "Boundary violations that predate the check; fix them and delete lines, never add.", known: kept }, null, 2)}\n`,
  );
  console.log(`boundaries: baseline rewritten with ${kept.length} known violations`);
  process.exit(0);
}
const fresh = [...found].filter((v) => !baseline.has(v)).sort();
const fixed = [...baseline].filter((v) => !found.has(v)).sort();
for (const v of fresh) console.error(`  new violation  ${v}`);
for (const v of fixed) console.error(`  fixed (delete it from docs/boundaries-baseline.json)  ${v}`);
const modCycles = sccs.map((s) => s.join(" ↔ ")).join("; ") || "none";
console.log(
  `boundaries: ${result.summary.totalCruised} files; ${found.size} violations, ${baseline.size} known; module cycles: ${modCycles}`,
);
process.exit(fresh.length || fixed.length ? 1 : 0);
