// Production deploy: build the SPA + Worker for the production environment, apply D1
// migrations remotely, then deploy. Needs CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID)
// and the IDs in wrangler.toml [env.production]. Secrets are set once with
// `wrangler secret put JWT_SECRET --env production` (and ENCRYPTION_KEY).
import { execSync } from "node:child_process";

const run = (cmd, env = {}) => {
  console.log(`$ ${cmd}`);
  execSync(cmd, { stdio: "inherit", env: { ...process.env, ...env } });
};

if (!process.env.CLOUDFLARE_API_TOKEN) {
  console.error("Set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID) to deploy. See README › Deploying.");
  process.exit(1);
}
// The Cloudflare Vite plugin selects the wrangler environment from CLOUDFLARE_ENV at build time.
run("vite build", { CLOUDFLARE_ENV: "production" });
run("wrangler d1 migrations apply DB --env production --remote");
run("wrangler deploy");
