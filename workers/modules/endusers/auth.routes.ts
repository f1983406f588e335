import { cors } from "hono/cors";
import { getDb } from "../../platform/db";
import { portalTenantId } from "../../platform/end-users";
import { unauthorized } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { getEndUser } from "./accounts.service";
import { handoverSecretOf, portalSite, requireEnabled, serializePortalSite } from "./settings.service";
import { verifyHandover } from "./handover";
import { limitAttempts, portalCtxOf, tokensBody } from "./portal.context";
import * as s from "./schemas";
import { rotateEndUserRefresh } from "./sessions.service";
import {
  confirmEmailToken,
  requestPasswordReset,
  requestSignInCode,
  resetPassword,
  signInWithCode,
  signInWithHandover,
  signInWithMagicLink,
  signInWithPassword,
  signUpWithPassword,
} from "./signin.service";
import { serializeSelf } from "./accounts.service";

/**
 * End-user sign-in on `/public/v1/portal/{portal}/…` (mounted at /public/v1). `{portal}` is the
 * workspace's slug (the hosted portal, /portal/<slug>) or its publishable key (its own site, from an
 * allowed Origin). Tokens travel in bodies and the Authorization header, never cookies, so CORS may
 * answer any origin; a publishable key still checks the Origin on each request.
 */
export const portalAuthRoutes = createRouter();
const tags = ["End users (portal)"];
const P = "/portal/{portal}";

portalAuthRoutes.use(
  "/portal/*",
  cors({
    origin: (o) => o,
    allowHeaders: ["Authorization", "Content-Type"],
    allowMethods: ["GET", "POST", "PATCH", "DELETE"],
    maxAge: 600,
  }),
);

