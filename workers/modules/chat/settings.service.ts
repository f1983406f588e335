import { eq } from "drizzle-orm";
import { chatSettings, type PrechatConfig } from "../../../schema/chat";
import { auditInsert, type Actor } from "../../platform/audit";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { getConfig, type Env } from "../../platform/env";
import { randomToken } from "../../platform/ids";
import { iso } from "../../platform/request";

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

/** How stale the settings a live conversation enforces may be (identity enforcement, AI on/off). */
export const SESSION_SETTINGS_TTL_MS = 5_000;
/** From this age on, a session that still holds valid settings refreshes them beside its work. */
export const SESSION_SETTINGS_REFRESH_MS = SESSION_SETTINGS_TTL_MS / 2;
type SessionSettings = { identityRequired: boolean; aiEnabled: boolean };
type SettingsEntry = { at: number; value: SessionSettings };
const sessionSettingsCache = new Map<string, SettingsEntry>();
/** When the read in flight for a tenant started (any session of this isolate); gone once it settles. */
const readingSince = new Map<string, number>();
/** When this isolate last changed a tenant's settings: a read started before then is not shared. */
const changedAt = new Map<string, number>();

const validEntry = (tenantId: string, now: number) => {
  const hit = sessionSettingsCache.get(tenantId);
  return hit && now - hit.at < SESSION_SETTINGS_TTL_MS ? hit : null;
};

/**
 * The settings live ChatSessions enforce, shared by every session in this isolate: the sessions of
 * one workspace re-checking within SESSION_SETTINGS_TTL_MS share one D1 read instead of one each.
 * Only settled values are shared — a pending read belongs to the object that started it (awaiting
 * it from another Durable Object never completes: workerd ties I/O to its request context, seen
 * as "Promise will never complete" at 500 sessions). `at` is when the read started, so callers
 * keep the same staleness bound. A change made in this isolate drops the entry at once (and a read
 * that started before the change is not shared); elsewhere the TTL bounds it.
 *
 * Refresh ahead: a caller whose own settings are still valid passes `background` and never waits
 * for D1 — it gets the shared entry if that is valid (or null) and, once the entry is past half its
 * life (SESSION_SETTINGS_REFRESH_MS), the first such caller starts the re-read beside its work (in
 * its own context, through `background`), so under steady traffic the entry is renewed before it
 * expires. A caller whose own settings expired waits: for the read another session of the
 * isolate has in flight, if any — by looking at the shared entry again after short, growing
 * pauses in its own context, since the pending read itself cannot be shared — else for a read of
 * its own. Without both, every live session of the workspace found the entry expired at the same
 * moment and read D1 itself (at 150 sessions: one settings read per two messages, in bursts of
 * 150 every 5 s, and at the start of every burst of traffic).
 */
export async function sessionSettings(
  db: Db,
  tenantId: string,
  background?: (read: Promise<unknown>) => void,
): Promise<SettingsEntry | null> {
  const now = Date.now();
  const valid = validEntry(tenantId, now);
  if (valid && now - valid.at < SESSION_SETTINGS_REFRESH_MS) return valid;
  const started = readingSince.get(tenantId);
  const inFlight = started !== undefined && now - started < SESSION_SETTINGS_TTL_MS;
  if (background) {
    if (!inFlight) background(readSessionSettings(db, tenantId).catch(() => {}));
    return valid;
  }
  if (valid) return valid;
  if (inFlight) {
    for (
      let pause = 5;
      readingSince.get(tenantId) === started && Date.now() - started < SESSION_SETTINGS_TTL_MS;
      pause = Math.min(2 * pause, 160)
    )
      await new Promise((r) => setTimeout(r, pause));
    const shared = validEntry(tenantId, Date.now());
    if (shared && shared.at >= started) return shared;
  }
  return readSessionSettings(db, tenantId);
}

async function readSessionSettings(db: Db, tenantId: string): Promise<SettingsEntry> {
  const at = Date.now();
  readingSince.set(tenantId, at);
  try {
    const r = await getSettings(db, tenantId);
    const entry = { at, value: { identityRequired: r.identityRequired, aiEnabled: r.aiEnabled } };
    const current = sessionSettingsCache.get(tenantId);
    if ((!current || current.at < at) && at > (changedAt.get(tenantId) ?? -1)) sessionSettingsCache.set(tenantId, entry);
    for (const m of [sessionSettingsCache, changedAt]) if (m.size > 1000) m.delete(m.keys().next().value!);
    return entry;
  } finally {
    if (readingSince.get(tenantId) === at) readingSince.delete(tenantId);
  }
}

/** Drops the shared entry after a change made in this isolate. */
function settingsChanged(tenantId: string) {
  sessionSettingsCache.delete(tenantId);
  changedAt.set(tenantId, Date.now());
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
  settingsChanged(tenantId);
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
