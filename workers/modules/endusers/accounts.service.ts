import { and, eq, inArray, isNotNull, isNull, or, sql, type SQLWrapper } from "drizzle-orm";
import { endUserCodes, endUserRefreshTokens, endUserSessions, endUsers, type EndUserSource } from "../../../schema/endusers";
import { auditInsert, type Actor } from "../../platform/audit";
import { sha256Hex } from "../../platform/crypto";
import { containsPattern, tenantScope, type Db } from "../../platform/db";
import { eraseEndUserEverywhere } from "../../platform/end-user-hooks";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { revokeEndUserSessions } from "./sessions.service";

export type EndUser = typeof endUsers.$inferSelect;

export async function findEndUserByEmail(db: Db, tenantId: string, email: string): Promise<EndUser | undefined> {
  return db
    .select()
    .from(endUsers)
    .where(tenantScope(db, tenantId).where(endUsers, eq(endUsers.email, email)))
    .get();
}

export async function findEndUserByExternalId(db: Db, tenantId: string, externalId: string): Promise<EndUser | undefined> {
  return db
    .select()
    .from(endUsers)
    .where(tenantScope(db, tenantId).where(endUsers, eq(endUsers.externalId, externalId)))
    .get();
}

export async function getEndUser(db: Db, tenantId: string, id: string): Promise<EndUser> {
  const row = await db
    .select()
    .from(endUsers)
    .where(tenantScope(db, tenantId).where(endUsers, eq(endUsers.id, id)))
    .get();
  if (!row) throw notFound("End user");
  return row;
}

/** What the end user sees of themselves (`me`). */
export const serializeSelf = (u: EndUser) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  email_verified: u.emailVerifiedAt !== null,
  has_password: u.passwordHash !== null,
  created_at: iso(u.createdAt),
});

/** What the workspace's staff see (the end-user list and detail). */
export const serializeForStaff = (u: EndUser) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  email_verified: u.emailVerifiedAt !== null,
  has_password: u.passwordHash !== null,
  blocked: u.blockedAt !== null,
  blocked_at: iso(u.blockedAt),
  blocked_reason: u.blockedReason,
  external_id: u.externalId,
  source: u.source,
  invited_at: iso(u.invitedAt),
  last_seen_at: iso(u.lastSeenAt),
  created_at: iso(u.createdAt),
  updated_at: iso(u.updatedAt),
});

export interface NewEndUser {
  email: string;
  name?: string;
  passwordHash?: string | null;
  verified?: boolean;
  source: EndUserSource;
  externalId?: string | null;
}

const taken = () => conflict("An account with this email already exists on this site. Sign in, or ask for a sign-in code.", "email-taken");

/** Inserts an end user (409 when the email is taken in this workspace), audited in the same batch. */
export async function createEndUser(db: Db, tenantId: string, input: NewEndUser, actor: Actor): Promise<EndUser> {
  const now = Date.now();
  const row: EndUser = {
    tenantId,
    id: newId("eu"),
    email: input.email,
    name: input.name ?? "",
    passwordHash: input.passwordHash ?? null,
    emailVerifiedAt: input.verified ? now : null,
    blockedAt: null,
    blockedReason: null,
    externalId: input.externalId ?? null,
    source: input.source,
    invitedAt: input.source === "invite" ? now : null,
    lastSeenAt: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.batch([
      db.insert(endUsers).values(row),
      auditInsert(db, actor, {
        tenantId,
        action: "endusers.created",
        target: { type: "end_user", id: row.id },
        metadata: { source: input.source },
      }),
    ]);
  } catch (e) {
    if (String((e as Error)?.message ?? e).includes("UNIQUE")) throw taken();
    throw e;
  }
  return row;
}

export async function ensureEmailFree(db: Db, tenantId: string, email: string): Promise<void> {
  if (await findEndUserByEmail(db, tenantId, email)) throw taken();
}

