import { eq } from "drizzle-orm";
import { users } from "../../../schema/identity";
import { auditInsert, type Actor } from "../../platform/audit";
import { DUMMY_PASSWORD_HASH, hashPassword, sha256Hex, verifyPassword } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { conflict, Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { type OutboxMessage, send } from "../messaging";
import { acceptInvitation, createTenantWithOwner } from "../tenancy";
import { publishEventSafely } from "../webhooks";
import type { Tenant } from "../../platform/directory";
import { revokeOtherSessions } from "./sessions.service";
import { consumeUserToken, issueUserToken } from "./user-tokens.service";
import { findUserByEmail, getUser, type User } from "./users.service";

export interface Mailer {
  db: Db;
  outbox: Queue<OutboxMessage>;
  origin: string;
}

export const invalidCredentials = () => new Problem(401, "invalid-credentials", "Sign-in failed", "The email or password is incorrect.");

export async function sendVerificationEmail(m: Mailer, user: User) {
  const token = await issueUserToken(m.db, user.id, "verify_email");
  await send(m.db, m.outbox, {
    tenantId: null,
    to: { email: user.email },
    channels: ["email"],
    template: "auth.verify_email",
    data: { name: user.name, link: `${m.origin}/verify-email?token=${token}` },
    category: "security",
  });
}

/**
 * Creates the account and either a first workspace (owner) or, with an invite token, joins the
 * inviting workspace. A failed invite acceptance removes the just-created user, so nothing is half-made.
 */
export async function signUp(
  m: Mailer,
  input: { email: string; password: string; name: string; workspaceName?: string; inviteToken?: string },
  actor: Actor,
): Promise<{ user: User; tenant: Tenant | null; tenantId: string; role: string }> {
  const { db } = m;
  if (await findUserByEmail(db, input.email)) {
    throw conflict("An account with this email already exists. Sign in, or reset your password.", "email-taken");
  }
  const now = Date.now();
  const user: User = {
    id: newId("usr"),
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    emailVerifiedAt: null,
    mfaSecret: null,
    mfaEnabledAt: null,
    mfaLastStep: null,
    createdAt: now,
    updatedAt: now,
  };
  const userActor = { ...actor, type: "user" as const, id: user.id };
  await db.batch([
    db.insert(users).values(user),
    auditInsert(db, userActor, { tenantId: null, action: "auth.signup", target: { type: "user", id: user.id } }),
  ]);

  if (input.inviteToken) {
    try {
      const joined = await acceptInvitation(db, { token: input.inviteToken, userId: user.id, userEmail: user.email }, userActor, {
        origin: m.origin,
      });
      // The invite link reached this address, which proves the user controls it.
      await db.update(users).set({ emailVerifiedAt: Date.now() }).where(eq(users.id, user.id));
      await publishEventSafely(db, m.outbox, {
        tenantId: joined.tenantId,
        type: "member.joined",
        data: { user_id: user.id, role: joined.role },
      });
      return { user: { ...user, emailVerifiedAt: Date.now() }, tenant: null, tenantId: joined.tenantId, role: joined.role };
    } catch (e) {
      await db.delete(users).where(eq(users.id, user.id));
      throw e;
    }
  }
  const tenant = await createTenantWithOwner(
    db,
    { name: input.workspaceName ?? `${input.name}'s workspace`, ownerUserId: user.id },
    userActor,
  );
  await sendVerificationEmail(m, user);
  return { user, tenant, tenantId: tenant.id, role: "owner" };
}

/** Password check with the same work and the same answer whether or not the account exists. */
export async function checkPassword(db: Db, email: string, password: string, actor: Actor): Promise<User> {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) {
    if (user)
      await auditInsert(
        db,
        { ...actor, type: "user", id: user.id },
        { tenantId: null, action: "auth.login_failed", target: { type: "user", id: user.id } },
      );
    throw invalidCredentials();
  }
  return user;
}

export async function verifyEmail(db: Db, token: string, actor: Actor): Promise<User> {
  const userId = await consumeUserToken(db, token, "verify_email");
  const now = Date.now();
  await db.batch([
    db.update(users).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, userId)),
    auditInsert(
      db,
      { ...actor, type: "user", id: userId },
      { tenantId: null, action: "auth.email_verified", target: { type: "user", id: userId } },
    ),
  ]);
  return (await getUser(db, userId))!;
}

/** Always succeeds from the caller's view; only a real account gets an email. */
export async function requestPasswordReset(m: Mailer, email: string, actor: Actor): Promise<void> {
  const user = await findUserByEmail(m.db, email);
  if (!user) return;
  const token = await issueUserToken(m.db, user.id, "reset_password");
  await auditInsert(
    m.db,
    { ...actor, type: "user", id: user.id },
    { tenantId: null, action: "auth.password_reset_requested", target: { type: "user", id: user.id } },
  );
  await send(m.db, m.outbox, {
    tenantId: null,
    to: { email: user.email },
    channels: ["email"],
    template: "auth.reset_password",
    data: { name: user.name, link: `${m.origin}/reset-password?token=${token}` },
    category: "security",
    idempotencyKey: `reset:${await sha256Hex(token)}`,
  });
}

/** Sets a new password from a reset link; every session ends (the old password may be compromised). */
export async function resetPassword(m: Mailer, token: string, password: string, actor: Actor): Promise<void> {
  const userId = await consumeUserToken(m.db, token, "reset_password");
  const now = Date.now();
  await m.db.batch([
    m.db
      .update(users)
      .set({ passwordHash: await hashPassword(password), emailVerifiedAt: now, updatedAt: now })
      .where(eq(users.id, userId)),
    revokeOtherSessions(m.db, userId, "password_reset"),
    auditInsert(
      m.db,
      { ...actor, type: "user", id: userId },
      { tenantId: null, action: "auth.password_reset", target: { type: "user", id: userId } },
    ),
  ]);
  await notifyPasswordChanged(m, userId);
}

export async function changePassword(m: Mailer, user: User, current: string, next: string, sessionId: string, actor: Actor): Promise<void> {
  if (!(await verifyPassword(current, user.passwordHash))) {
    throw new Problem(400, "wrong-password", "Current password is incorrect", "The current password you entered is incorrect.", {
      errors: [{ path: "current_password", message: "Incorrect password" }],
    });
  }
  const now = Date.now();
  await m.db.batch([
    m.db
      .update(users)
      .set({ passwordHash: await hashPassword(next), updatedAt: now })
      .where(eq(users.id, user.id)),
    revokeOtherSessions(m.db, user.id, "password_changed", sessionId),
    auditInsert(m.db, actor, { tenantId: null, action: "auth.password_changed", target: { type: "user", id: user.id } }),
  ]);
  await notifyPasswordChanged(m, user.id);
}

async function notifyPasswordChanged(m: Mailer, userId: string) {
  const user = await getUser(m.db, userId);
  if (!user) return;
  await send(m.db, m.outbox, {
    tenantId: null,
    to: { email: user.email },
    channels: ["email"],
    template: "auth.password_changed",
    data: { name: user.name },
    category: "security",
  });
}