const accepted = (message: string) => ({ status: "accepted" as const, message });
const emailSent = "If this address may sign in here, an email with a code and a link is on its way.";

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: P,
      tags,
      summary: "The portal's brand and ways in (for a sign-in page)",
      request: { params: s.portalParam },
      responses: { 200: jsonResponse(s.portalInfoSchema, "Portal"), 404: problemDoc("No such portal, or it is turned off") },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const site = await portalSite(db, await portalTenantId(c, c.req.valid("param").portal));
    requireEnabled(site);
    return c.json(await serializePortalSite(c.env, site, appOrigin(c)), 200);
  },
);

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: `${P}/auth/signup`,
      tags,
      summary: "Create an end-user account with a password (per the portal's sign-up policy); sends a verification email",
      request: { params: s.portalParam, ...jsonBody(s.signupBody) },
      responses: {
        201: jsonResponse(s.endUserTokensSchema, "Signed up and signed in"),
        403: problemDoc("The sign-up policy does not allow this address"),
        409: problemDoc("The email already has an account here"),
      },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    await limitAttempts(c, ctx, body.email);
    const { user, tokens } = await signUpWithPassword(ctx, body);
    return c.json(tokensBody(tokens, user), 201);
  },
);

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: `${P}/auth/signin`,
      tags,
      summary: "Sign in with email and password",
      request: { params: s.portalParam, ...jsonBody(s.signinBody) },
      responses: {
        200: jsonResponse(s.endUserTokensSchema, "Signed in"),
        401: problemDoc("Wrong email or password (uniform answer)"),
        403: problemDoc("The account is blocked"),
      },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    await limitAttempts(c, ctx, body.email);
    const { user, tokens } = await signInWithPassword(ctx, body.email, body.password);
    return c.json(tokensBody(tokens, user), 200);
  },
);

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: `${P}/auth/code`,
      tags,
      summary: "Email a 6-digit sign-in code and a magic link (15 minutes, single use); 202 whether or not the address has an account",
      request: { params: s.portalParam, ...jsonBody(s.emailBody) },
      responses: { 202: jsonResponse(s.acceptedSchema, "Sent if the address may sign in") },
    },
  ),
  async (c) => {
    const { email } = c.req.valid("json");
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    await limitAttempts(c, ctx, email);
    await requestSignInCode(ctx, email);
    return c.json(accepted(emailSent), 202);
  },
);

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: `${P}/auth/code/verify`,
      tags,
      summary: "Sign in with the emailed code (email + code) or the magic link's token; creates the account when the policy allows",
      request: { params: s.portalParam, ...jsonBody(s.codeVerifyBody) },
      responses: {
        200: jsonResponse(s.endUserTokensSchema, "Signed in"),
        403: problemDoc("Blocked, or the sign-up policy does not allow a new account"),
        410: problemDoc("Invalid, used or expired code or link"),
      },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    await limitAttempts(c, ctx, body.email);
    const { user, tokens } =
      body.token !== undefined ? await signInWithMagicLink(ctx, body.token) : await signInWithCode(ctx, body.email ?? "", body.code ?? "");
    return c.json(tokensBody(tokens, user), 200);
  },
);

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: `${P}/auth/verify`,
      tags,
      summary: "Confirm an email address (after sign-up or an email change) with the token from the email",
      request: { params: s.portalParam, ...jsonBody(s.tokenBody) },
      responses: {
        200: jsonResponse(s.endUserSelfSchema, "Confirmed"),
        409: problemDoc("The new address has an account here by now"),
        410: problemDoc("Invalid, used or expired link"),
      },
    },
  ),
  async (c) => {
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    await limitAttempts(c, ctx);
    return c.json(serializeSelf(await confirmEmailToken(ctx, c.req.valid("json").token)), 200);
  },
);

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: `${P}/auth/password/forgot`,
      tags,
      summary: "Email a password-reset link (1 hour); 202 whether or not the address has an account",
      request: { params: s.portalParam, ...jsonBody(s.emailBody) },
      responses: { 202: jsonResponse(s.acceptedSchema, "Sent if the address has an account") },
    },
  ),
  async (c) => {
    const { email } = c.req.valid("json");
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    await limitAttempts(c, ctx, email);
    await requestPasswordReset(ctx, email);
    return c.json(accepted("If this address has an account here, a reset link is on its way."), 202);
  },
);

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: `${P}/auth/password/reset`,
      tags,
      summary: "Set a new password with the reset link's token; ends every session",
      request: { params: s.portalParam, ...jsonBody(s.resetBody) },
      responses: { 204: noContent, 410: problemDoc("Invalid, used or expired link") },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    await limitAttempts(c, ctx);
    await resetPassword(ctx, body.token, body.password);
    return c.body(null, 204);
  },
);

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: `${P}/auth/refresh`,
      tags,
      summary: "Exchange a refresh token for new tokens (rotates; reusing an old one ends the session)",
      request: { params: s.portalParam, ...jsonBody(s.refreshBody) },
      responses: { 200: jsonResponse(s.endUserTokensSchema, "New token pair"), 403: problemDoc("The account is blocked") },
    },
  ),
  async (c) => {
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    const t = await rotateEndUserRefresh(ctx.db, ctx.site.tenantId, c.req.valid("json").refresh_token, ctx.actor, ctx.jwtSecret);
    return c.json(tokensBody(t, await getEndUser(ctx.db, ctx.site.tenantId, t.endUserId)), 200);
  },
);

portalAuthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: `${P}/auth/handover`,
      tags,
      summary: "Exchange a JWT signed by the workspace's own server (hand-over secret, ≤ 10 minutes) for an end-user session",
      request: { params: s.portalParam, ...jsonBody(s.handoverBody) },
      responses: {
        200: jsonResponse(s.endUserTokensSchema, "Signed in"),
        401: problemDoc("The JWT is forged, expired, too long-lived or lacks sub/email; or hand-over is not set up"),
        403: problemDoc("The account is blocked"),
      },
    },
  ),
  async (c) => {
    const ctx = await portalCtxOf(c, c.req.valid("param").portal);
    await limitAttempts(c, ctx);
    const secret = await handoverSecretOf(c.env, ctx.site.settings);
    const verified = secret ? await verifyHandover(secret, c.req.valid("json").jwt) : null;
    if (!verified) throw unauthorized("The hand-over token is not valid for this site.");
    const { user, tokens } = await signInWithHandover(ctx, verified);
    return c.json(tokensBody(tokens, user), 200);
  },
);