export async function updateEndUser(db: Db, tenantId: string, id: string, set: Partial<EndUser>): Promise<EndUser> {
  const [row] = await db
    .update(endUsers)
    .set({ ...set, updatedAt: Date.now() })
    .where(tenantScope(db, tenantId).where(endUsers, eq(endUsers.id, id)))
    .returning();
  if (!row) throw notFound("End user");
  return row;
}

export async function listEndUsers(db: Db, tenantId: string, q: PageQuery & { q?: string; blocked?: boolean }) {
  const page = keyset(endUsers.createdAt, endUsers.id, q.cursor);
  const pattern = q.q ? containsPattern(q.q.toLowerCase()) : null;
  const likeEscaped = (col: SQLWrapper) => sql`${col} like ${pattern} escape '\\'`;
  const rows = await db
    .select()
    .from(endUsers)
    .where(
      tenantScope(db, tenantId).where(
        endUsers,
        page.where,
        pattern ? or(likeEscaped(endUsers.email), likeEscaped(endUsers.name)) : undefined,
        q.blocked === undefined ? undefined : q.blocked ? isNotNull(endUsers.blockedAt) : isNull(endUsers.blockedAt),
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeForStaff);
}

export async function setBlocked(db: Db, tenantId: string, id: string, blocked: boolean, reason: string | null, actor: Actor) {
  const user = await getEndUser(db, tenantId, id);
  const now = Date.now();
  const stmts = [
    db
      .update(endUsers)
      .set(
        blocked
          ? { blockedAt: user.blockedAt ?? now, blockedReason: reason, updatedAt: now }
          : { blockedAt: null, blockedReason: null, updatedAt: now },
      )
      .where(tenantScope(db, tenantId).where(endUsers, eq(endUsers.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: blocked ? "endusers.blocked" : "endusers.unblocked",
      target: { type: "end_user", id },
      metadata: blocked && reason ? { reason } : {},
    }),
  ] as const;
  // Blocking ends every session at once (a blocked token is refused anyway; this makes it final).
  if (blocked) await db.batch([...stmts, revokeEndUserSessions(db, tenantId, id, "blocked")]);
  else await db.batch(stmts);
  return getEndUser(db, tenantId, id);
}

/**
 * GDPR erase: every module that registered an eraser (platform/end-user-hooks.ts) removes the
 * end user's rows first; then this module's rows (sessions, refresh tokens, codes, the account) go in
 * one batch with the audit row (the email is kept only as a hash, to answer "was X erased?").
 * If an eraser fails the account stays and the call can be repeated.
 */
export async function eraseEndUser(env: Env, db: Db, tenantId: string, id: string, actor: Actor, by: "staff" | "self") {
  const user = await getEndUser(db, tenantId, id);
  const modules = await eraseEndUserEverywhere(env, { tenantId, endUserId: id, email: user.email });
  const sessionIds = db
    .select({ id: endUserSessions.id })
    .from(endUserSessions)
    .where(and(eq(endUserSessions.tenantId, tenantId), eq(endUserSessions.endUserId, id)));
  await db.batch([
    db
      .delete(endUserRefreshTokens)
      .where(and(eq(endUserRefreshTokens.tenantId, tenantId), inArray(endUserRefreshTokens.sessionId, sessionIds))),
    db.delete(endUserSessions).where(and(eq(endUserSessions.tenantId, tenantId), eq(endUserSessions.endUserId, id))),
    db
      .delete(endUserCodes)
      .where(and(eq(endUserCodes.tenantId, tenantId), or(eq(endUserCodes.endUserId, id), eq(endUserCodes.email, user.email)))),
    db.delete(endUsers).where(tenantScope(db, tenantId).where(endUsers, eq(endUsers.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: by === "self" ? "endusers.deleted_own_account" : "endusers.erased",
      target: { type: "end_user", id },
      metadata: { email_sha256: await sha256Hex(user.email), modules },
    }),
  ]);
  return modules;
}
