/**
 * End users on public endpoints: how any module (the portal, the cart, chat, the forum) learns which
 * of a workspace's own customers is calling. Read-only and needed by modules above and beside
 * modules/endusers, so it sits in platform next to auth.ts (as publishable-keys.ts does); signing
 * in, sessions and the accounts themselves are modules/endusers'.
 *
 *   const tenantId = …;                      // from a publishable key, a slug, a cart…
 *   const user = await endUserOf(c, tenantId); // null when no end-user token is presented
 *   const user = await requireEndUser(c, tenantId); // 401 without one
 *
 * A token is refused (401) unless it is an unexpired end-user token of exactly this workspace whose
 * session is live; a blocked end user, or one whose workspace turned the portal off, is refused
 * (403) everywhere — every caller goes through this one query.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { endUserSessions, endUsers, portalSettings } from "../../schema/endusers";
import type { AppEnv, EndUserPrincipal } from "./context";
import { getDb, preparedOnce, type Db } from "./db";
import { getTenantBySlug } from "./directory";
import { isolateCache } from "./isolate-cache";
import { getConfig } from "./env";
import { forbidden, notFound, unauthorized } from "./errors";
import { verifyEndUserToken } from "./jwt";
import { PUBLISHABLE_KEY_PREFIX, resolvePublishableKey } from "./publishable-keys";

function bearerOf(c: Context): string | null {
  const h = c.req.header("Authorization");
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m?.[1]) throw unauthorized("The Authorization header must be `Bearer <token>`.");
  return m[1];
}

const liveEndUser = (db: Db) =>
  preparedOnce(db, "endusers.live", (d) =>
    d
      .select({
        revokedAt: endUserSessions.revokedAt,
        expiresAt: endUserSessions.expiresAt,
        email: endUsers.email,
        name: endUsers.name,
        verifiedAt: endUsers.emailVerifiedAt,
        blockedAt: endUsers.blockedAt,
        enabled: portalSettings.enabled,
      })
      .from(endUserSessions)
      .innerJoin(endUsers, and(eq(endUsers.tenantId, endUserSessions.tenantId), eq(endUsers.id, endUserSessions.endUserId)))
      .leftJoin(portalSettings, eq(portalSettings.tenantId, endUserSessions.tenantId))
      .where(
        and(
          eq(endUserSessions.tenantId, sql.placeholder("tenant")),
          eq(endUserSessions.id, sql.placeholder("sid")),
          eq(endUserSessions.endUserId, sql.placeholder("sub")),
        ),
      )
      .prepare(),
  );

/** Checks a presented end-user token against `tenantId`; null when there is no bearer token at all. */
export async function endUserOf(c: Context<AppEnv>, tenantId: string): Promise<EndUserPrincipal | null> {
  const existing = c.get("endUser") as EndUserPrincipal | undefined;
  if (existing && existing.tenantId === tenantId) return existing;
  const token = bearerOf(c);
  if (!token) return null;
  return endUserFromToken(c, tenantId, token);
}

/** The same checks for a token that did not come in the Authorization header (the hosted portal's cookie). */
export async function endUserFromToken(c: Context<AppEnv>, tenantId: string, token: string): Promise<EndUserPrincipal> {
  const claims = await verifyEndUserToken(token, tenantId, getConfig(c.env).JWT_SECRET);
  if (!claims) throw unauthorized("The end-user token is invalid, expired or for another site; refresh it or sign in again.");
  const row = await liveEndUser(getDb(c.env.DB)).get({ tenant: tenantId, sid: claims.sid, sub: claims.sub });
  if (!row) throw unauthorized("This session has ended; sign in again.");
  // Blocked first: blocking also ends the sessions, and "blocked" is the answer that explains it.
  if (row.blockedAt) throw forbidden("This account is blocked. Contact the site's owner.");
  if (row.revokedAt || row.expiresAt < Date.now()) throw unauthorized("This session has ended; sign in again.");
  if (!row.enabled) throw forbidden("Customer accounts are turned off for this site.");
  const principal: EndUserPrincipal = {
    id: claims.sub,
    tenantId,
    sessionId: claims.sid,
    email: row.email,
    name: row.name,
    emailVerified: row.verifiedAt !== null,
  };
  c.set("endUser", principal);
  return principal;
}

/** The signed-in end user of `tenantId`; 401 when no (valid) end-user token is presented. */
export async function requireEndUser(c: Context<AppEnv>, tenantId: string): Promise<EndUserPrincipal> {
  const user = await endUserOf(c, tenantId);
  if (!user) throw unauthorized("Sign in to your account on this site to continue.");
  return user;
}

/**
 * The workspace a portal address names: the hosted portal uses the workspace's slug
 * (`/public/v1/portal/acme/…`); a workspace's own site uses its publishable key, valid only from an
 * Origin on the key's allow-list (`/public/v1/portal/pk_live_…/…`). 404 for an unknown slug, 401 for
 * a key that is unknown, revoked or used from another origin.
 */
export async function portalTenantId(c: Context<AppEnv>, ref: string): Promise<string> {
  const db = getDb(c.env.DB);
  if (ref.startsWith(PUBLISHABLE_KEY_PREFIX)) {
    const resolved = await resolvePublishableKey(db, ref, c.req.header("Origin") ?? null);
    if (!resolved) throw unauthorized("A valid publishable key, used from one of its allowed origins, is required.");
    return resolved.tenantId;
  }
  if (!/^[a-z0-9-]{1,64}$/i.test(ref)) throw notFound("Portal");
  // Every portal request names its workspace by slug: cached per isolate for a minute (an unknown
  // slug is not cached). A renamed slug answers for its old workspace until then — only ever the
  // same workspace, whose end users' tokens are still checked on every request.
  return slugs.get(ref.toLowerCase(), async () => (await getTenantBySlug(db, ref)).id);
}
const slugs = isolateCache<string>(60_000);
