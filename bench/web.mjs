// `npm run bench -- web`: gzip size of the JS and CSS the production SPA loads for the login route
// and for the app shell route (/ : the signed-in layout + home page), following the Vite manifest:
// the entry (index.html) plus each route's split chunks and their static imports, recursively.
// Lazy (dynamic) imports, such as the home page's chart, are not on the route's initial load.
// Writes bench/results/web.json ({login_js_gzip, shell_js_gzip, css_gzip}) and web.md.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, constants } from "node:zlib";
import { ROOT } from "../scripts/local.mjs";

const OUT = join(ROOT, "dist/client");
execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, WEFT_MANIFEST: "1" },
});
const manifestPath = join(OUT, ".vite/manifest.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
rmSync(join(OUT, ".vite"), { recursive: true, force: true }); // not part of the deployed assets

const gz = (file) => gzipSync(readFileSync(join(OUT, file)), { level: constants.Z_BEST_COMPRESSION }).length;

/** Files (js, css) loaded when the given manifest entries load: static imports only. */
function closure(keys) {
  const js = new Set();
  const css = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || js.has(chunk.file)) return;
    js.add(chunk.file);
    for (const c of chunk.css ?? []) css.add(c);
    for (const i of chunk.imports ?? []) visit(i);
  };
  keys.forEach(visit);
  return { js, css };
}
const routeChunks = (routeFile) => Object.keys(manifest).filter((k) => k.startsWith(`src/routes/${routeFile}?tsr-split`));

const routes = {
  login: ["index.html", ...routeChunks("login.tsx")],
  shell: ["index.html", ...routeChunks("_app.tsx"), ...routeChunks("_app/index.tsx")],
};
for (const [name, keys] of Object.entries(routes)) {
  if (keys.length < 2) throw new Error(`bench web: no split chunks found for the ${name} route; did the route files move?`);
}
const login = closure(routes.login);
const shell = closure(routes.shell);
const sum = (files) => [...files].reduce((s, f) => s + gz(f), 0);
const allCss = new Set([...login.css, ...shell.css]);
const result = {
  login_js_gzip: sum(login.js),
  shell_js_gzip: sum(shell.js),
  css_gzip: sum(allCss),
};
// Everything else is fetched only when another route or a lazy component needs it.
const initial = new Set([...login.js, ...shell.js]);
const lazy = [...new Set(Object.values(manifest).map((c) => c.file))]
  .filter((f) => f.endsWith(".js") && !initial.has(f))
  .map((file) => ({ file, gzip: gz(file) }))
  .sort((a, b) => b.gzip - a.gzip);

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const md = `# Web bundle (production build, gzip -9)

| metric | bytes | |
|---|---:|---|
| login_js_gzip | ${result.login_js_gzip} | ${kb(result.login_js_gzip)} in ${login.js.size} files |
| shell_js_gzip | ${result.shell_js_gzip} | ${kb(result.shell_js_gzip)} in ${shell.js.size} files (layout + home) |
| css_gzip | ${result.css_gzip} | ${kb(result.css_gzip)} in ${allCss.size} file(s) |

Largest chunks loaded later (other routes, lazy components such as charts); not part of either figure:

| chunk | gzip bytes |
|---|---:|
${lazy
  .slice(0, 5)
  .map((c) => `| ${c.file} | ${c.gzip} |`)
  .join("\n")}

Login loads: ${[...login.js].join(", ")}

Shell loads: ${[...shell.js].join(", ")}
`;
mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(join(ROOT, "bench/results/web.json"), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(ROOT, "bench/results/web.md"), md);
console.log(md);
