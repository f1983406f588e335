import { and, asc, eq, gte } from "drizzle-orm";
import { analyticsEvents } from "../../../schema/analytics";
import type { Db } from "../../platform/db";
import { getAnalyticsSettings, updateAnalyticsSettings } from "./settings.service";

/**
 * The analytics set-up wizard's use of analytics (modules/wizards, kind `analytics`): "installed" is
 * proven by the first tracker event stored since the key was set up, and the tracker options.
 *
 * Stored events do not record which publishable key sent them, so "from that key" is read as: a
 * `web` (tracker) event received at or after the moment the wizard created or picked the key. The
 * (tenant, ts) index bounds the scan; `ts` is the client's clock corrected for skew, so the window
 * starts five minutes earlier and `received_at` decides.
 */
export async function firstTrackerEventSince(db: Db, tenantId: string, since: number) {
  const row = await db
    .select({ name: analyticsEvents.name, host: analyticsEvents.host, path: analyticsEvents.path, receivedAt: analyticsEvents.receivedAt })
    .from(analyticsEvents)
    .where(
      and(
        eq(analyticsEvents.tenantId, tenantId),
        gte(analyticsEvents.ts, since - 5 * 60_000),
        gte(analyticsEvents.receivedAt, since),
        eq(analyticsEvents.source, "web"),
      ),
    )
    .orderBy(asc(analyticsEvents.ts))
    .limit(1)
    .get();
  return row ? { name: row.name, host: row.host, path: row.path, received_at: new Date(row.receivedAt).toISOString() } : null;
}

export interface TrackerOptions {
  autocapture_links: boolean;
  autocapture_forms: boolean;
  require_consent: boolean;
  respect_dnt: boolean;
}

export async function trackerOptions(db: Db, tenantId: string): Promise<TrackerOptions> {
  const s = await getAnalyticsSettings(db, tenantId);
  return {
    autocapture_links: s.autocaptureLinks,
    autocapture_forms: s.autocaptureForms,
    require_consent: s.requireConsent,
    respect_dnt: s.respectDnt,
  };
}

/** Saves the tracker options (the same settings row PATCH /analytics/settings writes). */
export async function saveTrackerOptions(db: Db, tenantId: string, o: TrackerOptions): Promise<TrackerOptions> {
  const s = await updateAnalyticsSettings(db, tenantId, {
    autocaptureLinks: o.autocapture_links,
    autocaptureForms: o.autocapture_forms,
    requireConsent: o.require_consent,
    respectDnt: o.respect_dnt,
  });
  return {
    autocapture_links: s.autocaptureLinks,
    autocapture_forms: s.autocaptureForms,
    require_consent: s.requireConsent,
    respect_dnt: s.respectDnt,
  };
}
