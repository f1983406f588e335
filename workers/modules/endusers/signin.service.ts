import { auditInsert, type Actor } from "../../platform/audit";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { isKnownCustomer } from "../../platform/end-user-hooks";
import type { Env } from "../../platform/env";
import { forbidden, Problem } from "../../platform/errors";
import {
  createEndUser,
  ensureEmailFree,
  findEndUserByEmail,
  findEndUserByExternalId,
  getEndUser,
  updateEndUser,
  type EndUser,
} from "./accounts.service";
import { consumeSignInCode, consumeToken, issueCode, linkFor, mailEndUser, type ConsumedCode, type PortalMailer } from "./codes.service";
import type { VerifiedHandover } from "./handover";
import { endUserActor, revokeEndUserSessions, startEndUserSession, type EndUserTokens, type SignInMethod } from "./sessions.service";
import type { PortalSite } from "./settings.service";

/** Everything a sign-in flow needs about the request and the portal it happens on. */
export interface PortalCtx {
  env: Env;
  db: Db;
  site: PortalSite;
  mailer: PortalMailer;
  actor: Actor;
  jwtSecret: string;
}

export const invalidCredentials = () => new Problem(401, "invalid-credentials", "Sign-in failed", "The email or password is incorrect.");
const blocked = () => forbidden("This account is blocked. Contact the site's owner.");
const signupClosed = (site: PortalSite) =>
  forbidden(
    site.settings.signupPolicy === "invite"
      ? "Accounts on this site are by invitation. Ask the site's owner for one."
      : "Accounts on this site are for existing customers. Use the email you bought with, or contact the site's owner.",
  );

/** Whether the portal's sign-up policy lets a new account for `email` be created. */
export async function mayCreate(ctx: PortalCtx, email: string): Promise<boolean> {
  const policy = ctx.site.settings.signupPolicy;
  if (policy === "open") return true;
  if (policy === "customers") return isKnownCustomer(ctx.env, ctx.site.tenantId, email);
  return false; // invite: only accounts the workspace created (they exist already)
}

async function session(ctx: PortalCtx, user: EndUser, method: SignInMethod): Promise<{ user: EndUser; tokens: EndUserTokens }> {
  const tokens = await startEndUserSession(ctx.db, ctx.site.tenantId, user.id, method, ctx.actor, ctx.jwtSecret);
  return { user, tokens };
}

async function sendVerification(ctx: PortalCtx, user: EndUser) {
  const { token } = await issueCode(ctx.db, ctx.site.tenantId, { purpose: "verify_email", email: user.email, endUserId: user.id });
  await mailEndUser(ctx.mailer, user.email, "verify_email", { name: user.name || user.email, link: linkFor(ctx.mailer, "verify", token) });
}

export async function signUpWithPassword(ctx: PortalCtx, input: { email: string; password: string; name: string }) {
  await ensureEmailFree(ctx.db, ctx.site.tenantId, input.email);
  if (!(await mayCreate(ctx, input.email))) throw signupClosed(ctx.site);
  const user = await createEndUser(
    ctx.db,
    ctx.site.tenantId,
    { email: input.email, name: input.name, passwordHash: await hashPassword(input.password), source: "signup" },
    endUserActor(ctx.actor),
  );
  await sendVerification(ctx, user);
  return session(ctx, user, "signup");
}

/** Uniform 401 for an unknown email, a passwordless account and a wrong password (same PBKDF2 cost). */
export async function signInWithPassword(ctx: PortalCtx, email: string, password: string) {
  const user = await findEndUserByEmail(ctx.db, ctx.site.tenantId, email);
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user?.passwordHash || !ok) {
    await ctx.db.batch([
      auditInsert(ctx.db, endUserActor(ctx.actor), {
        tenantId: ctx.site.tenantId,
        action: "endusers.sign_in_failed",
        target: user ? { type: "end_user", id: user.id } : undefined,
      }),
    ]);
    throw invalidCredentials();
  }
  if (user.blockedAt) throw blocked();
  return session(ctx, user, "password");
}

/**
 * Emails a sign-in code + magic link when the address may sign in (an account that is not blocked,
 * or a new one the sign-up policy allows). The caller answers 202 either way: whether an address has
 * an account is not revealed.
 */
export async function requestSignInCode(ctx: PortalCtx, email: string, next?: string | null): Promise<boolean> {
  const user = await findEndUserByEmail(ctx.db, ctx.site.tenantId, email);
  if (user?.blockedAt) return false;
  if (!user && !(await mayCreate(ctx, email))) return false;
  const { token, code } = await issueCode(ctx.db, ctx.site.tenantId, { purpose: "sign_in", email, endUserId: user?.id ?? null });
  // `next` (already checked by the caller: a path on this site) brings the link back where sign-in began.
  const link = linkFor(ctx.mailer, "magic", token) + (next ? `&next=${encodeURIComponent(next)}` : "");
  await mailEndUser(ctx.mailer, email, "sign_in", { code, minutes: 15, link });
  return true;
}

/**
 * A proven address signs in: the account is created when missing (policy re-checked), its email is
 * verified, and a password set before the address was ever verified is dropped with its sessions —
 * whoever set it had not proven the address (an attacker pre-registering a customer's email).
 */
