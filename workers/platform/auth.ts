import { and, eq, isNull, sql } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { apiKeys, memberships, sessions, users, workspaceSecurityPolicies } from "../../schema";
import type { Role } from "../../schema/tenancy";
import type { AppEnv, Principal } from "./context";
import { getDb, preparedOnce, readOne, readTogether, type Db, type Read } from "./db";
import { getConfig } from "./env";
import { badRequest, forbidden, notFound, unauthorized } from "./errors";
import { sha256Hex } from "./crypto";
import { looksLikeEndUserToken, verifyAccessToken } from "./jwt";
import { portalTenantId, requireEndUser } from "./end-users";
import { enforceRateLimit } from "./ratelimit";
import { roleHas, type Permission } from "./rbac";
import { apiKeysOffRefusal, memberPolicyRefusal, type WorkspaceAccessPolicy } from "./security-policy";

export const API_KEY_PREFIX = "wk_";
const TENANT_HEADER = "X-Tenant-ID";
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * `batchAccess` (tenant routes): the handler's first D1 read goes through `tenantRead(c, …)`, and when
 * this isolate has no fresh confirmation of the caller's access (ACCESS_CACHE_MS) the session ⋈
 * membership lookup travels in the same D1 batch as that read — one round trip instead of two. Access
 * is then checked before the handler's data is used, with the same answers (401 / 404 / 403, security
 * policy, RL_TENANT) as for any tenant route. Only for handlers that do nothing else with the
 * workspace before that read (no writes, no other reads, no side effects); see tenantRead.
 *
 * `enduser`: a workspace's end user (portal customer) on a `/public/v1/portal/{portal}/…` route; the
 * `{portal}` path parameter (slug or publishable key) names the workspace, and the token must be an
 * end-user token of that workspace (platform/end-users.ts). Staff tokens and API keys never pass.
 */
export type Access =
  | { auth: "public" }
  | { auth: "user" }
  | { auth: "tenant"; permission?: Permission; batchAccess?: boolean }
  | { auth: "enduser" };

function bearer(c: Context): string | null {
  const h = c.req.header("Authorization");
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw unauthorized("The Authorization header must be `Bearer <token>`.");
  return m[1]!;
}

async function authenticateApiKey(c: Context<AppEnv>, token: string): Promise<Principal> {
  const db = getDb(c.env.DB);
  const hash = await sha256Hex(token);
  const key = await db
    .select({
      id: apiKeys.id,
      tenantId: apiKeys.tenantId,
      scopes: apiKeys.scopes,
      lastUsedAt: apiKeys.lastUsedAt,
      expiresAt: apiKeys.expiresAt,
      keysAllowed: workspaceSecurityPolicies.apiKeysAllowed,
    })
    .from(apiKeys)
    .leftJoin(workspaceSecurityPolicies, eq(workspaceSecurityPolicies.tenantId, apiKeys.tenantId))
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
    .get();
  if (!key || (key.expiresAt && key.expiresAt < Date.now())) throw unauthorized("The API key is not valid or has been revoked.");
  // The workspace's security policy may turn its keys off (platform/security-policy.ts).
  if (key.keysAllowed === false) throw apiKeysOffRefusal();
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    c.executionCtx.waitUntil(db.update(apiKeys).set({ lastUsedAt: Date.now() }).where(eq(apiKeys.id, key.id)).run());
  }
  return { kind: "api_key", keyId: key.id, tenantId: key.tenantId, scopes: key.scopes };
}

/**
 * The session ⋈ membership lookup every workspace request makes, prepared once (preparedOnce), with
 * the workspace's security policy and whether the user has MFA (platform/security-policy.ts) in the
 * same round trip.
 */
const sessionMembership = (db: Db) =>
  preparedOnce(db, "auth.sessionMembership", (d) =>
    d
      .select({
        revokedAt: sessions.revokedAt,
        expiresAt: sessions.expiresAt,
        createdAt: sessions.createdAt,
        role: memberships.role,
        mfaEnabledAt: users.mfaEnabledAt,
        mfaRequired: workspaceSecurityPolicies.mfaRequired,
        sessionMaxAgeMs: workspaceSecurityPolicies.sessionMaxAgeMs,
      })
      .from(sessions)
      .leftJoin(memberships, and(eq(memberships.tenantId, sql.placeholder("tenant")), eq(memberships.userId, sessions.userId)))
      .leftJoin(users, eq(users.id, sessions.userId))
      .leftJoin(workspaceSecurityPolicies, eq(workspaceSecurityPolicies.tenantId, sql.placeholder("tenant")))
      .where(and(eq(sessions.id, sql.placeholder("sid")), eq(sessions.userId, sql.placeholder("sub"))))
      .prepare(),
  );

