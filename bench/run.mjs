// `npm run bench -- <name>|all`: runs bench/<name>.mjs (e.g. api, web, retrieval); `all` runs every
// bench in this folder in turn. Each bench writes bench/results/<name>.{json,md} and sets a non-zero
// exit code when its run is invalid.
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const here = import.meta.dirname;
const available = readdirSync(here)
  .filter((f) => f.endsWith(".mjs") && f !== "run.mjs")
  .map((f) => f.slice(0, -4))
  .sort();
const args = process.argv.slice(2);

if (args.length === 0 || args.includes("-h") || args.includes("--help")) {
  console.log(`usage: npm run bench -- <${[...available, "all"].join("|")}> [more names]`);
  process.exit(args.length ? 0 : 2);
}

const names = args.includes("all") ? available : args.filter((a) => !a.startsWith("--"));
for (const name of names) {
  const file = join(here, `${name}.mjs`);
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file)) {
    console.error(`unknown bench "${name}"; available: ${available.join(", ")}, all`);
    process.exit(2);
  }
  console.log(`\n=== bench: ${name} ===`);
  await import(pathToFileURL(file).href);
  if (process.exitCode) {
    console.error(`bench "${name}" failed (exit code ${process.exitCode})`);
    if (!args.includes("--keep-going")) break;
  }
}
