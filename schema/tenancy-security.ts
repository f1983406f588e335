import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, tenantId, updatedAt } from "./columns";

/**
 * A workspace's security policy (modules/tenancy/security-policy.ts; enforced where workspace access
 * is resolved, platform/auth.ts through platform/security-policy.ts). No row = the defaults: MFA not
 * required, sessions as long as Weft's own, API keys allowed.
 */
export const workspaceSecurityPolicies = sqliteTable(
  "workspace_security_policies",
  {
    tenantId: tenantId(),
    /** Members must have TOTP MFA enabled to use this workspace (403 `mfa-required` otherwise). */
    mfaRequired: integer("mfa_required", { mode: "boolean" }).notNull().default(false),
    /** A session older than this (ms since sign-in) is refused for this workspace; null = no extra limit. */
    sessionMaxAgeMs: integer("session_max_age_ms"),
    /** Secret API keys of this workspace authenticate (false: they get 401). */
    apiKeysAllowed: integer("api_keys_allowed", { mode: "boolean" }).notNull().default(true),
    updatedBy: text("updated_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);
