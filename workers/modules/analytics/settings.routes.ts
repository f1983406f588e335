/** Tracker settings and raw-event retention for the workspace. */
import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { iso } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { auditInsert } from "../../platform/audit";
import { type AnalyticsSettings, getAnalyticsSettings, updateAnalyticsSettings } from "./settings.service";

export const analyticsSettingsRoutes = createRouter();
const TAG = ["Analytics"];

const settingsSchema = z
  .object({
    autocapture_links: z.boolean(),
    autocapture_forms: z.boolean(),
    respect_dnt: z.boolean(),
    require_consent: z.boolean(),
    retention_days: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Raw events are deleted after this many days (null: the plan's default)" }),
    updated_at: z.string().nullable(),
  })
  .openapi("AnalyticsSettings");

const serialize = (s: AnalyticsSettings) => ({
  autocapture_links: s.autocaptureLinks,
  autocapture_forms: s.autocaptureForms,
  respect_dnt: s.respectDnt,
  require_consent: s.requireConsent,
  retention_days: s.retentionDays,
  updated_at: iso(s.updatedAt),
});

analyticsSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:read" },
    {
      method: "get",
      path: "/analytics/settings",
      tags: TAG,
      summary: "Tracker settings",
      responses: { 200: jsonResponse(settingsSchema, "Settings") },
    },
  ),
  async (c) => c.json(serialize(await getAnalyticsSettings(getDb(c.env.DB), currentTenantId(c))), 200),
);

analyticsSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:manage" },
    {
      method: "patch",
      path: "/analytics/settings",
      tags: TAG,
      summary: "Change tracker settings (audited)",
      request: {
        ...jsonBody(
          z
            .object({
              autocapture_links: z.boolean(),
              autocapture_forms: z.boolean(),
              respect_dnt: z.boolean(),
              require_consent: z.boolean(),
              retention_days: z.number().int().min(7).max(1825).nullable(),
            })
            .partial(),
        ),
      },
      responses: { 200: jsonResponse(settingsSchema, "Updated settings") },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const next = await updateAnalyticsSettings(db, tenantId, {
      autocaptureLinks: b.autocapture_links,
      autocaptureForms: b.autocapture_forms,
      respectDnt: b.respect_dnt,
      requireConsent: b.require_consent,
      retentionDays: b.retention_days,
    });
    await auditInsert(db, actorOf(c), { tenantId, action: "analytics.settings_updated", metadata: b });
    return c.json(serialize(next), 200);
  },
);
