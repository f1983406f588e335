/**
 * Hand-over from a workspace's own accounts: its server signs a short-lived HS256 JWT with the
 * portal's hand-over secret (the same shape the chat widget's identity verification takes — `sub`
 * or `user_id`, `email`, `name`, `exp`), and the portal exchanges it for an end-user session.
 * Stricter than the widget: `email` is required (end users are addressed by email), `iat` is
 * required, and a token may live at most MAX_HANDOVER_JWT_SECONDS — it is a sign-in, not an identity
 * kept for a conversation.
 */
import { errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";

export const MAX_HANDOVER_JWT_SECONDS = 10 * 60;

export interface VerifiedHandover {
  externalId: string;
  email: string;
  name: string | null;
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(200).optional(),
  user_id: z.string().min(1).max(200).optional(),
  email: z.email().max(254),
  name: z.string().max(100).optional(),
  exp: z.number(),
  iat: z.number(),
});

/** Null when the token is forged, expired, too long-lived, or lacks a user id or email. */
export async function verifyHandover(secret: string, jwt: string): Promise<VerifiedHandover | null> {
  try {
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode(secret), { algorithms: ["HS256"], requiredClaims: ["exp", "iat"] });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return null;
    const externalId = claims.data.sub ?? claims.data.user_id;
    if (!externalId || claims.data.exp - claims.data.iat > MAX_HANDOVER_JWT_SECONDS) return null;
    return { externalId, email: claims.data.email.trim().toLowerCase(), name: claims.data.name?.trim() || null };
  } catch (e) {
    if (e instanceof joseErrors.JOSEError) return null;
    throw e;
  }
}