async function signInProven(ctx: PortalCtx, proof: ConsumedCode, method: SignInMethod) {
  let user = await findEndUserByEmail(ctx.db, ctx.site.tenantId, proof.email);
  if (!user) {
    if (!(await mayCreate(ctx, proof.email))) throw signupClosed(ctx.site);
    user = await createEndUser(ctx.db, ctx.site.tenantId, { email: proof.email, verified: true, source: "code" }, endUserActor(ctx.actor));
  } else if (user.blockedAt) {
    throw blocked();
  } else if (!user.emailVerifiedAt) {
    const unproven = user.passwordHash !== null && user.source === "signup";
    user = await updateEndUser(ctx.db, ctx.site.tenantId, user.id, {
      emailVerifiedAt: Date.now(),
      ...(unproven ? { passwordHash: null } : {}),
    });
    if (unproven) await revokeEndUserSessions(ctx.db, ctx.site.tenantId, user.id, "email_proven_by_another_sign_in");
  }
  return session(ctx, user, method);
}

export async function signInWithCode(ctx: PortalCtx, email: string, code: string) {
  return signInProven(ctx, await consumeSignInCode(ctx.db, ctx.site.tenantId, email, code), "code");
}

export async function signInWithMagicLink(ctx: PortalCtx, token: string) {
  return signInProven(ctx, await consumeToken(ctx.db, ctx.site.tenantId, token, ["sign_in"]), "magic_link");
}

/** Email verification and email change, both confirmed by the link sent to the (new) address. */
export async function confirmEmailToken(ctx: PortalCtx, token: string): Promise<EndUser> {
  const proof = await consumeToken(ctx.db, ctx.site.tenantId, token, ["verify_email", "change_email"]);
  if (!proof.endUserId) throw invalidCredentials();
  const user = await getEndUser(ctx.db, ctx.site.tenantId, proof.endUserId);
  if (user.blockedAt) throw blocked();
  if (proof.purpose === "verify_email") {
    if (user.email !== proof.email) return user; // the address changed since; nothing to verify
    return updateEndUser(ctx.db, ctx.site.tenantId, user.id, { emailVerifiedAt: user.emailVerifiedAt ?? Date.now() });
  }
  await ensureEmailFree(ctx.db, ctx.site.tenantId, proof.email);
  const [updated] = await Promise.all([
    updateEndUser(ctx.db, ctx.site.tenantId, user.id, { email: proof.email, emailVerifiedAt: Date.now() }),
    ctx.db.batch([
      auditInsert(ctx.db, endUserActor(ctx.actor), {
        tenantId: ctx.site.tenantId,
        action: "endusers.email_changed",
        target: { type: "end_user", id: user.id },
      }),
    ]),
  ]);
  return updated;
}

export async function requestPasswordReset(ctx: PortalCtx, email: string): Promise<void> {
  const user = await findEndUserByEmail(ctx.db, ctx.site.tenantId, email);
  if (!user || user.blockedAt) return;
  const { token } = await issueCode(ctx.db, ctx.site.tenantId, { purpose: "reset_password", email, endUserId: user.id });
  await mailEndUser(ctx.mailer, email, "reset_password", { name: user.name || email, link: linkFor(ctx.mailer, "reset", token) });
}

/** Sets the new password (the link proved the address, so it is verified too) and ends every session. */
export async function resetPassword(ctx: PortalCtx, token: string, password: string): Promise<void> {
  const proof = await consumeToken(ctx.db, ctx.site.tenantId, token, ["reset_password"]);
  if (!proof.endUserId) throw invalidCredentials();
  const user = await getEndUser(ctx.db, ctx.site.tenantId, proof.endUserId);
  if (user.blockedAt) throw blocked();
  const now = Date.now();
  await updateEndUser(ctx.db, ctx.site.tenantId, user.id, {
    passwordHash: await hashPassword(password),
    emailVerifiedAt: user.email === proof.email ? (user.emailVerifiedAt ?? now) : user.emailVerifiedAt,
  });
  await ctx.db.batch([
    revokeEndUserSessions(ctx.db, ctx.site.tenantId, user.id, "password_reset"),
    auditInsert(ctx.db, endUserActor(ctx.actor), {
      tenantId: ctx.site.tenantId,
      action: "endusers.password_reset",
      target: { type: "end_user", id: user.id },
    }),
  ]);
}

/**
 * Hand-over from the workspace's own accounts: its server vouches for the user (a JWT signed with
 * the portal's hand-over secret), so the account is found by external id, else by email, else
 * created — whatever the sign-up policy — and its email counts as verified.
 */
export async function signInWithHandover(ctx: PortalCtx, id: VerifiedHandover) {
  const tenantId = ctx.site.tenantId;
  let user = await findEndUserByExternalId(ctx.db, tenantId, id.externalId);
  if (!user) {
    const byEmail = await findEndUserByEmail(ctx.db, tenantId, id.email);
    if (byEmail) {
      if (byEmail.externalId && byEmail.externalId !== id.externalId) {
        throw new Problem(
          409,
          "external-id-mismatch",
          "Conflict",
          "This email belongs to an account linked to another user id of your system.",
        );
      }
      user = await updateEndUser(ctx.db, tenantId, byEmail.id, {
        externalId: id.externalId,
        emailVerifiedAt: byEmail.emailVerifiedAt ?? Date.now(),
        ...(id.name && !byEmail.name ? { name: id.name } : {}),
      });
    } else {
      user = await createEndUser(
        ctx.db,
        tenantId,
        { email: id.email, name: id.name ?? "", verified: true, source: "handover", externalId: id.externalId },
        endUserActor(ctx.actor),
      );
    }
  } else if (user.email !== id.email && !user.blockedAt) {
    // The workspace's system is the source of truth for its users' addresses.
    await ensureEmailFree(ctx.db, tenantId, id.email);
    user = await updateEndUser(ctx.db, tenantId, user.id, { email: id.email, emailVerifiedAt: Date.now() });
  }
  if (user.blockedAt) throw blocked();
  return session(ctx, user, "handover");
}
