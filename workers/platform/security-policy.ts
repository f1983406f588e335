/**
 * Enforcing a workspace's security policy (`workspace_security_policies`, written by
 * modules/tenancy/security-policy.ts, usually through the security wizard) where workspace access is
 * resolved (platform/auth.ts). The policy's columns ride along in the session ⋈ membership lookup
 * auth.ts already makes (no extra D1 round trip) and in its per-isolate access cache, so a change
 * applies at once in the isolate that made it (forgetAccess) and within ACCESS_CACHE_MS elsewhere.
 */
import { Problem, unauthorized } from "./errors";

export interface WorkspaceAccessPolicy {
  mfaRequired: boolean;
  sessionMaxAgeMs: number | null;
}

/** What the policy decides for a member's request: a problem to throw, or null to let it through. */
export function memberPolicyRefusal(
  policy: WorkspaceAccessPolicy,
  member: { mfaEnabled: boolean; sessionCreatedAt: number },
  now = Date.now(),
): Problem | null {
  if (policy.sessionMaxAgeMs !== null && now - member.sessionCreatedAt > policy.sessionMaxAgeMs) {
    return new Problem(
      401,
      "session-expired-for-workspace",
      "Sign in again",
      `This workspace allows sessions of at most ${describeDuration(policy.sessionMaxAgeMs)}; sign in again to continue.`,
      { max_session_age_seconds: Math.round(policy.sessionMaxAgeMs / 1000) },
      { "WWW-Authenticate": 'Bearer realm="weft"' },
    );
  }
  if (policy.mfaRequired && !member.mfaEnabled) {
    return new Problem(
      403,
      "mfa-required",
      "Two-factor authentication required",
      "This workspace requires two-factor authentication. Turn it on in your security settings, then come back.",
      { enroll_url: "/settings/security" },
    );
  }
  return null;
}

/** A workspace that turned API keys off refuses its keys as if they were not valid (401). */
export const apiKeysOffRefusal = () =>
  unauthorized("This workspace has turned off API key access; an owner or admin can turn it back on in its security settings.");

export function describeDuration(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 24) return `${Math.round(hours * 10) / 10} hour${hours === 1 ? "" : "s"}`;
  const days = hours / 24;
  return `${Math.round(days * 10) / 10} day${days === 1 ? "" : "s"}`;
}