/**
 * Workspace access just confirmed (live session, member with this role), per isolate, for
 * ACCESS_CACHE_MS: a dashboard or API client making several requests a second reads the session ⋈
 * membership row once instead of on each (it was one of a scoped request's two D1 round trips).
 * Only confirmations are kept, so joining a workspace or signing in again is seen at once. Revoking
 * sessions and changing or removing a membership call forgetAccess(userId), so they apply at once
 * in the isolate that made them and within ACCESS_CACHE_MS in every other one — the same order of
 * staleness as a D1 read replica. Bounded; the oldest entries go first.
 */
export const ACCESS_CACHE_MS = 1000;
const ACCESS_CACHE_MAX = 5000;
interface ConfirmedAccess {
  role: Role;
  sessionExpiresAt: number;
  sessionCreatedAt: number;
  mfaEnabled: boolean;
  policy: WorkspaceAccessPolicy;
  at: number;
  userId: string;
}
const confirmedAccess = new Map<string, ConfirmedAccess>();

const accessKey = (sid: string, sub: string, tenant: string) => `${sid}\u0000${sub}\u0000${tenant}`;

/** This isolate's confirmation of the access, if it is still fresh. */
function freshAccess(key: string, now: number): ConfirmedAccess | undefined {
  const hit = confirmedAccess.get(key);
  return hit && now - hit.at < ACCESS_CACHE_MS && hit.sessionExpiresAt >= now ? hit : undefined;
}

type AccessRow = Awaited<ReturnType<ReturnType<typeof sessionMembership>["get"]>>;
const sessionMembershipRead = (db: Db, sid: string, sub: string, tenant: string): Read<AccessRow> =>
  readOne(sessionMembership(db), { sid, sub, tenant });

/** Workspace access from a session ⋈ membership row: a live session of a member (else 401 / 404), kept per isolate. */
function confirmAccess(key: string, sub: string, row: AccessRow, now: number): ConfirmedAccess {
  if (!row || row.revokedAt || row.expiresAt < now) throw unauthorized("This session has ended; sign in again.");
  if (!row.role) throw notFound("Workspace");
  confirmedAccess.delete(key);
  const oldest = confirmedAccess.keys().next();
  if (confirmedAccess.size >= ACCESS_CACHE_MAX && !oldest.done) confirmedAccess.delete(oldest.value);
  const access: ConfirmedAccess = {
    role: row.role as Role,
    sessionExpiresAt: row.expiresAt,
    sessionCreatedAt: row.createdAt,
    mfaEnabled: row.mfaEnabledAt !== null,
    policy: { mfaRequired: row.mfaRequired ?? false, sessionMaxAgeMs: row.sessionMaxAgeMs ?? null },
    at: now,
    userId: sub,
  };
  confirmedAccess.set(key, access);
  return access;
}

/** The member's role once the workspace's security policy (MFA required, session lifetime) lets them in. */
function allowedRole(access: ConfirmedAccess, now: number): Role {
  const refusal = memberPolicyRefusal(access.policy, access, now);
  if (refusal) throw refusal;
  return access.role;
}

/** Drops every confirmed access in this isolate (after a workspace's security policy changed). */
export function forgetAllAccess(): void {
  confirmedAccess.clear();
}

/** Drops the user's confirmed workspace access in this isolate (after revoking sessions or changing memberships). */
export function forgetAccess(userId: string): void {
  for (const [key, v] of confirmedAccess) if (v.userId === userId) confirmedAccess.delete(key);
}

/**
 * One middleware per access level, so authentication, session liveness, membership and
 * permission are checked in one place and (for users) one D1 round trip.
 */
