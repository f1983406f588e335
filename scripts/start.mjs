// `npm start`: fresh clone → running app. Creates .dev.vars, applies D1 migrations locally, seeds the
// demo workspace, then serves the SPA and the API (with local D1/R2/Queues) on one port.
import { applyMigrations, ensureDevVars, startDevServer, stopProcess } from "./local.mjs";
import { seed } from "./seed.mjs";

const port = Number(process.env.PORT ?? 8787);
const step = (msg) => console.log(`\x1b[36m▸\x1b[0m ${msg}`);

if (ensureDevVars()) step("Created .dev.vars with fresh random JWT_SECRET and ENCRYPTION_KEY");
step("Applying D1 migrations (local)");
applyMigrations();
step("Seeding the demo workspace");
const demo = seed();
step(`Starting the dev server on port ${port}`);

let server;
try {
  server = await startDevServer({ port });
} catch (err) {
  console.error(`\n${err.message}\nIs port ${port} already in use? Try PORT=8788 npm start.`);
  process.exit(1);
}

const url = `http://localhost:${port}`;
console.log(`
  \x1b[1mWeft is running\x1b[0m

  App            ${url}
  API docs       ${url}/api/docs   (OpenAPI: ${url}/api/v1/openapi.json)
  Dev mailbox    ${url}/dev/mailbox   (in the app: ${url}/mailbox)
  Health         ${url}/api/health

  Demo login     ${demo.email}
  Password       ${demo.password}
  Workspace      ${demo.workspace}

  Press Ctrl+C to stop.
`);

const shutdown = async () => {
  await stopProcess(server.child);
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
server.child.on("exit", (code) => process.exit(code ?? 0));
