/**
 * Links into the simulated customer portal. Like a Stripe billing-portal session, a link is a
 * short-lived bearer credential for one workspace (minted by POST /billing/portal for a member
 * with billing:manage), so knowing a tenant id is not enough to change its payment method.
 */
import { signPortalSession, verifyPortalSession } from "../../platform/jwt";

export const PORTAL_LINK_TTL_SECONDS = 60 * 60;

export async function portalLink(secret: string, origin: string, tenantId: string): Promise<string> {
  const token = await signPortalSession(tenantId, PORTAL_LINK_TTL_SECONDS, secret);
  return `${origin}/dev/payment-simulator/portal?session=${encodeURIComponent(token)}`;
}

/** The workspace a portal session belongs to, or null (missing, forged, expired). */
export async function portalTenant(secret: string, session: string | undefined): Promise<string | null> {
  if (!session || session.length > 2000) return null;
  return (await verifyPortalSession(session, secret))?.sub ?? null;
}
