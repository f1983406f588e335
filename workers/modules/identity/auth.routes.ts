import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentUserId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { sha256Hex } from "../../platform/crypto";
import { MFA_TOKEN_TTL_SECONDS, signMfaToken, verifyMfaToken } from "../../platform/jwt";
import { enforceRateLimit } from "../../platform/ratelimit";
import { appOrigin, clientIp } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { unauthorized } from "../../platform/errors";
import { listUserWorkspaces } from "../tenancy";
import { syncPaidSeats } from "../billing";
import {
  checkPassword,
  requestPasswordReset,
  resetPassword,
  sendVerificationEmail,
  signUp,
  verifyEmail,
  type Mailer,
} from "./account.service";
import { verifySecondFactor } from "./mfa.service";
import * as s from "./schemas";
import { revokeSessionFamily, rotateRefreshToken, startSession, type IssuedTokens } from "./sessions.service";
import { getUser, serializeUser, type User } from "./users.service";
import { recordProductEvent } from "../../platform/product-events";

export const authRoutes = createRouter();
const tags = ["Authentication"];

const mailer = (c: Context<AppEnv>): Mailer => ({ db: getDb(c.env.DB), outbox: c.env.OUTBOX, origin: appOrigin(c) });
const tokensBody = (t: IssuedTokens, user: User) => ({
  access_token: t.accessToken,
  refresh_token: t.refreshToken,
  token_type: "Bearer" as const,
  expires_in: t.expiresIn,
  user: serializeUser(user),
});

/** Per-IP and per-account budgets for credential endpoints. */
async function limitCredentialAttempts(c: Context<AppEnv>, account?: string) {
  await enforceRateLimit(c, "RL_AUTH", `ip:${clientIp(c)}`);
  if (account) await enforceRateLimit(c, "RL_AUTH", `acct:${await sha256Hex(account)}`);
}

authRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/auth/signup",
      tags,
      summary: "Create an account (and a first workspace, or join one with an invite token)",
      request: jsonBody(s.signupBodySchema),
      responses: {
        201: jsonResponse(s.signupResponseSchema, "Signed up and signed in"),
        402: problemDoc("Joining with an invite token: the workspace has no free seat"),
        409: problemDoc("Email already registered"),
      },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    await limitCredentialAttempts(c);
    const actor = actorOf(c);
    const result = await signUp(
      mailer(c),
      { email: body.email, password: body.password, name: body.name, workspaceName: body.workspace_name, inviteToken: body.invite_token },
      actor,
    );
    if (body.invite_token) await syncPaidSeats(c.env, result.tenantId, appOrigin(c), { ...actor, type: "user", id: result.user.id });
    const db = getDb(c.env.DB);
    const tokens = await startSession(db, result.user.id, actor, getConfig(c.env).JWT_SECRET, "auth.session_started");
    const memberships = await listUserWorkspaces(db, result.user.id);
    const tenant = result.tenant ? { id: result.tenant.id, name: result.tenant.name, slug: result.tenant.slug } : null;
    await recordProductEvent(c.env, {
      name: "signed_up",
      userId: result.user.id,
      tenantId: result.tenantId,
      props: { invited: !!body.invite_token },
    });
    return c.json({ ...tokensBody(tokens, result.user), tenant, memberships }, 201);
  },
);

authRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/auth/login",
      tags,
      summary: "Sign in with email and password (may require a second factor)",
      request: jsonBody(s.loginBodySchema),
      responses: {
        200: jsonResponse(s.tokensSchema.or(s.mfaRequiredSchema), "Signed in, or a second factor is needed"),
        401: problemDoc("Wrong email or password (uniform answer)"),
      },
    },
  ),
  async (c) => {
    const { email, password } = c.req.valid("json");
    await limitCredentialAttempts(c, email);
    const db = getDb(c.env.DB);
    const actor = actorOf(c);
    const user = await checkPassword(db, email, password, actor);
    const config = getConfig(c.env);
    if (user.mfaEnabledAt) {
      return c.json(
        { mfa_required: true as const, mfa_token: await signMfaToken(user.id, config.JWT_SECRET), expires_in: MFA_TOKEN_TTL_SECONDS },
        200,
      );
    }
    return c.json(tokensBody(await startSession(db, user.id, actor, config.JWT_SECRET), user), 200);
  },
);

authRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/auth/login/mfa",
      tags,
      summary: "Complete sign-in with a TOTP code or a recovery code",
      request: jsonBody(s.loginMfaBodySchema),
      responses: { 200: jsonResponse(s.tokensSchema, "Signed in") },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const config = getConfig(c.env);
    const claims = await verifyMfaToken(body.mfa_token, config.JWT_SECRET);
    if (!claims) throw unauthorized("The sign-in step expired; enter your email and password again.");
    await limitCredentialAttempts(c, `mfa:${claims.sub}`);
    const db = getDb(c.env.DB);
    const user = await getUser(db, claims.sub);
    if (!user) throw unauthorized();
    const actor = { ...actorOf(c), type: "user" as const, id: user.id };
    await verifySecondFactor(db, user, body, config.ENCRYPTION_KEY, actor);
    return c.json(tokensBody(await startSession(db, user.id, actor, config.JWT_SECRET), user), 200);
  },
);

authRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/auth/refresh",
      tags,
      summary: "Exchange a refresh token for new tokens (rotates; reuse ends the session)",
      request: jsonBody(s.refreshBodySchema),
      responses: { 200: jsonResponse(s.tokensSchema, "New token pair") },
    },
  ),
  async (c) => {
    const { refresh_token } = c.req.valid("json");
    const db = getDb(c.env.DB);
    const t = await rotateRefreshToken(db, refresh_token, actorOf(c), getConfig(c.env).JWT_SECRET);
    const user = await getUser(db, t.userId);
    if (!user) throw unauthorized();
    return c.json(tokensBody(t, user), 200);
  },
);

authRoutes.openapi(
  defineRoute(
    { auth: "user" },
    {
      method: "post",
      path: "/auth/logout",
      tags,
      summary: "Sign out: ends this session and its refresh tokens",
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    const p = c.get("principal");
    if (p.kind === "user") await revokeSessionFamily(getDb(c.env.DB), p.sessionId, p.userId, "logout", actorOf(c));
    return c.body(null, 204);
  },
);

authRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/auth/verify-email",
      tags,
      summary: "Confirm an email address with the token from the email",
      request: jsonBody(s.tokenBodySchema),
      responses: { 200: jsonResponse(s.userSchema, "Email confirmed"), 410: problemDoc("Invalid, used or expired token") },
    },
  ),
  async (c) => {
    const user = await verifyEmail(getDb(c.env.DB), c.req.valid("json").token, actorOf(c));
    await recordProductEvent(c.env, { name: "email_verified", userId: user.id });
    return c.json(serializeUser(user), 200);
  },
);

authRoutes.openapi(
  defineRoute(
    { auth: "user" },
    {
      method: "post",
      path: "/auth/verify-email/resend",
      tags,
      summary: "Send a new verification email",
      responses: { 202: jsonResponse(s.acceptedSchema, "Sent if not yet verified") },
    },
  ),
  async (c) => {
    await enforceRateLimit(c, "RL_AUTH", `verify:${currentUserId(c)}`);
    const user = await getUser(getDb(c.env.DB), currentUserId(c));
    if (user && !user.emailVerifiedAt) await sendVerificationEmail(mailer(c), user);
    return c.json({ status: "accepted" as const, message: "If your email is not verified yet, a new link is on its way." }, 202);
  },
);

authRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/auth/password/forgot",
      tags,
      summary: "Email a password reset link (same answer whether or not the account exists)",
      request: jsonBody(s.forgotBodySchema),
      responses: { 202: jsonResponse(s.acceptedSchema, "Accepted") },
    },
  ),
  async (c) => {
    const { email } = c.req.valid("json");
    await limitCredentialAttempts(c, `reset:${email}`);
    await requestPasswordReset(mailer(c), email, actorOf(c));
    return c.json({ status: "accepted" as const, message: "If an account exists for that email, a reset link is on its way." }, 202);
  },
);

authRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/auth/password/reset",
      tags,
      summary: "Set a new password with a reset token; signs out every session",
      request: jsonBody(s.resetBodySchema),
      responses: { 200: jsonResponse(s.okSchema, "Password changed"), 410: problemDoc("Invalid, used or expired token") },
    },
  ),
  async (c) => {
    const { token, password } = c.req.valid("json");
    await resetPassword(mailer(c), token, password, actorOf(c));
    return c.json({ status: "ok" as const }, 200);
  },
);
