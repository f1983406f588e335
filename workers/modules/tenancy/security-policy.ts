/**
 * A workspace's security policy (issue 18, the security wizard; also `/settings/security`): MFA
 * required for members, a session lifetime, and whether its secret API keys work. Stored here,
 * enforced where workspace access is resolved (platform/auth.ts with platform/security-policy.ts).
 */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { users } from "../../../schema/identity";
import { workspaceSecurityPolicies } from "../../../schema/tenancy-security";
import { auditInsert, type Actor } from "../../platform/audit";
import { forgetAllAccess } from "../../platform/auth";
import type { Db } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { iso } from "../../platform/request";

/** The lifetimes offered (1 hour … 30 days), in hours; null = no workspace limit. */
export const SESSION_LIFETIME_HOURS = [1, 8, 24, 24 * 7, 24 * 30] as const;

export const securityPolicyInput = z
  .object({
    mfa_required: z.boolean().openapi({ description: "Members need two-factor authentication to use this workspace" }),
    session_lifetime_hours: z
      .number()
      .int()
      .refine((h) => (SESSION_LIFETIME_HOURS as readonly number[]).includes(h), {
        message: `Pick one of ${SESSION_LIFETIME_HOURS.join(", ")} hours`,
      })
      .nullable()
      .openapi({ description: "Sign in again after this many hours (1, 8, 24, 168, 720); null = no workspace limit" }),
    api_keys_allowed: z.boolean().openapi({ description: "Secret API keys of this workspace work (false: they get 401)" }),
  })
  .openapi("SecurityPolicyInput");

export interface SecurityPolicy {
  mfa_required: boolean;
  session_lifetime_hours: number | null;
  api_keys_allowed: boolean;
  updated_at: string | null;
}

export async function getSecurityPolicy(db: Db, tenantId: string): Promise<SecurityPolicy> {
  const row = await db.select().from(workspaceSecurityPolicies).where(eq(workspaceSecurityPolicies.tenantId, tenantId)).get();
  return {
    mfa_required: row?.mfaRequired ?? false,
    session_lifetime_hours: row?.sessionMaxAgeMs ? Math.round(row.sessionMaxAgeMs / 3_600_000) : null,
    api_keys_allowed: row?.apiKeysAllowed ?? true,
    updated_at: iso(row?.updatedAt),
  };
}

/** Whether the user has TOTP MFA on (the MFA rule cannot be turned on by someone who would lock themselves out). */
export async function userHasMfa(db: Db, userId: string): Promise<boolean> {
  const u = await db.select({ at: users.mfaEnabledAt }).from(users).where(eq(users.id, userId)).get();
  return Boolean(u?.at);
}

export const mfaNeededFirst = () =>
  new Problem(
    409,
    "mfa-enrolment-needed",
    "Turn on two-factor authentication first",
    "Requiring MFA would lock you out: turn it on for your own account in your security settings, then come back.",
    { enroll_url: "/settings/security" },
  );

/**
 * Saves the policy (upsert) with an audit row `security_policy.updated`. Refuses (409
 * `mfa-enrolment-needed`) to require MFA when the person changing it has none. Forgets this isolate's
 * confirmed access so the new rules apply to the next request.
 */
export async function setSecurityPolicy(
  db: Db,
  tenantId: string,
  input: { mfa_required: boolean; session_lifetime_hours: number | null; api_keys_allowed: boolean },
  userId: string,
  actor: Actor,
): Promise<SecurityPolicy> {
  if (input.mfa_required && !(await userHasMfa(db, userId))) throw mfaNeededFirst();
  const at = Date.now();
  const values = {
    tenantId,
    mfaRequired: input.mfa_required,
    sessionMaxAgeMs: input.session_lifetime_hours === null ? null : input.session_lifetime_hours * 3_600_000,
    apiKeysAllowed: input.api_keys_allowed,
    updatedBy: userId,
    createdAt: at,
    updatedAt: at,
  };
  const { tenantId: _t, createdAt: _c, ...changes } = values;
  await db.batch([
    db.insert(workspaceSecurityPolicies).values(values).onConflictDoUpdate({ target: workspaceSecurityPolicies.tenantId, set: changes }),
    auditInsert(db, actor, {
      tenantId,
      action: "security_policy.updated",
      target: { type: "tenant", id: tenantId },
      metadata: { ...input },
    }),
  ]);
  forgetAllAccess();
  return getSecurityPolicy(db, tenantId);
}
