/**
 * Identity verification for widget visitors. The tenant's server proves who an end user is with
 * either a short-lived HS256 JWT signed with the workspace's identity secret (preferred) or the
 * legacy `user_hash` = hex(HMAC-SHA256(secret, user_id)), compared in constant time.
 */
import { errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import { timingSafeEqual } from "../../platform/crypto";

/** A JWT may live at most this long (exp − iat), so a leaked token is useful only briefly. */
export const MAX_IDENTITY_JWT_SECONDS = 24 * 60 * 60;

export const identityInputSchema = z.union([
  z.object({ jwt: z.string().min(10).max(4096) }),
  // The workspace's portal end user, by their portal access token (docs/endusers.md): the widget
  // recognises the same customer the portal, cart and forum do, with no identity secret needed.
  z.object({ end_user_token: z.string().min(10).max(4096) }),
  z.object({
    user_id: z.string().min(1).max(200),
    user_hash: z.string().regex(/^[0-9a-fA-F]{64}$/, "user_hash must be 64 hex characters (HMAC-SHA256)"),
    email: z.email().max(320).optional(),
    name: z.string().max(200).optional(),
  }),
]);
export type IdentityInput = z.infer<typeof identityInputSchema>;

export interface VerifiedIdentity {
  userId: string;
  email: string | null;
  name: string | null;
  method: "jwt" | "user_hash" | "end_user";
}

const enc = new TextEncoder();

export async function hmacHex(secret: string, value: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(value)));
  return [...sig].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const claimsSchema = z.object({
  user_id: z.string().min(1).max(200).optional(),
  sub: z.string().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
  name: z.string().max(200).optional(),
  exp: z.number(),
  iat: z.number().optional(),
});

/** Null when the proof is forged, expired, too long-lived or malformed. */
export async function verifyIdentity(secret: string, input: IdentityInput): Promise<VerifiedIdentity | null> {
  if ("end_user_token" in input) return null; // checked against the portal's sessions by the route (endUserIdentity)
  if ("jwt" in input) {
    try {
      const { payload } = await jwtVerify(input.jwt, enc.encode(secret), { algorithms: ["HS256"], requiredClaims: ["exp"] });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return null;
      const userId = claims.data.user_id ?? claims.data.sub;
      if (!userId) return null;
      const issuedAt = claims.data.iat ?? Math.floor(Date.now() / 1000);
      if (claims.data.exp - issuedAt > MAX_IDENTITY_JWT_SECONDS) return null;
      return { userId, email: claims.data.email ?? null, name: claims.data.name ?? null, method: "jwt" };
    } catch (e) {
      if (e instanceof joseErrors.JOSEError) return null;
      throw e;
    }
  }
  const expected = await hmacHex(secret, input.user_id);
  if (!timingSafeEqual(expected, input.user_hash.toLowerCase())) return null;
  return { userId: input.user_id, email: input.email ?? null, name: input.name ?? null, method: "user_hash" };
}
