/** Per-workspace tracker settings (auto-capture, consent, Do-Not-Track) and raw-event retention. */
import { eq } from "drizzle-orm";
import { type ActivationConfig, analyticsSettings, type RecoveryConfig, type UpgradePromptConfig } from "../../../schema/analytics";
import type { Db } from "../../platform/db";
import { isolateCache } from "../../platform/isolate-cache";

export interface AnalyticsSettings {
  autocaptureLinks: boolean;
  autocaptureForms: boolean;
  respectDnt: boolean;
  requireConsent: boolean;
  retentionDays: number | null;
  activation: ActivationConfig | null;
  recovery: RecoveryConfig | null;
  upgradePrompts: UpgradePromptConfig | null;
  updatedAt: number | null;
}

export const DEFAULT_SETTINGS: AnalyticsSettings = {
  autocaptureLinks: true,
  autocaptureForms: true,
  respectDnt: true,
  requireConsent: false,
  retentionDays: null,
  activation: null,
  recovery: null,
  upgradePrompts: null,
  updatedAt: null,
};

/** Raw events kept per plan when the workspace sets no shorter period (rollups are kept for good). */
export const PLAN_RETENTION_DAYS: Record<string, number> = { free: 90, starter: 365, professional: 730, enterprise: 1825 };

export async function getAnalyticsSettings(db: Db, tenantId: string): Promise<AnalyticsSettings> {
  const row = await db.select().from(analyticsSettings).where(eq(analyticsSettings.tenantId, tenantId)).get();
  if (!row) return { ...DEFAULT_SETTINGS };
  const { tenantId: _t, ...rest } = row;
  return rest;
}

export async function updateAnalyticsSettings(
  db: Db,
  tenantId: string,
  patch: Partial<Omit<AnalyticsSettings, "updatedAt">>,
): Promise<AnalyticsSettings> {
  const next = { ...(await getAnalyticsSettings(db, tenantId)), ...patch, updatedAt: Date.now() };
  await db
    .insert(analyticsSettings)
    .values({ tenantId, ...next })
    .onConflictDoUpdate({ target: analyticsSettings.tenantId, set: { ...next } });
  forgetSettings(tenantId);
  return next;
}

// The public ingest path reads settings on every tracker batch: a short per-isolate cache keeps that
// off D1. A change shows within SETTINGS_TTL_MS on other isolates (immediately on this one).
const SETTINGS_TTL_MS = 30_000;
const cache = isolateCache<AnalyticsSettings>(SETTINGS_TTL_MS);

export function cachedSettings(db: Db, tenantId: string, now = Date.now()): Promise<AnalyticsSettings> {
  return cache.get(tenantId, () => getAnalyticsSettings(db, tenantId), now);
}

export const forgetSettings = (tenantId: string) => cache.forget(tenantId);
