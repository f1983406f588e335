// `npm start`: fresh clone → running app. Creates .dev.vars, applies D1 migrations locally, seeds the
// demo workspace, then serves the SPA and the API (with local D1/R2/Queues) on one port.
import { applyMigrations, ensureDevVars, startDevServer, stopProcess } from "./local.mjs";
import { seed, seedDemoFiles, seedDemoLive } from "./seed.mjs";
import { startDemoSite } from "../web/widget/demo-site.mjs";

const port = Number(process.env.PORT ?? 8787);
const step = (msg) => console.log(`\x1b[36m▸\x1b[0m ${msg}`);

if (ensureDevVars()) step("Created .dev.vars with fresh random JWT_SECRET and ENCRYPTION_KEY");
step("Applying D1 migrations (local)");
applyMigrations();
step("Seeding the demo workspace");
const demoSitePort = Number(process.env.DEMO_SITE_PORT ?? port + 1);
const chatOrigins = [`http://localhost:${demoSitePort}`, `http://127.0.0.1:${demoSitePort}`];
const demo = seed({ appUrl: `http://localhost:${port}`, webhookUrl: `http://localhost:${demoSitePort}/webhooks/weft`, chatOrigins });
step(`Starting the dev server on port ${port}`);

let server;
try {
  server = await startDevServer({ port });
} catch (err) {
  console.error(`\n${err.message}\nIs port ${port} already in use? Try PORT=8788 npm start.`);
  process.exit(1);
}

const url = `http://localhost:${port}`;
// LOCAL DEMO: a fake tenant site on its own origin with the chat widget installed.
const demoSite = await startDemoSite({ port: demoSitePort, weftUrl: url }).catch(
  (e) => (console.warn(`Demo site not started: ${e.message}`), null),
);
console.log(`
  \x1b[1mWeft is running\x1b[0m

  App            ${url}
  API docs       ${url}/api/docs   (OpenAPI: ${url}/api/v1/openapi.json)
  Dev mailbox    ${url}/dev/mailbox   (in the app: ${url}/mailbox)
  Health         ${url}/api/health
  Demo site      ${demoSite ? `${demoSite.url}   (a fake tenant site with the chat widget; agents answer at ${url}/chat)` : "not started"}
  Demo shop      ${demoSite ? `${demoSite.url}/shop   (storefront API, Buy button, hosted checkout, payment simulator)` : "not started"}

  Demo login     ${demo.email}
  Password       ${demo.password}
  Workspace      ${demo.workspace}   (demo data; teammates priya@, sam@, lena@, tom@demo.weft.local use the same password)

  Press Ctrl+C to stop.
`);
// The demo's knowledge sources and chat conversations go through the running Worker (first start only).
if (demo.live.knowledge.length || demo.live.chat.length) {
  step("Demo workspace: indexing its knowledge base and starting its chat conversations…");
  seedDemoLive({ url, live: demo.live, origin: chatOrigins[0] }).then(
    (r) => step(`Demo workspace ready: ${r.knowledge} knowledge sources indexed, ${r.chat} chat conversations.`),
    (e) => console.warn(`Demo workspace: ${e.message}`),
  );
}
// The demo file manager's files (images, a PDF, a text file in two folders) through the files API (first start only).
if (demo.live.files.length) {
  seedDemoFiles({ url, missing: demo.live.files }).then(
    (n) => step(`Demo workspace: ${n} demo files uploaded.`),
    (e) => console.warn(`Demo files: ${e.message}`),
  );
}

const shutdown = async () => {
  await demoSite?.close();
  await stopProcess(server.child);
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
server.child.on("exit", (code) => process.exit(code ?? 0));
