import { and, desc, eq, isNull, ne } from "drizzle-orm";
import { endUserRefreshTokens, endUserSessions, endUsers } from "../../../schema/endusers";
import { auditInsert, type Actor } from "../../platform/audit";
import { sha256Hex } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { forbidden, notFound, unauthorized } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { ACCESS_TOKEN_TTL_SECONDS, signEndUserToken } from "../../platform/jwt";

/** End-user sessions: the same refresh-token families as staff sessions (modules/identity), per workspace. */
export const END_USER_SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
export type SignInMethod = (typeof endUserSessions.$inferInsert)["method"];

export interface EndUserTokens {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const newRefreshToken = () => `eurt_${randomToken()}`;
/** Audit rows of end users' own actions: the end user is the actor (type "system" + metadata, audit has no end-user type). */
export const endUserActor = (actor: Actor): Actor => ({ ...actor, type: "system", id: null });

export async function startEndUserSession(
  db: Db,
  tenantId: string,
  endUserId: string,
  method: SignInMethod,
  actor: Actor,
  jwtSecret: string,
): Promise<EndUserTokens> {
  const now = Date.now();
  const sessionId = newId("eus");
  const refreshToken = newRefreshToken();
  await db.batch([
    db.insert(endUserSessions).values({
      tenantId,
      id: sessionId,
      endUserId,
      method,
      ip: actor.ip,
      userAgent: actor.userAgent,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + END_USER_SESSION_TTL_MS,
    }),
    db
      .insert(endUserRefreshTokens)
      .values({ tenantId, id: newId("eurt"), sessionId, tokenHash: await sha256Hex(refreshToken), createdAt: now }),
    db
      .update(endUsers)
      .set({ lastSeenAt: now })
      .where(and(eq(endUsers.tenantId, tenantId), eq(endUsers.id, endUserId))),
    auditInsert(db, endUserActor(actor), {
      tenantId,
      action: "endusers.signed_in",
      target: { type: "end_user", id: endUserId },
      metadata: { method, session_id: sessionId },
    }),
  ]);
  return {
    sessionId,
    refreshToken,
    accessToken: await signEndUserToken(endUserId, sessionId, tenantId, jwtSecret),
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
  };
}

/**
 * Rotates a refresh token of this workspace. A token already rotated is a replay (stolen or leaked):
 * the whole session is revoked. Blocked end users cannot refresh.
 */
export async function rotateEndUserRefresh(
  db: Db,
  tenantId: string,
  presented: string,
  actor: Actor,
  jwtSecret: string,
): Promise<EndUserTokens & { endUserId: string }> {
  const row = await db
    .select({
      tokenId: endUserRefreshTokens.id,
      rotatedAt: endUserRefreshTokens.rotatedAt,
      sessionId: endUserSessions.id,
      endUserId: endUserSessions.endUserId,
      revokedAt: endUserSessions.revokedAt,
      expiresAt: endUserSessions.expiresAt,
      blockedAt: endUsers.blockedAt,
    })
    .from(endUserRefreshTokens)
    .innerJoin(endUserSessions, and(eq(endUserSessions.tenantId, tenantId), eq(endUserSessions.id, endUserRefreshTokens.sessionId)))
    .innerJoin(endUsers, and(eq(endUsers.tenantId, tenantId), eq(endUsers.id, endUserSessions.endUserId)))
    .where(and(eq(endUserRefreshTokens.tenantId, tenantId), eq(endUserRefreshTokens.tokenHash, await sha256Hex(presented))))
    .get();
  if (!row) throw unauthorized("The refresh token is not valid; sign in again.");
  if (row.revokedAt || row.expiresAt < Date.now()) throw unauthorized("This session has ended; sign in again.");
  if (row.blockedAt) throw forbidden("This account is blocked. Contact the site's owner.");
  const reuse = async () => {
    await revokeEndUserSession(db, tenantId, row.sessionId, row.endUserId, "refresh_token_reuse", actor);
    return unauthorized("This refresh token was already used. The session has been signed out for safety; sign in again.");
  };
  if (row.rotatedAt) throw await reuse();
  const now = Date.now();
  // Conditional update: of two concurrent refreshes with the same token only one rotates it.
  const claimed = await db
    .update(endUserRefreshTokens)
    .set({ rotatedAt: now })
    .where(
      and(eq(endUserRefreshTokens.tenantId, tenantId), eq(endUserRefreshTokens.id, row.tokenId), isNull(endUserRefreshTokens.rotatedAt)),
    )
    .returning({ id: endUserRefreshTokens.id });
  if (claimed.length === 0) throw await reuse();
  const refreshToken = newRefreshToken();
  await db.batch([
    db
      .insert(endUserRefreshTokens)
      .values({ tenantId, id: newId("eurt"), sessionId: row.sessionId, tokenHash: await sha256Hex(refreshToken), createdAt: now }),
    db
      .update(endUserSessions)
      .set({ lastUsedAt: now, ip: actor.ip, userAgent: actor.userAgent })
      .where(and(eq(endUserSessions.tenantId, tenantId), eq(endUserSessions.id, row.sessionId))),
    db
      .update(endUsers)
      .set({ lastSeenAt: now })
      .where(and(eq(endUsers.tenantId, tenantId), eq(endUsers.id, row.endUserId))),
  ]);
  return {
    endUserId: row.endUserId,
    sessionId: row.sessionId,
    refreshToken,
    accessToken: await signEndUserToken(row.endUserId, row.sessionId, tenantId, jwtSecret),
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
  };
}

export async function revokeEndUserSession(db: Db, tenantId: string, sessionId: string, endUserId: string, reason: string, actor: Actor) {
  await db.batch([
    db
      .update(endUserSessions)
      .set({ revokedAt: Date.now(), revokedReason: reason })
      .where(and(eq(endUserSessions.tenantId, tenantId), eq(endUserSessions.id, sessionId), isNull(endUserSessions.revokedAt))),
    auditInsert(db, endUserActor(actor), {
      tenantId,
      action: reason === "refresh_token_reuse" ? "endusers.refresh_reuse_detected" : "endusers.signed_out",
      target: { type: "end_user", id: endUserId },
      metadata: { reason, session_id: sessionId },
    }),
  ]);
}

/** Ends every session of an end user except `keepSessionId` (password reset/change, block, email change). */
export function revokeEndUserSessions(db: Db, tenantId: string, endUserId: string, reason: string, keepSessionId?: string) {
  return db
    .update(endUserSessions)
    .set({ revokedAt: Date.now(), revokedReason: reason })
    .where(
      and(
        eq(endUserSessions.tenantId, tenantId),
        eq(endUserSessions.endUserId, endUserId),
        isNull(endUserSessions.revokedAt),
        keepSessionId ? ne(endUserSessions.id, keepSessionId) : undefined,
      ),
    );
}

/** An end user's live sessions (not revoked, not expired), newest use first. */
export async function listEndUserSessions(db: Db, tenantId: string, endUserId: string) {
  const now = Date.now();
  const rows = await db
    .select()
    .from(endUserSessions)
    .where(and(eq(endUserSessions.tenantId, tenantId), eq(endUserSessions.endUserId, endUserId), isNull(endUserSessions.revokedAt)))
    .orderBy(desc(endUserSessions.lastUsedAt))
    .limit(100);
  return rows.filter((r) => r.expiresAt > now);
}

/** Ends one of the end user's own sessions (another end user's id → 404). */
export async function revokeOwnEndUserSession(db: Db, tenantId: string, endUserId: string, sessionId: string, actor: Actor) {
  const own = (await listEndUserSessions(db, tenantId, endUserId)).find((r) => r.id === sessionId);
  if (!own) throw notFound("Session");
  await revokeEndUserSession(db, tenantId, sessionId, endUserId, "revoked_by_user", actor);
}
