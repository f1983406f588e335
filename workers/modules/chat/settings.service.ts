import { eq } from "drizzle-orm";
import { chatSettings, type PrechatConfig } from "../../../schema/chat";
import { auditInsert, type Actor } from "../../platform/audit";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { getConfig, type Env } from "../../platform/env";
import { randomToken } from "../../platform/ids";
import { iso } from "../../platform/request";
import { sessionSettingsChanged } from "./session.settings";

export type ChatSettingsRow = typeof chatSettings.$inferSelect;
export const IDENTITY_SECRET_PREFIX = "wis_";
export const DEFAULT_PRECHAT: PrechatConfig = { enabled: false, name: "optional", email: "optional" };

export function defaultSettings(tenantId: string): ChatSettingsRow {
  return {
    tenantId,
    color: "#4f46e5",
    position: "right",
    theme: "auto",
    locale: "auto",
    title: null,
    logoUrl: null,
    greeting: "Hi! How can we help?",
    prechat: DEFAULT_PRECHAT,
    aiEnabled: true,
    notifyEmail: null,
    identitySecretEnc: null,
    identityRequired: false,
    updatedAt: 0,
  };
}

export async function getSettings(db: Db, tenantId: string): Promise<ChatSettingsRow> {
  return (await db.select().from(chatSettings).where(eq(chatSettings.tenantId, tenantId)).get()) ?? defaultSettings(tenantId);
}

/** The settings a live conversation enforces (identity enforcement, AI on/off). */
export type SessionSettings = { identityRequired: boolean; aiEnabled: boolean };

/** A read of them: `at` is when the read started (the staleness bound counts from there). */
export type SessionSettingsRead = { at: number; value: SessionSettings };

export async function readSessionSettings(db: Db, tenantId: string): Promise<SessionSettingsRead> {
  const at = Date.now();
  const r = await getSettings(db, tenantId);
  return { at, value: { identityRequired: r.identityRequired, aiEnabled: r.aiEnabled } };
}

export const serializeSettings = (s: ChatSettingsRow) => ({
  color: s.color,
  position: s.position,
  theme: s.theme,
  locale: s.locale,
  title: s.title,
  logo_url: s.logoUrl,
  greeting: s.greeting,
  prechat: s.prechat,
  ai_enabled: s.aiEnabled,
  notify_email: s.notifyEmail,
  identity_required: s.identityRequired,
  has_identity_secret: !!s.identitySecretEnc,
  updated_at: s.updatedAt ? iso(s.updatedAt) : null,
});

export interface SettingsPatch {
  color?: string;
  position?: "right" | "left";
  theme?: "auto" | "light" | "dark";
  locale?: string;
  title?: string | null;
  logoUrl?: string | null;
  greeting?: string;
  prechat?: PrechatConfig;
  aiEnabled?: boolean;
  notifyEmail?: string | null;
  identityRequired?: boolean;
}

async function upsert(db: Db, next: ChatSettingsRow, actor: Actor, action: string, metadata: Record<string, unknown>) {
  const { tenantId, ...rest } = next;
  await db.batch([
    db.insert(chatSettings).values(next).onConflictDoUpdate({ target: chatSettings.tenantId, set: rest }),
    auditInsert(db, actor, { tenantId, action, target: { type: "chat_settings", id: tenantId }, metadata }),
  ]);
}

export async function updateSettings(db: Db, tenantId: string, patch: SettingsPatch, actor: Actor): Promise<ChatSettingsRow> {
  const current = await getSettings(db, tenantId);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as SettingsPatch;
  const next: ChatSettingsRow = { ...current, ...defined, updatedAt: Date.now() };
  await upsert(db, next, actor, "chat.settings_updated", { fields: Object.keys(defined) });
  sessionSettingsChanged(tenantId);
  return next;
}

/** Creates or replaces the identity-verification secret; returned once, stored encrypted. */
export async function rotateIdentitySecret(db: Db, env: Env, tenantId: string, actor: Actor): Promise<string> {
  const current = await getSettings(db, tenantId);
  const secret = IDENTITY_SECRET_PREFIX + randomToken();
  const sealed = await encryptSecret(secret, getConfig(env).ENCRYPTION_KEY);
  await upsert(db, { ...current, identitySecretEnc: sealed, updatedAt: Date.now() }, actor, "chat.identity_secret_rotated", {
    replaced: !!current.identitySecretEnc,
  });
  return secret;
}

export async function identitySecretOf(env: Env, s: ChatSettingsRow): Promise<string | null> {
  return s.identitySecretEnc ? decryptSecret(s.identitySecretEnc, getConfig(env).ENCRYPTION_KEY) : null;
}
