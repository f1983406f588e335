// `npm test` step: the committed lockfile must install on Linux, macOS and Windows (x64 + arm64).
// npm records an optional platform binary only if the registry served it when the lockfile was
// written; a lockfile without them makes `npm ci` refuse to run ("not in sync") and leaves
// macOS/Windows users with no workerd binary at all. Two checks:
//  1. every optionalDependency of every locked package resolves to a locked entry (what `npm ci`
//     verifies, so this fails the same way, but names the package);
//  2. every copy of workerd (wrangler, the vite and vitest plugins nest their own) has its binary
//     for each supported platform, at its own version.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const lockPath = fileURLToPath(new URL("../package-lock.json", import.meta.url));
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const packages = lock.packages ?? {};

// workerd publishes no win32-arm64 build (Windows on Arm runs the x64 one under emulation).
const WORKERD_PLATFORMS = {
  "linux-64": ["linux", "x64"],
  "linux-arm64": ["linux", "arm64"],
  "darwin-64": ["darwin", "x64"],
  "darwin-arm64": ["darwin", "arm64"],
  "windows-64": ["win32", "x64"],
};

/** Node's resolution: <from>/node_modules/<name>, then each parent's node_modules. */
function resolveFrom(from, name) {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return null;
    const idx = dir.lastIndexOf("/node_modules/");
    dir = idx === -1 ? "" : dir.slice(0, idx);
  }
}

const problems = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
    if (!resolveFrom(path, dep)) problems.push(`${path || "(root)"}: optional dependency ${dep} is not in the lockfile`);
  }
}

let workerdCopies = 0;
for (const [path, entry] of Object.entries(packages)) {
  if (!path.endsWith("node_modules/workerd")) continue;
  workerdCopies++;
  for (const [suffix, [os, cpu]] of Object.entries(WORKERD_PLATFORMS)) {
    const name = `@cloudflare/workerd-${suffix}`;
    const at = resolveFrom(path, name);
    const bin = at && packages[at];
    if (!bin) problems.push(`${path}@${entry.version}: no ${name} (${os}/${cpu}) in the lockfile`);
    else if (bin.version !== entry.version) problems.push(`${path}@${entry.version}: ${name} resolves to ${bin.version}`);
    else if (!bin.os?.includes(os) || !bin.cpu?.includes(cpu)) problems.push(`${at}: expected os ${os} / cpu ${cpu}`);
  }
}
if (workerdCopies === 0) problems.push("no workerd package in the lockfile");

if (problems.length) {
  console.error(`lockfile check: ${problems.length} problem(s); regenerate with \`npm install\` on a registry that serves every platform:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(
  `lockfile check: ${workerdCopies} workerd copies × ${Object.keys(WORKERD_PLATFORMS).length} platforms, every optional dependency locked`,
);
