// Billing's router (at /api/v1): plan catalog, billing summary and usage reads; mounts the subscription, invoice and test-clock routes.
import { z } from "@hono/zod-openapi";
import { getDb } from "../../platform/db";
import { pageQuerySchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonResponse } from "../../platform/router";
import { billingSummary, catalog, dailyUsage, seatUsage } from "./billing.read";
import { invoiceRoutes } from "./invoices.routes";
import { METER_NAMES } from "./plans";
import { testClockRoutes } from "./simulator-test-clock.routes";
import { subscriptionRoutes } from "./subscription.routes";
import { currentTenantId } from "../../platform/auth";
import { planCatalogSchema, seatUsageSchema, summarySchema } from "./schemas";

export const billingRoutes = createRouter();

billingRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/billing/plans",
      tags: ["Billing"],
      summary: "The plan catalog: prices (cents), limits, features, overage prices",
      responses: { 200: jsonResponse(planCatalogSchema, "Catalog") },
    },
  ),
  (c) => c.json(catalog(), 200),
);

billingRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:read" },
    {
      method: "get",
      path: "/billing",
      tags: ["Billing"],
      summary: "Plan, trial and dunning state, usage per meter with limits",
      responses: { 200: jsonResponse(summarySchema, "Billing summary") },
    },
  ),
  async (c) => c.json(await billingSummary(c.env, getDb(c.env.DB), currentTenantId(c)), 200),
);

billingRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:read" },
    {
      method: "get",
      path: "/billing/usage/daily",
      tags: ["Billing"],
      summary: "Daily usage series of one meter",
      request: {
        query: z.object({ meter: z.enum(METER_NAMES as [string, ...string[]]), days: z.coerce.number().int().min(1).max(90).default(30) }),
      },
      responses: {
        200: jsonResponse(
          z.object({ meter: z.string(), data: z.array(z.object({ day: z.string(), quantity: z.number() })) }),
          "Oldest first",
        ),
      },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(
      { meter: q.meter, data: await dailyUsage(getDb(c.env.DB), currentTenantId(c), q.meter as (typeof METER_NAMES)[number], q.days) },
      200,
    );
  },
);

billingRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:read" },
    {
      method: "get",
      path: "/billing/usage/seats",
      tags: ["Billing"],
      summary: "Per-seat view: each member's attributed usage this period (paged by member; totals cover everyone)",
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(seatUsageSchema, "Per seat") },
    },
  ),
  async (c) => c.json(await seatUsage(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

// Preview, checkout, plan change and cancellation, the payment-method portal, overage, PayPal's return URL.
billingRoutes.route("/", subscriptionRoutes);
// Invoices, and the payment simulator collecting or failing the open one.
billingRoutes.route("/", invoiceRoutes);
// The payment simulator's test clock: GET /billing/simulator/clock, POST /billing/simulator/clock/advance.
billingRoutes.route("/", testClockRoutes);
