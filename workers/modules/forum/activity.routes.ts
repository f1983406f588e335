import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonResponse } from "../../platform/router";
import { activityQuery, activitySchema } from "./activity.schemas";
import { forumActivity } from "./activity.service";

/** The dashboard's Community overview figures (mounted at /api/v1). */
export const forumActivityRoutes = createRouter();

forumActivityRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "forum:read" },
    {
      method: "get",
      path: "/forum/activity",
      tags: ["Forum"],
      summary:
        "Community activity per UTC day (topics, posts, active members; zero-filled) with the period's totals: new members, median time to first (staff) reply, solved rate of questions, and what waits in the moderation queue",
      request: { query: activityQuery },
      responses: { 200: jsonResponse(activitySchema, "The series, totals and queue counts") },
    },
  ),
  async (c) => c.json(await forumActivity(getDb(c.env.DB), currentTenantId(c), c.req.valid("query").days), 200),
);
