/**
 * Links into the simulated customer portal. Like a Stripe billing-portal session, a link is a
 * short-lived bearer credential for one workspace (minted by POST /billing/portal for a member
 * with billing:manage), so knowing a tenant id is not enough to change its payment method.
 */
import { jwtVerify, SignJWT, errors as joseErrors } from "jose";

const AUDIENCE = "weft:simulator-portal";
export const PORTAL_LINK_TTL_SECONDS = 60 * 60;
const key = (secret: string) => new TextEncoder().encode(secret);

export async function portalLink(secret: string, origin: string, tenantId: string): Promise<string> {
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(tenantId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${PORTAL_LINK_TTL_SECONDS}s`)
    .sign(key(secret));
  return `${origin}/dev/payment-simulator/portal?session=${encodeURIComponent(token)}`;
}

/** The workspace a portal session belongs to, or null (missing, forged, expired). */
export async function portalTenant(secret: string, session: string | undefined): Promise<string | null> {
  if (!session || session.length > 2000) return null;
  try {
    const { payload } = await jwtVerify(session, key(secret), { algorithms: ["HS256"], audience: AUDIENCE });
    return typeof payload.sub === "string" ? payload.sub : null;
  } catch (e) {
    if (e instanceof joseErrors.JOSEError) return null;
    throw e;
  }
}
