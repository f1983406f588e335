import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const tenants = sqliteTable(
  "tenants",
  {
    id: id(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    /** A sub-workspace's parent (modules/tenancy/sub-workspaces.ts); null for a top-level workspace. */
    parentTenantId: text("parent_tenant_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("tenants_slug_uq").on(t.slug), index("tenants_parent_idx").on(t.parentTenantId, t.createdAt)],
);

export const memberships = sqliteTable(
  "memberships",
  {
    tenantId: tenantId(),
    userId: text("user_id").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index("memberships_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("memberships_user_idx").on(t.userId),
  ],
);

export const invitations = sqliteTable(
  "invitations",
  {
    tenantId: tenantId(),
    id: id(),
    email: text("email").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").notNull(),
    expiresAt: integer("expires_at").notNull(),
    lastSentAt: integer("last_sent_at").notNull(),
    sendCount: integer("send_count").notNull().default(1),
    acceptedAt: timestamp("accepted_at"),
    acceptedBy: text("accepted_by"),
    revokedAt: timestamp("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_tenant_created_idx").on(t.tenantId, t.createdAt), uniqueIndex("invitations_token_uq").on(t.tokenHash)],
);

/** Secret API keys: server-to-server, bound to one tenant, scoped, stored hashed. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    tenantId: tenantId(),
    id: id(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(), // visible part, e.g. "wk_live_ab12cd"
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    createdBy: text("created_by").notNull(),
    lastUsedAt: timestamp("last_used_at"),
    expiresAt: timestamp("expires_at"),
    revokedAt: timestamp("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_tenant_created_idx").on(t.tenantId, t.createdAt), uniqueIndex("api_keys_hash_uq").on(t.keyHash)],
);

/** Publishable keys are public by design (embedded in tenants' pages); origins are their guard. */
export const publishableKeys = sqliteTable(
  "publishable_keys",
  {
    tenantId: tenantId(),
    id: id(),
    name: text("name").notNull(),
    key: text("key").notNull(),
    allowedOrigins: text("allowed_origins", { mode: "json" }).$type<string[]>().notNull(),
    createdBy: text("created_by").notNull(),
    revokedAt: timestamp("revoked_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("publishable_keys_tenant_created_idx").on(t.tenantId, t.createdAt), uniqueIndex("publishable_keys_key_uq").on(t.key)],
);
