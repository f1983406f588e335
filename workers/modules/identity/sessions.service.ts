import { and, eq, isNull, ne } from "drizzle-orm";
import { refreshTokens, sessions } from "../../../schema/identity";
import { auditInsert, type Actor } from "../../platform/audit";
import { sha256Hex } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { forgetAccess } from "../../platform/auth";
import { unauthorized } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from "../../platform/jwt";

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

export interface IssuedTokens {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const newRefreshToken = () => `rt_${randomToken()}`;

/** A new login: a session (refresh-token family) plus its first refresh token and an access token. */
export async function startSession(db: Db, userId: string, actor: Actor, jwtSecret: string, reason = "auth.login"): Promise<IssuedTokens> {
  const now = Date.now();
  const sessionId = newId("ses");
  const refreshToken = newRefreshToken();
  await db.batch([
    db.insert(sessions).values({
      id: sessionId,
      userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + SESSION_TTL_MS,
    }),
    db.insert(refreshTokens).values({ id: newId("rtk"), sessionId, tokenHash: await sha256Hex(refreshToken), createdAt: now }),
    auditInsert(db, { ...actor, type: "user", id: userId }, { tenantId: null, action: reason, target: { type: "session", id: sessionId } }),
  ]);
  return { sessionId, refreshToken, accessToken: await signAccessToken(userId, sessionId, jwtSecret), expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/**
 * Rotates a refresh token. A token that was already rotated is a replay (stolen or leaked):
 * the whole session family is revoked and the caller must sign in again.
 */
export async function rotateRefreshToken(
  db: Db,
  presented: string,
  actor: Actor,
  jwtSecret: string,
): Promise<IssuedTokens & { userId: string }> {
  const hash = await sha256Hex(presented);
  const row = await db
    .select({
      tokenId: refreshTokens.id,
      rotatedAt: refreshTokens.rotatedAt,
      sessionId: sessions.id,
      userId: sessions.userId,
      revokedAt: sessions.revokedAt,
      expiresAt: sessions.expiresAt,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, hash))
    .get();
  if (!row) throw unauthorized("The refresh token is not valid; sign in again.");
  if (row.revokedAt || row.expiresAt < Date.now()) throw unauthorized("This session has ended; sign in again.");
  if (row.rotatedAt) {
    await revokeSessionFamily(db, row.sessionId, row.userId, "refresh_token_reuse", actor);
    throw unauthorized("This refresh token was already used. The session has been signed out for safety; sign in again.");
  }
  const now = Date.now();
  // Conditional update: of two concurrent refreshes with the same token, only one can rotate it.
  const claimed = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(and(eq(refreshTokens.id, row.tokenId), isNull(refreshTokens.rotatedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) {
    await revokeSessionFamily(db, row.sessionId, row.userId, "refresh_token_reuse", actor);
    throw unauthorized("This refresh token was already used. The session has been signed out for safety; sign in again.");
  }
  const refreshToken = newRefreshToken();
  await db.batch([
    db
      .insert(refreshTokens)
      .values({ id: newId("rtk"), sessionId: row.sessionId, tokenHash: await sha256Hex(refreshToken), createdAt: now }),
    db.update(sessions).set({ lastUsedAt: now, ip: actor.ip, userAgent: actor.userAgent }).where(eq(sessions.id, row.sessionId)),
  ]);
  return {
    userId: row.userId,
    sessionId: row.sessionId,
    refreshToken,
    accessToken: await signAccessToken(row.userId, row.sessionId, jwtSecret),
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
  };
}

export async function revokeSessionFamily(db: Db, sessionId: string, userId: string, reason: string, actor: Actor) {
  await db.batch([
    db
      .update(sessions)
      .set({ revokedAt: Date.now(), revokedReason: reason })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt))),
    auditInsert(db, actor, {
      tenantId: null,
      action: reason === "refresh_token_reuse" ? "session.refresh_reuse_detected" : "session.revoked",
      target: { type: "session", id: sessionId },
      metadata: { reason, user_id: userId },
    }),
  ]);
  forgetAccess(userId);
}

/** Ends every session of a user except `keepSessionId` (password change/reset). */
export function revokeOtherSessions(db: Db, userId: string, reason: string, keepSessionId?: string) {
  // The caller runs this statement in its batch right away; confirmed access is at most ACCESS_CACHE_MS old anyway.
  forgetAccess(userId);
  return db
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keepSessionId ? ne(sessions.id, keepSessionId) : undefined));
}
