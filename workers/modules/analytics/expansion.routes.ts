/**
 * Expansion: trial → paid, upgrades and downgrades, revenue and seat movement, activity growth per
 * account and upsell candidates near a limit — from the workspace's events (conventions in
 * query/expansion.ts). The house workspace (Weft itself) also gets billing's view of every
 * workspace: today's paid base, usage growth per meter, and live accounts near a limit.
 */
import { z } from "@hono/zod-openapi";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { createRouter, defineRoute, jsonResponse } from "../../platform/router";
import { accountsNearLimit, paidBase, usageGrowthAcrossWorkspaces } from "../billing";
import { isHouseWorkspace } from "./house";
import { activityGrowth, movements, trialToPaid, type UpsellCandidate, upsellFromEvents } from "./query/expansion";
import { parseRange, timeRangeSchema } from "./query/filters";

export const analyticsExpansionRoutes = createRouter();

const upsellSchema = z.object({
  account_id: z.string(),
  name: z.string(),
  plan: z.string().nullable(),
  meter: z.string(),
  used: z.number().nullable(),
  limit: z.number().nullable(),
  percent: z.number(),
  at: z.string(),
});

const expansionSchema = z
  .object({
    source: z.enum(["events", "events+billing"]),
    trial_to_paid: z.object({
      trials: z.number(),
      converted: z.number(),
      rate: z.number(),
      median_days_to_convert: z.number().nullable(),
    }),
    movements: z.object({
      new: z.number(),
      upgrades: z.number(),
      downgrades: z.number(),
      cancellations: z.number(),
      weekly: z.array(
        z.object({ week_start: z.string(), new: z.number(), upgrades: z.number(), downgrades: z.number(), cancellations: z.number() }),
      ),
    }),
    mrr: z.object({
      tracked: z.boolean(),
      new_cents: z.number(),
      expansion_cents: z.number(),
      contraction_cents: z.number(),
      churned_cents: z.number(),
      net_new_cents: z.number(),
    }),
    seats: z.object({ added: z.number(), removed: z.number(), net: z.number() }),
    activity: z.object({
      accounts_growing: z.number(),
      accounts_shrinking: z.number(),
      accounts_steady: z.number(),
      events_current: z.number(),
      events_previous: z.number(),
      top_growing: z.array(
        z.object({ person_id: z.string(), traits: z.record(z.string(), z.unknown()), previous: z.number(), current: z.number() }),
      ),
    }),
    upsell_candidates: z.array(upsellSchema),
    billing: z
      .object({
        paying_workspaces: z.number(),
        trialing_workspaces: z.number(),
        seats: z.number(),
        mrr_cents: z.number(),
        usage: z.array(
          z.object({
            meter: z.string(),
            label: z.string(),
            unit: z.string(),
            previous: z.number(),
            current: z.number(),
            growth: z.number().nullable(),
          }),
        ),
      })
      .nullable()
      .openapi({ description: "Only for Weft's own (house) workspace: billing across every workspace" }),
  })
  .openapi("Expansion");

analyticsExpansionRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:read" },
    {
      method: "get",
      path: "/analytics/growth/expansion",
      tags: ["Analytics"],
      summary:
        "Expansion in a range: trial → paid, upgrades/downgrades/cancellations by week, revenue and seat movement, accounts whose activity grew, and upsell candidates near a plan limit",
      request: { query: timeRangeSchema },
      responses: { 200: jsonResponse(expansionSchema, "Expansion") },
    },
  ),
  async (c) => {
    const r = parseRange(c.req.valid("query"));
    if (typeof r === "string") throw badRequest(r);
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const house = await isHouseWorkspace(c.env, tenantId);
    const [trials, moves, activity, upsell] = await Promise.all([
      trialToPaid(db, tenantId, r.from, r.to),
      movements(db, tenantId, r.from, r.to),
      activityGrowth(db, tenantId, r.from, r.to),
      house ? Promise.resolve<UpsellCandidate[]>([]) : upsellFromEvents(db, tenantId, r.to),
    ]);
    let billing: z.infer<typeof expansionSchema>["billing"] = null;
    let candidates = upsell;
    if (house) {
      const [base, usage, near] = await Promise.all([paidBase(db), usageGrowthAcrossWorkspaces(db, r.from, r.to), accountsNearLimit(db)]);
      billing = { ...base, usage };
      // Live from billing rather than from events: a workspace's position now, not when it crossed 80%.
      candidates = near.map((n) => ({
        account_id: n.tenant_id,
        name: n.workspace,
        plan: n.plan,
        meter: n.meter,
        used: n.used,
        limit: n.limit,
        percent: n.percent,
        at: new Date().toISOString(),
      }));
    }
    return c.json(
      {
        source: house ? ("events+billing" as const) : ("events" as const),
        trial_to_paid: trials,
        movements: { ...moves.counts, weekly: moves.weekly },
        mrr: moves.mrr,
        seats: moves.seats,
        activity,
        upsell_candidates: candidates,
        billing,
      },
      200,
    );
  },
);
