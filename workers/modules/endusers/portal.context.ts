import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import type { AppEnv } from "../../platform/context";
import { sha256Hex } from "../../platform/crypto";
import { getDb } from "../../platform/db";
import { portalTenantId } from "../../platform/end-users";
import { getConfig } from "../../platform/env";
import { enforceRateLimit } from "../../platform/ratelimit";
import { appOrigin, clientIp } from "../../platform/request";
import type { EndUser } from "./accounts.service";
import { serializeSelf } from "./accounts.service";
import type { EndUserTokens } from "./sessions.service";
import { portalSite, requireEnabled } from "./settings.service";
import type { PortalCtx } from "./signin.service";

/** The portal a request addresses (`{portal}` = slug or publishable key), which must be turned on. */
export async function portalCtxOf(c: Context<AppEnv>, ref: string): Promise<PortalCtx> {
  const db = getDb(c.env.DB);
  // On `enduser` routes the platform resolved the portal already (and checked the token against it).
  const known = (c.get("endUser") as { tenantId: string } | undefined)?.tenantId;
  const site = await portalSite(db, known ?? (await portalTenantId(c, ref)));
  requireEnabled(site);
  const origin = appOrigin(c);
  return {
    env: c.env,
    db,
    site,
    actor: actorOf(c),
    jwtSecret: getConfig(c.env).JWT_SECRET,
    mailer: { db, outbox: c.env.OUTBOX, tenantId: site.tenantId, site: site.name, portalUrl: `${origin}/portal/${site.slug}` },
  };
}

/**
 * Budgets of credential and email-sending endpoints (RL_AUTH, 10 a minute): per client IP, and per
 * address within the workspace, so neither one IP nor a botnet aimed at one address can guess codes
 * or flood an inbox.
 */
export async function limitAttempts(c: Context<AppEnv>, ctx: PortalCtx, account?: string) {
  await enforceRateLimit(c, "RL_AUTH", `eu-ip:${clientIp(c)}`);
  if (account) await enforceRateLimit(c, "RL_AUTH", `eu-acct:${await sha256Hex(`${ctx.site.tenantId}:${account}`)}`);
}

export const tokensBody = (t: EndUserTokens, user: EndUser) => ({
  access_token: t.accessToken,
  refresh_token: t.refreshToken,
  token_type: "Bearer" as const,
  expires_in: t.expiresIn,
  end_user: serializeSelf(user),
});
