import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentUserId } from "../../platform/auth";
import { verifyPassword } from "../../platform/crypto";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { Problem, unauthorized } from "../../platform/errors";
import { enforceRateLimit } from "../../platform/ratelimit";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import {
  beginMfaEnrollment,
  confirmMfaEnrollment,
  disableMfa,
  regenerateRecoveryCodes,
  remainingRecoveryCodes,
  verifySecondFactor,
} from "./mfa.service";
import { getUser } from "./users.service";

export const mfaRoutes = createRouter();
const tags = ["Two-factor authentication"];
const user = { auth: "user" } as const;
const codeSchema = z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app");
const recoverySchema = z
  .object({ recovery_codes: z.array(z.string()).openapi({ description: "Shown once; store them safely" }) })
  .openapi("RecoveryCodes");

async function me(c: Parameters<typeof currentUserId>[0]) {
  const u = await getUser(getDb(c.env.DB), currentUserId(c));
  if (!u) throw unauthorized();
  return u;
}

mfaRoutes.openapi(
  defineRoute(user, {
    method: "get",
    path: "/me/mfa",
    tags,
    summary: "Two-factor status",
    responses: {
      200: jsonResponse(z.object({ enabled: z.boolean(), recovery_codes_remaining: z.number().int() }).openapi("MfaStatus"), "Status"),
    },
  }),
  async (c) => {
    const u = await me(c);
    return c.json(
      {
        enabled: u.mfaEnabledAt != null,
        recovery_codes_remaining: u.mfaEnabledAt ? await remainingRecoveryCodes(getDb(c.env.DB), u.id) : 0,
      },
      200,
    );
  },
);

mfaRoutes.openapi(
  defineRoute(user, {
    method: "post",
    path: "/me/mfa/enroll",
    tags,
    summary: "Start enrolling an authenticator app (secret + otpauth:// URI for a QR code)",
    responses: {
      200: jsonResponse(
        z.object({ secret: z.string(), otpauth_uri: z.string() }).openapi("MfaEnrollment"),
        "Scan or type the secret, then confirm with a code",
      ),
    },
  }),
  async (c) => {
    const { secret, otpauthUri } = await beginMfaEnrollment(getDb(c.env.DB), await me(c), getConfig(c.env).ENCRYPTION_KEY);
    return c.json({ secret, otpauth_uri: otpauthUri }, 200);
  },
);

mfaRoutes.openapi(
  defineRoute(user, {
    method: "post",
    path: "/me/mfa/confirm",
    tags,
    summary: "Confirm enrolment with a current code; returns recovery codes once",
    request: jsonBody(z.object({ code: codeSchema })),
    responses: { 200: jsonResponse(recoverySchema, "Two-factor authentication is on") },
  }),
  async (c) => {
    await enforceRateLimit(c, "RL_AUTH", `mfa-confirm:${currentUserId(c)}`);
    const codes = await confirmMfaEnrollment(
      getDb(c.env.DB),
      await me(c),
      c.req.valid("json").code,
      getConfig(c.env).ENCRYPTION_KEY,
      actorOf(c),
    );
    return c.json({ recovery_codes: codes }, 200);
  },
);

mfaRoutes.openapi(
  defineRoute(user, {
    method: "post",
    path: "/me/mfa/disable",
    tags,
    summary: "Turn two-factor authentication off (needs password and a code)",
    request: jsonBody(
      z.object({ password: z.string().min(1).max(256), code: codeSchema.optional(), recovery_code: z.string().max(20).optional() }),
    ),
    responses: { 204: noContent },
  }),
  async (c) => {
    const body = c.req.valid("json");
    await enforceRateLimit(c, "RL_AUTH", `mfa-disable:${currentUserId(c)}`);
    const u = await me(c);
    if (!(await verifyPassword(body.password, u.passwordHash))) {
      throw new Problem(400, "wrong-password", "Password is incorrect", "The password you entered is incorrect.", {
        errors: [{ path: "password", message: "Incorrect password" }],
      });
    }
    const db = getDb(c.env.DB);
    await verifySecondFactor(db, u, body, getConfig(c.env).ENCRYPTION_KEY, actorOf(c));
    await disableMfa(db, u.id, actorOf(c));
    return c.body(null, 204);
  },
);

mfaRoutes.openapi(
  defineRoute(user, {
    method: "post",
    path: "/me/mfa/recovery-codes",
    tags,
    summary: "Replace your recovery codes (needs a current code)",
    request: jsonBody(z.object({ code: codeSchema })),
    responses: { 200: jsonResponse(recoverySchema, "New codes; the old ones stop working") },
  }),
  async (c) => {
    await enforceRateLimit(c, "RL_AUTH", `mfa-codes:${currentUserId(c)}`);
    const db = getDb(c.env.DB);
    const u = await me(c);
    await verifySecondFactor(db, u, { code: c.req.valid("json").code }, getConfig(c.env).ENCRYPTION_KEY, actorOf(c));
    return c.json({ recovery_codes: await regenerateRecoveryCodes(db, u.id, actorOf(c)) }, 200);
  },
);
