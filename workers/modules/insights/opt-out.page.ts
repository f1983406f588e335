import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import { enforceRateLimit } from "../../platform/ratelimit";
import { clientIp } from "../../platform/request";
import { setSubscribed } from "./digest.service";
import { verifyOptOutToken } from "./tokens";

/**
 * The digest's opt-out link (mounted at /public/v1/insights/digest/opt-out): GET shows a page with one
 * button, POST turns the member's digest off. A link scanner that only GETs changes nothing.
 */
export const insightsOptOutPage = new Hono<AppEnv>();

const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const page = (c: Context<AppEnv>, body: string, status: 200 | 404 = 200) => {
  c.header("Content-Security-Policy", CSP);
  c.header("Cache-Control", "no-store");
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Insight digest</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#111}@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}button{font:inherit;padding:.5rem 1rem;border-radius:.375rem;border:1px solid #888;cursor:pointer}</style></head><body>${body}</body></html>`,
    status,
  );
};
const invalid = (c: Context<AppEnv>) =>
  page(c, "<h1>This link is not valid</h1><p>Open the digest settings in the dashboard instead.</p>", 404);

insightsOptOutPage.use("*", async (c, next) => {
  await enforceRateLimit(c, "RL_IP", clientIp(c));
  await next();
});
insightsOptOutPage.get("/:token", async (c) => {
  const claims = await verifyOptOutToken(c.env, c.req.param("token"));
  if (!claims) return invalid(c);
  const tenant = await getTenant(getDb(c.env.DB), claims.tenantId).catch(() => null);
  if (!tenant) return invalid(c);
  return page(
    c,
    `<h1>Stop the insight digest?</h1><p>You will no longer get the insight digest of <strong>${esc(tenant.name)}</strong> by email. Alerts are not affected.</p><form method="post"><button type="submit">Stop the digest</button></form>`,
  );
});
insightsOptOutPage.post("/:token", async (c) => {
  const claims = await verifyOptOutToken(c.env, c.req.param("token"));
  if (!claims) return invalid(c);
  await setSubscribed(getDb(c.env.DB), claims.tenantId, claims.userId, false);
  return page(c, "<h1>Done</h1><p>You will not get the insight digest any more. You can turn it back on from the Insights page.</p>");
});
