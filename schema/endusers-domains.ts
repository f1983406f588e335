import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns";

export const DOMAIN_STATUSES = ["pending", "verified"] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

/**
 * DNS verification of a workspace's portal custom domain (modules/endusers/domain-verification.ts):
 * the workspace creates a TXT record `_weft-verify.<domain>` with `token`; a check resolves it
 * through DNS-over-HTTPS and marks the domain verified. One row per workspace (its current domain);
 * changing the domain starts a new token and a new pending status.
 */
export const portalDomainVerifications = sqliteTable(
  "portal_domain_verifications",
  {
    tenantId: text("tenant_id").primaryKey(),
    domain: text("domain").notNull(),
    token: text("token").notNull(),
    status: text("status", { enum: DOMAIN_STATUSES }).notNull().default("pending"),
    lastCheckedAt: integer("last_checked_at"),
    /** What the last check found, for the person ("no TXT record", "cannot reach DNS", …). */
    lastResult: text("last_result"),
    verifiedAt: integer("verified_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("portal_domain_verifications_domain_idx").on(t.domain, t.status)],
);
