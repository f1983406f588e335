// `npm test` step (npm run check:boundaries): module boundaries, with dependency-cruiser.
//  - the file rules in .dependency-cruiser.cjs (another module's internals, the composition root
//    mounting anything but a module's entry points, run-time import cycles, the Worker importing
//    web/, platform/ importing a module);
//  - cycles between modules: the run-time imports of workers/modules/* collapsed to one node per
//    module, strongly connected components reported as cycles;
//  - every module has its public entry, workers/modules/<name>/index.ts.
// Any violation fails: the violations that predated the check were fixed, so there is no baseline.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
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

// Every module has a public entry (even an empty one), so "import only ../<name>" always has a target.
for (const d of readdirSync(`${ROOT}workers/modules`, { withFileTypes: true })) {
  if (d.isDirectory() && !existsSync(`${ROOT}workers/modules/${d.name}/index.ts`))
    found.add(`missing-public-entry: workers/modules/${d.name}/index.ts`);
}

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

for (const v of [...found].sort()) console.error(`  violation  ${v}`);
const modCycles = sccs.map((s) => s.join(" ↔ ")).join("; ") || "none";
console.log(`boundaries: ${result.summary.totalCruised} files; ${found.size} violations; module cycles: ${modCycles}`);
process.exit(found.size ? 1 : 0);