export function accessMiddleware(access: Access): MiddlewareHandler<AppEnv>[] {
  if (access.auth === "public") return [];
  if (access.auth === "enduser") {
    return [
      async (c, next) => {
        const tenantId = await portalTenantId(c, c.req.param("portal") ?? "");
        await requireEndUser(c, tenantId);
        return next();
      },
    ];
  }
  return [
    async (c, next) => {
      const token = bearer(c);
      if (!token) throw unauthorized();
      const tenantHeader = c.req.header(TENANT_HEADER)?.trim() || null;

      if (token.startsWith(API_KEY_PREFIX)) {
        if (access.auth === "user") throw forbidden("API keys act for a workspace; this endpoint needs a signed-in user.");
        const principal = await authenticateApiKey(c, token);
        if (principal.kind !== "api_key") throw unauthorized();
        // A key is bound to one tenant: naming another one is the same as naming one that does not exist.
        if (tenantHeader && tenantHeader !== principal.tenantId) throw notFound("Workspace");
        if (access.permission && !principal.scopes.includes(access.permission)) {
          throw forbidden(`This API key lacks the \`${access.permission}\` scope.`);
        }
        c.set("principal", principal);
        c.set("tenant", { id: principal.tenantId, role: null });
        await enforceRateLimit(c, "RL_TENANT", principal.tenantId);
        return next();
      }

      const claims = await verifyAccessToken(token, getConfig(c.env).JWT_SECRET);
      if (!claims) {
        // A workspace's end users (portal customers) have tokens of their own audience: never staff access.
        if (looksLikeEndUserToken(token)) throw unauthorized("End-user (portal) tokens cannot call staff endpoints.");
        throw unauthorized("The access token is invalid or expired; refresh it or sign in again.");
      }
      const db = getDb(c.env.DB);

      if (access.auth === "user") {
        const s = await db
          .select({ revokedAt: sessions.revokedAt, expiresAt: sessions.expiresAt })
          .from(sessions)
          .where(and(eq(sessions.id, claims.sid), eq(sessions.userId, claims.sub)))
          .get();
        if (!s || s.revokedAt || s.expiresAt < Date.now()) throw unauthorized("This session has ended; sign in again.");
        c.set("principal", { kind: "user", userId: claims.sub, sessionId: claims.sid });
        return next();
      }

      if (!tenantHeader) throw badRequest(`The ${TENANT_HEADER} header is required for workspace endpoints.`);
      const key = accessKey(claims.sid, claims.sub, tenantHeader);
      const now = Date.now();
      const fresh = freshAccess(key, now);
      if (!fresh && access.batchAccess) {
        const pending: PendingAccess = {
          key,
          sid: claims.sid,
          sub: claims.sub,
          tenant: tenantHeader,
          permission: access.permission,
          state: "pending",
        };
        c.set("pendingAccess", pending);
        await next();
        if (pending.state !== "admitted" && pending.state !== "refused") {
          // Answered before tenantRead checked access (its input failed validation, or the read
          // failed): check it now, so a caller without access gets the same answer as anywhere else.
          await admit(c, pending, await sessionMembershipRead(db, claims.sid, claims.sub, tenantHeader).run());
          if (!c.error) throw new Error(`${c.req.method} ${c.req.path}: a batchAccess route answered without reading through tenantRead`);
        }
        return;
      }
      const confirmed =
        fresh ??
        confirmAccess(key, claims.sub, await sessionMembership(db).get({ sid: claims.sid, sub: claims.sub, tenant: tenantHeader }), now);
      const role = allowedRole(confirmed, now);
      if (access.permission && !roleHas(role, access.permission)) {
        throw forbidden(`Your role (${role}) does not allow \`${access.permission}\`.`);
      }
      c.set("principal", { kind: "user", userId: claims.sub, sessionId: claims.sid });
      c.set("tenant", { id: tenantHeader, role });
      await enforceRateLimit(c, "RL_TENANT", tenantHeader);
      return next();
    },
  ];
}

/** A user's workspace access that a batchAccess route checks with its first read (see tenantRead). */
export interface PendingAccess {
  key: string;
  sid: string;
  sub: string;
  tenant: string;
  permission?: Permission;
  state: "pending" | "reading" | "admitted" | "refused";
}

/** Checks a pending access against its lookup row — session, membership, security policy, permission — then RL_TENANT; sets principal and tenant. */
async function admit(c: Context<AppEnv>, p: PendingAccess, row: AccessRow): Promise<void> {
  const now = Date.now();
  try {
    const role = allowedRole(confirmAccess(p.key, p.sub, row, now), now);
    if (p.permission && !roleHas(role, p.permission)) throw forbidden(`Your role (${role}) does not allow \`${p.permission}\`.`);
    c.set("principal", { kind: "user", userId: p.sub, sessionId: p.sid });
    c.set("tenant", { id: p.tenant, role });
  } catch (e) {
    p.state = "refused";
    throw e;
  }
  p.state = "admitted";
  await enforceRateLimit(c, "RL_TENANT", p.tenant);
}

/**
 * The first D1 read of a `batchAccess` route, built for the request's workspace. When the access
 * middleware left the caller's access to be checked (no fresh confirmation in this isolate), the
 * session ⋈ membership lookup runs in the same D1 batch as this read, and the read's result is
 * returned only once access is granted: otherwise the same problem as on any tenant route is thrown
 * and the rows, read but never used, are dropped. Otherwise (access confirmed, or an API key) the read
 * runs alone. Until it returns, `currentTenantId(c)` and the principal are not set.
 */
export async function tenantRead<T>(c: Context<AppEnv>, read: (tenantId: string) => Read<T>): Promise<T> {
  const p = c.get("pendingAccess");
  if (p?.state === "pending") {
    p.state = "reading";
    const [row, data] = await readTogether(c.env.DB, sessionMembershipRead(getDb(c.env.DB), p.sid, p.sub, p.tenant), read(p.tenant));
    await admit(c, p, row);
    return data;
  }
  if (p && p.state !== "admitted") throw new Error("tenantRead: the workspace access of this request is not granted");
  return read(currentTenantId(c)).run();
}

/** The workspace of the request; only valid behind `auth: "tenant"` routes. */
export function currentTenantId(c: Context<AppEnv>): string {
  return c.get("tenant").id;
}

/** The signed-in user's id; only valid behind `auth: "user"` or a user on a tenant route. */
export function currentUserId(c: Context<AppEnv>): string {
  const p = c.get("principal");
  if (p?.kind !== "user") throw forbidden("This action needs a signed-in user, not an API key.");
  return p.userId;
}
