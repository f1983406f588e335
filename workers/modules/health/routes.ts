import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonResponse } from "../../platform/router";

const healthSchema = z.object({ status: z.literal("ok"), time: z.string(), version: z.string() }).openapi("Health");

export const healthRoutes = createRouter();

healthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/health",
      tags: ["Platform"],
      summary: "Liveness check",
      responses: { 200: jsonResponse(healthSchema, "The Worker is up") },
    },
  ),
  (c) => c.json({ status: "ok" as const, time: new Date().toISOString(), version: "0.1.0" }, 200),
);

/** Readiness: also proves D1 answers (used by `npm start` to wait for the stack). */
healthRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/health/ready",
      tags: ["Platform"],
      summary: "Readiness check (D1 reachable)",
      responses: { 200: jsonResponse(healthSchema, "Ready") },
    },
  ),
  async (c) => {
    await getDb(c.env.DB).run(sql`select 1`);
    return c.json({ status: "ok" as const, time: new Date().toISOString(), version: "0.1.0" }, 200);
  },
);
