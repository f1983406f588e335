/** Upgrade prompts (upgrade-prompts.ts): the workspace's switch, threshold and upgrade link. */
import { z } from "@hono/zod-openapi";
import { actorOf, auditInsert } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { getAnalyticsSettings, updateAnalyticsSettings } from "./settings.service";
import { UPGRADE_PROMPT_TEMPLATE } from "./upgrade-prompts";

export const analyticsUpgradePromptRoutes = createRouter();

const configSchema = z
  .object({
    enabled: z.boolean(),
    min_percent: z.number().int().min(50).max(100).default(80),
    upgrade_url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .openapi({ description: "Where the email's button leads: your pricing or billing page" }),
  })
  .openapi("UpgradePromptConfig");

analyticsUpgradePromptRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:read" },
    {
      method: "get",
      path: "/analytics/growth/upgrade-prompts",
      tags: ["Analytics"],
      summary:
        "Upgrade-prompt emails to your customers near a plan limit (from their limit_approached events): the settings (null until set) and the template",
      responses: {
        200: jsonResponse(z.object({ config: configSchema.nullable(), template: z.string() }), "Settings"),
      },
    },
  ),
  async (c) => {
    const s = await getAnalyticsSettings(getDb(c.env.DB), currentTenantId(c));
    return c.json({ config: s.upgradePrompts, template: UPGRADE_PROMPT_TEMPLATE }, 200);
  },
);

analyticsUpgradePromptRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:manage" },
    {
      method: "put",
      path: "/analytics/growth/upgrade-prompts",
      tags: ["Analytics"],
      summary: "Switch upgrade-prompt emails on or off, with the threshold (percent of a limit) and the upgrade link (audited)",
      request: { ...jsonBody(configSchema) },
      responses: { 200: jsonResponse(z.object({ config: configSchema }), "Saved") },
    },
  ),
  async (c) => {
    const config = c.req.valid("json");
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    await updateAnalyticsSettings(db, tenantId, { upgradePrompts: config });
    await auditInsert(db, actorOf(c), {
      tenantId,
      action: "analytics.upgrade_prompts_updated",
      metadata: { enabled: config.enabled, min_percent: config.min_percent },
    });
    return c.json({ config }, 200);
  },
);
