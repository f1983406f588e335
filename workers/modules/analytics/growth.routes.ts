/** Growth metrics for the workspace's own users: active people, activation milestones, churn risk. */
import { z } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { analyticsRecovery } from "../../../schema/analytics";
import { actorOf, auditInsert } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { parseRange, timeRangeSchema } from "./query/filters";
import { activation, activePeople, churnRisk } from "./query/growth";
import { RECOVERY_STEPS } from "./recovery";
import { getAnalyticsSettings, updateAnalyticsSettings } from "./settings.service";

export const analyticsGrowthRoutes = createRouter();
const TAG = ["Analytics"];
const read = { auth: "tenant", permission: "analytics:read" } as const;

const milestoneSchema = z.object({
  name: z.string().trim().min(1).max(80),
  event: z.string().min(1).max(200),
  within_days: z.number().int().min(1).max(365),
});
const activationConfigShape = {
  signup_event: z.string().min(1).max(200).default("signed_up"),
  milestones: z.array(milestoneSchema).max(10),
};
const activationConfigSchema = z.object(activationConfigShape).openapi("ActivationConfig");

analyticsGrowthRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/growth/active",
    tags: TAG,
    summary: "Active people: DAU, WAU, MAU as of a time (default now), the last 30 days and stickiness (mean DAU ÷ MAU)",
    request: { query: z.object({ at: z.iso.datetime({ offset: true }).optional() }) },
    responses: {
      200: jsonResponse(
        z.object({
          dau: z.number(),
          wau: z.number(),
          mau: z.number(),
          stickiness: z.number(),
          daily: z.array(z.object({ date: z.string(), dau: z.number() })),
        }),
        "Active people",
      ),
    },
  }),
  async (c) => {
    const at = c.req.valid("query").at;
    return c.json(await activePeople(getDb(c.env.DB), currentTenantId(c), at ? Date.parse(at) : Date.now()), 200);
  },
);

analyticsGrowthRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/growth/activation-config",
    tags: TAG,
    summary: "The sign-up event and activation milestones (null until defined)",
    // An unnamed copy for the nullable reply, so the named schema (the PUT body) stays non-null in clients.
    responses: { 200: jsonResponse(z.object({ config: z.object(activationConfigShape).nullable() }), "Activation settings") },
  }),
  async (c) => c.json({ config: (await getAnalyticsSettings(getDb(c.env.DB), currentTenantId(c))).activation }, 200),
);

analyticsGrowthRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:manage" },
    {
      method: "put",
      path: "/analytics/growth/activation-config",
      tags: TAG,
      summary: "Define the sign-up event and up to 10 activation milestones (audited)",
      request: { ...jsonBody(activationConfigSchema) },
      responses: { 200: jsonResponse(z.object({ config: activationConfigSchema }), "Saved") },
    },
  ),
  async (c) => {
    const config = c.req.valid("json");
    const names = config.milestones.map((m) => m.name.toLowerCase());
    if (new Set(names).size !== names.length) throw badRequest("Milestone names must be unique.");
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    await updateAnalyticsSettings(db, tenantId, { activation: config });
    await auditInsert(db, actorOf(c), {
      tenantId,
      action: "analytics.activation_updated",
      metadata: { milestones: config.milestones.length },
    });
    return c.json({ config }, 200);
  },
);

analyticsGrowthRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/growth/activation",
    tags: TAG,
    summary: "People who signed up in a range and the share reaching each milestone within its days (and all of them)",
    request: { query: timeRangeSchema },
    responses: {
      200: jsonResponse(
        z.object({
          signup_event: z.string(),
          cohort_size: z.number(),
          activated: z.number(),
          activation_rate: z.number(),
          milestones: z.array(milestoneSchema.extend({ reached: z.number(), share: z.number() })),
          configured: z.boolean(),
        }),
        "Activation",
      ),
    },
  }),
  async (c) => {
    const r = parseRange(c.req.valid("query"));
    if (typeof r === "string") throw badRequest(r);
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const cfg = (await getAnalyticsSettings(db, tenantId)).activation;
    const result = await activation(db, tenantId, cfg ?? { signup_event: "signed_up", milestones: [] }, r.from, r.to);
    return c.json({ ...result, configured: !!cfg }, 200);
  },
);

analyticsGrowthRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/growth/churn-risk",
    tags: TAG,
    summary: "Identified people whose activity is falling, most at risk first, with the signals behind each score",
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    responses: {
      200: jsonResponse(
        z.object({
          data: z.array(
            z.object({
              person_id: z.string(),
              traits: z.record(z.string(), z.unknown()),
              score: z.number(),
              last_seen: z.string(),
              events_recent: z.number(),
              events_previous: z.number(),
              signals: z.array(z.string()),
            }),
          ),
        }),
        "People at risk",
      ),
    },
  }),
  async (c) => c.json({ data: await churnRisk(getDb(c.env.DB), currentTenantId(c), Date.now(), c.req.valid("query").limit) }, 200),
);

const recoveryConfigSchema = z
  .object({
    enabled: z.boolean(),
    min_score: z.number().int().min(1).max(100).default(60),
  })
  .openapi("ChurnRecoveryConfig");

analyticsGrowthRoutes.openapi(
  defineRoute(read, {
    method: "get",
    path: "/analytics/growth/recovery",
    tags: TAG,
    summary: "The churn-recovery email series: its settings and the people in it (most recent first)",
    responses: {
      200: jsonResponse(
        z.object({
          config: recoveryConfigSchema,
          templates: z.array(z.object({ step: z.number(), after_days: z.number(), template: z.string() })),
          data: z.array(
            z.object({
              person_id: z.string(),
              email: z.string(),
              step: z.number(),
              started_at: z.string(),
              last_sent_at: z.string(),
              recovered_at: z.string().nullable(),
            }),
          ),
        }),
        "Series",
      ),
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const [settings, rows] = await Promise.all([
      getAnalyticsSettings(db, tenantId),
      db
        .select()
        .from(analyticsRecovery)
        .where(eq(analyticsRecovery.tenantId, tenantId))
        .orderBy(desc(analyticsRecovery.lastSentAt))
        .limit(200),
    ]);
    const iso = (ms: number) => new Date(ms).toISOString();
    return c.json(
      {
        config: settings.recovery ?? { enabled: false, min_score: 60 },
        templates: RECOVERY_STEPS.map((s) => ({ step: s.step, after_days: s.afterDays, template: s.template })),
        data: rows.map((r) => ({
          person_id: r.personId,
          email: r.email,
          step: r.step,
          started_at: iso(r.startedAt),
          last_sent_at: iso(r.lastSentAt),
          recovered_at: r.recoveredAt === null ? null : iso(r.recoveredAt),
        })),
      },
      200,
    );
  },
);

analyticsGrowthRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:manage" },
    {
      method: "put",
      path: "/analytics/growth/recovery",
      tags: TAG,
      summary: "Switch the churn-recovery email series on or off and set its score threshold (audited)",
      request: { ...jsonBody(recoveryConfigSchema) },
      responses: { 200: jsonResponse(z.object({ config: recoveryConfigSchema }), "Saved") },
    },
  ),
  async (c) => {
    const config = c.req.valid("json");
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    await updateAnalyticsSettings(db, tenantId, { recovery: config });
    await auditInsert(db, actorOf(c), { tenantId, action: "analytics.recovery_updated", metadata: config });
    return c.json({ config }, 200);
  },
);
