import { eq } from "drizzle-orm";
import { portalSettings, type SignupPolicy } from "../../../schema/endusers";
import { auditInsert, type Actor } from "../../platform/audit";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import { type Db, getDb } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import { getConfig, type Env } from "../../platform/env";
import { notFound, validationFailed } from "../../platform/errors";
import { randomToken } from "../../platform/ids";
import { iso } from "../../platform/request";
import { getFileMeta, signedFileUrl } from "../files";

export type PortalSettingsRow = typeof portalSettings.$inferSelect;
export const HANDOVER_SECRET_PREFIX = "whs_";

const defaults = (tenantId: string): PortalSettingsRow => ({
  tenantId,
  enabled: false,
  signupPolicy: "open",
  brandName: null,
  logoFileId: null,
  primaryColor: null,
  accentColor: null,
  customDomain: null,
  handoverSecretEnc: null,
  updatedAt: 0,
});

export async function getPortalSettings(db: Db, tenantId: string): Promise<PortalSettingsRow> {
  return (await db.select().from(portalSettings).where(eq(portalSettings.tenantId, tenantId)).get()) ?? defaults(tenantId);
}

export const serializePortalSettings = (s: PortalSettingsRow) => ({
  enabled: s.enabled,
  signup_policy: s.signupPolicy,
  brand_name: s.brandName,
  logo_file_id: s.logoFileId,
  primary_color: s.primaryColor,
  accent_color: s.accentColor,
  custom_domain: s.customDomain,
  has_handover_secret: !!s.handoverSecretEnc,
  updated_at: s.updatedAt ? iso(s.updatedAt) : null,
});

export interface PortalSettingsPatch {
  enabled?: boolean;
  signupPolicy?: SignupPolicy;
  brandName?: string | null;
  logoFileId?: string | null;
  primaryColor?: string | null;
  accentColor?: string | null;
  customDomain?: string | null;
}

async function upsert(db: Db, next: PortalSettingsRow, actor: Actor, action: string, metadata: Record<string, unknown>) {
  const { tenantId, ...rest } = next;
  await db.batch([
    db.insert(portalSettings).values(next).onConflictDoUpdate({ target: portalSettings.tenantId, set: rest }),
    auditInsert(db, actor, { tenantId, action, target: { type: "portal_settings", id: tenantId }, metadata }),
  ]);
}

export async function updatePortalSettings(env: Env, db: Db, tenantId: string, patch: PortalSettingsPatch, actor: Actor) {
  const current = await getPortalSettings(db, tenantId);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as PortalSettingsPatch;
  if (defined.logoFileId) {
    // The logo must be an image of this workspace (another workspace's file id is "not found").
    const meta = await getFileMeta(env, tenantId, defined.logoFileId).catch(() => null);
    if (!meta) throw validationFailed([{ path: "logo_file_id", message: "No such file in this workspace" }]);
    if (!meta.contentType.startsWith("image/")) throw validationFailed([{ path: "logo_file_id", message: "The logo must be an image" }]);
  }
  const next: PortalSettingsRow = { ...current, ...defined, updatedAt: Date.now() };
  await upsert(db, next, actor, "endusers.portal_settings_updated", { fields: Object.keys(defined) });
  return next;
}

/** Creates or replaces the hand-over secret; returned once, stored sealed (AES-GCM). */
export async function rotateHandoverSecret(env: Env, db: Db, tenantId: string, actor: Actor): Promise<string> {
  const current = await getPortalSettings(db, tenantId);
  const secret = HANDOVER_SECRET_PREFIX + randomToken();
  const sealed = await encryptSecret(secret, getConfig(env).ENCRYPTION_KEY);
  await upsert(db, { ...current, handoverSecretEnc: sealed, updatedAt: Date.now() }, actor, "endusers.handover_secret_rotated", {
    replaced: !!current.handoverSecretEnc,
  });
  return secret;
}

export async function handoverSecretOf(env: Env, s: PortalSettingsRow): Promise<string | null> {
  return s.handoverSecretEnc ? decryptSecret(s.handoverSecretEnc, getConfig(env).ENCRYPTION_KEY) : null;
}

/** What a portal shows before sign-in: the brand and which ways in exist. */
export interface PortalSite {
  tenantId: string;
  slug: string;
  name: string; // brand name, else the workspace's name
  settings: PortalSettingsRow;
}

export async function portalSite(db: Db, tenantId: string): Promise<PortalSite> {
  const [tenant, settings] = await Promise.all([getTenant(db, tenantId), getPortalSettings(db, tenantId)]);
  return { tenantId, slug: tenant.slug, name: settings.brandName || tenant.name, settings };
}

/** The portal must be on for anything an end user does; otherwise it does not exist for them. */
export function requireEnabled(site: PortalSite): void {
  if (!site.settings.enabled) throw notFound("Portal");
}

export async function logoUrl(env: Env, site: PortalSite, origin: string): Promise<string | null> {
  if (!site.settings.logoFileId) return null;
  try {
    return (await signedFileUrl(env, { tenantId: site.tenantId, fileId: site.settings.logoFileId, expiresIn: 86_400, origin })).url;
  } catch {
    return null; // the file was deleted since: no logo rather than a broken page
  }
}

export const serializePortalSite = async (env: Env, site: PortalSite, origin: string) => ({
  slug: site.slug,
  name: site.name,
  enabled: site.settings.enabled,
  signup_policy: site.settings.signupPolicy,
  primary_color: site.settings.primaryColor,
  accent_color: site.settings.accentColor,
  logo_url: await logoUrl(env, site, origin),
  portal_url: `${origin}/portal/${site.slug}`,
  handover: !!site.settings.handoverSecretEnc,
});

/** The brand other hosted pages share (platform/workspace-brand.ts; the checkout): the portal settings' name, colour and logo. */
export async function portalBrand(env: Env, tenantId: string, origin: string) {
  const site = await portalSite(getDb(env.DB), tenantId);
  return { name: site.name, primaryColor: site.settings.primaryColor || null, logoUrl: await logoUrl(env, site, origin) };
}
