import { z } from "@hono/zod-openapi";
import { currentTenantId } from "../../platform/auth";
import { getConfig } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { createRouter, defineRoute, jsonResponse, problemDoc } from "../../platform/router";
import { runOutreachCron } from "./cron";

/**
 * Local stack only: run the outreach cron now for the caller's workspace — draft due steps, schedule
 * approved drafts, send the ones due — instead of waiting for the next cron tick. The dashboard's
 * "Run due steps now" and the browser test use it (mounted at /api/v1).
 */
export const outreachDevRoutes = createRouter();

outreachDevRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "sales:manage" },
    {
      method: "post",
      path: "/outreach/dev/run-due",
      tags: ["Outreach"],
      summary: "Local only: run this workspace's due sequence steps and sends now (what the cron does every minute)",
      responses: {
        200: jsonResponse(z.object({ drafted: z.number().int(), sent: z.number().int() }), "What the run did"),
        404: problemDoc("Not a local stack"),
      },
    },
  ),
  async (c) => {
    if (!getConfig(c.env).isLocal) throw notFound("Route");
    return c.json(await runOutreachCron(c.env, Date.now(), currentTenantId(c)), 200);
  },
);
