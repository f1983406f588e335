import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * End users (modules/endusers): a workspace's own customers, who sign in to its portal, cart, chat
 * widget and forum. They are NOT Weft users: the same email may be an end user of many workspaces
 * and a staff member elsewhere, with no link between those accounts (so no foreign key to users).
 */
export const END_USER_SOURCES = ["signup", "code", "handover", "invite", "import"] as const;
export type EndUserSource = (typeof END_USER_SOURCES)[number];

export const endUsers = sqliteTable(
  "end_users",
  {
    tenantId: tenantId(),
    id: id(),
    email: text("email").notNull(), // lower-cased; unique per workspace
    name: text("name").notNull().default(""),
    passwordHash: text("password_hash"), // null: passwordless (codes, magic links, hand-over)
    emailVerifiedAt: timestamp("email_verified_at"),
    blockedAt: timestamp("blocked_at"),
    blockedReason: text("blocked_reason"),
    // The user's id in the workspace's own system, set by a hand-over JWT (`sub`).
    externalId: text("external_id"),
    source: text("source", { enum: END_USER_SOURCES }).notNull(),
    invitedAt: timestamp("invited_at"),
    lastSeenAt: timestamp("last_seen_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("end_users_tenant_email_uq").on(t.tenantId, t.email),
    uniqueIndex("end_users_tenant_external_uq").on(t.tenantId, t.externalId).where(sql`external_id is not null`),
    index("end_users_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
  ],
);

/** One row per sign-in: the refresh-token family (as staff `sessions`). Revoking it ends every token. */
export const endUserSessions = sqliteTable(
  "end_user_sessions",
  {
    tenantId: tenantId(),
    id: id(),
    endUserId: text("end_user_id").notNull(),
    method: text("method", { enum: ["password", "code", "magic_link", "handover", "signup"] }).notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: timestamp("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("end_user_sessions_tenant_user_idx").on(t.tenantId, t.endUserId, t.createdAt)],
);

export const endUserRefreshTokens = sqliteTable(
  "end_user_refresh_tokens",
  {
    tenantId: tenantId(),
    id: id(),
    sessionId: text("session_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    rotatedAt: timestamp("rotated_at"),
  },
  (t) => [
    uniqueIndex("end_user_refresh_tokens_tenant_hash_uq").on(t.tenantId, t.tokenHash),
    index("end_user_refresh_tokens_tenant_session_idx").on(t.tenantId, t.sessionId),
  ],
);

export const END_USER_CODE_PURPOSES = ["sign_in", "verify_email", "reset_password", "change_email"] as const;
export type EndUserCodePurpose = (typeof END_USER_CODE_PURPOSES)[number];

/**
 * One-time proofs of an email address, sent by email: a magic-link token (256 bits) and, for
 * sign-in, a 6-digit code in the same message. Only hashes are stored; a row is used once
 * (`used_at`), expires, and a code allows MAX attempts before the row is spent. `email` is the
 * address the proof was sent to (for sign-in of a new address there is no end user yet; for an
 * email change it is the new address).
 */
export const endUserCodes = sqliteTable(
  "end_user_codes",
  {
    tenantId: tenantId(),
    id: id(),
    purpose: text("purpose", { enum: END_USER_CODE_PURPOSES }).notNull(),
    email: text("email").notNull(),
    endUserId: text("end_user_id"),
    tokenHash: text("token_hash").notNull(),
    codeHash: text("code_hash"), // sha256(id + ":" + code); sign-in only
    attempts: integer("attempts").notNull().default(0),
    expiresAt: integer("expires_at").notNull(),
    usedAt: timestamp("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("end_user_codes_tenant_token_uq").on(t.tenantId, t.tokenHash),
    index("end_user_codes_tenant_email_idx").on(t.tenantId, t.email, t.purpose, t.createdAt),
  ],
);

export const SIGNUP_POLICIES = ["open", "invite", "customers"] as const;
export type SignupPolicy = (typeof SIGNUP_POLICIES)[number];

/**
 * A workspace's portal and end-user accounts: on/off, who may create an account, branding, and the
 * hand-over secret its own server signs JWTs with (AES-GCM sealed). No row = the defaults (off).
 */
export const portalSettings = sqliteTable("portal_settings", {
  tenantId: text("tenant_id").primaryKey(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
  signupPolicy: text("signup_policy", { enum: SIGNUP_POLICIES }).notNull().default("open"),
  brandName: text("brand_name"),
  logoFileId: text("logo_file_id"),
  primaryColor: text("primary_color"),
  accentColor: text("accent_color"),
  customDomain: text("custom_domain"),
  handoverSecretEnc: text("handover_secret_enc"),
  updatedAt: updatedAt(),
});

/**
 * Files in an end user's portal (modules/endusers): shared with them by staff (`origin: staff`,
 * `shared_by` = the staff user) or uploaded by them (`origin: enduser`; the bytes went through Files'
 * upload checks and count in the workspace's storage quota). The file itself is a row of Files.
 */
export const PORTAL_FILE_ORIGINS = ["staff", "enduser"] as const;
export const portalFileShares = sqliteTable(
  "portal_file_shares",
  {
    tenantId: tenantId(),
    id: id(),
    endUserId: text("end_user_id").notNull(),
    fileId: text("file_id").notNull(),
    origin: text("origin", { enum: PORTAL_FILE_ORIGINS }).notNull(),
    sharedBy: text("shared_by"),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [
    index("portal_file_shares_tenant_user_idx").on(t.tenantId, t.endUserId, t.createdAt),
    uniqueIndex("portal_file_shares_tenant_user_file_uq").on(t.tenantId, t.endUserId, t.fileId),
    index("portal_file_shares_tenant_file_idx").on(t.tenantId, t.fileId),
  ],
);

/**
 * The portal assistant's actions for an end user: every tool call it makes (read tools run at once,
 * `status: done`; write tools wait as `proposed` until the end user confirms that id — the server
 * refuses to run one that was not proposed to this end user). The log staff and the end user can read.
 */
export const ASSISTANT_ACTION_STATUSES = ["proposed", "done", "failed", "cancelled"] as const;
export const portalAssistantActions = sqliteTable(
  "portal_assistant_actions",
  {
    tenantId: tenantId(),
    id: id(),
    endUserId: text("end_user_id").notNull(),
    tool: text("tool").notNull(),
    args: text("args", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: ASSISTANT_ACTION_STATUSES }).notNull(),
    result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    decidedAt: timestamp("decided_at"),
  },
  (t) => [index("portal_assistant_actions_tenant_user_idx").on(t.tenantId, t.endUserId, t.createdAt)],
);
