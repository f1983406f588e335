import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, timestamp, updatedAt } from "./columns";

export const users = sqliteTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(), // stored lower-cased
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    emailVerifiedAt: timestamp("email_verified_at"),
    mfaSecret: text("mfa_secret"), // AES-GCM sealed base32 TOTP seed
    mfaEnabledAt: timestamp("mfa_enabled_at"),
    mfaLastStep: integer("mfa_last_step"), // last accepted TOTP time step: a code works once
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email)],
);

/** One row per login: the refresh-token family. Revoking it ends every token in the family. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: id(),
    userId: text("user_id").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: timestamp("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("sessions_user_idx").on(t.userId, t.createdAt)],
);

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: id(),
    sessionId: text("session_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    rotatedAt: timestamp("rotated_at"),
  },
  (t) => [uniqueIndex("refresh_tokens_hash_uq").on(t.tokenHash), index("refresh_tokens_session_idx").on(t.sessionId)],
);

/** Single-use, expiring, hashed tokens for email verification and password reset. */
export const userTokens = sqliteTable(
  "user_tokens",
  {
    id: id(),
    userId: text("user_id").notNull(),
    purpose: text("purpose", { enum: ["verify_email", "reset_password"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: timestamp("used_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("user_tokens_hash_uq").on(t.tokenHash), index("user_tokens_user_idx").on(t.userId, t.purpose)],
);

export const recoveryCodes = sqliteTable(
  "mfa_recovery_codes",
  {
    id: id(),
    userId: text("user_id").notNull(),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("mfa_recovery_codes_user_idx").on(t.userId)],
);
