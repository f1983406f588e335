// The Workflow class bound as AUTOMATION_RUN (wrangler.toml [[workflows]]), exported by workers/index.ts
// like the Durable Object classes (*.do.ts): Cloudflare Workflows run on Durable Objects. Kept out of
// index.ts, so modules that import the workflows entry load without workerd's "cloudflare:workers".
export { AutomationRun } from "./engine";
