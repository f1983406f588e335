import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { idParam } from "../../platform/params";
import { pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { deleteFeedback, feedbackDetail, listFeedback, replyToFeedback, updateFeedback } from "./feedback.service";
import { feedbackDetailSchema, feedbackPatchSchema, feedbackQuerySchema, feedbackReplySchema, feedbackSchema } from "./schemas";

const TAG = ["Feedback"];
const params = idParam("id", "fb_01jd0000000000000000000000");
export const feedbackRoutes = createRouter();

feedbackRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:read" },
    {
      method: "get",
      path: "/surveys/feedback",
      tags: TAG,
      summary: "The feedback inbox, newest first (filter by status, category, assignee, tag; search text and email)",
      request: { query: feedbackQuerySchema },
      responses: { 200: jsonResponse(pageSchema(feedbackSchema), "A page of feedback") },
    },
  ),
  async (c) => c.json(await listFeedback(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

feedbackRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:read" },
    {
      method: "get",
      path: "/surveys/feedback/{id}",
      tags: TAG,
      summary: "One feedback item with its replies and a short-lived screenshot URL",
      request: { params },
      responses: { 200: jsonResponse(feedbackDetailSchema, "The item") },
    },
  ),
  async (c) => c.json(await feedbackDetail(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("param").id), 200),
);

feedbackRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:triage" },
    {
      method: "patch",
      path: "/surveys/feedback/{id}",
      tags: TAG,
      summary: "Triage: status, assignee (a member, or null) and tags",
      request: { params, ...jsonBody(feedbackPatchSchema) },
      responses: { 200: jsonResponse(feedbackSchema, "Updated") },
    },
  ),
  async (c) =>
    c.json(await updateFeedback(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, c.req.valid("json"), actorOf(c)), 200),
);

feedbackRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:triage" },
    {
      method: "post",
      path: "/surveys/feedback/{id}/replies",
      tags: TAG,
      summary: "Reply to the submitter by email (template `surveys.feedback_reply`)",
      request: {
        params,
        ...jsonBody(z.object({ body: z.string().trim().min(1, "Write a reply").max(10_000) }).openapi("FeedbackReplyInput")),
      },
      responses: { 201: jsonResponse(feedbackReplySchema, "Queued for delivery") },
    },
  ),
  async (c) => {
    const r = await replyToFeedback(
      getDb(c.env.DB),
      c.env,
      currentTenantId(c),
      c.req.valid("param").id,
      c.req.valid("json").body,
      actorOf(c),
    );
    return c.json(r, 201);
  },
);

feedbackRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "surveys:manage" },
    {
      method: "delete",
      path: "/surveys/feedback/{id}",
      tags: TAG,
      summary: "Delete a feedback item, its replies and its screenshot (audited)",
      request: { params },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await deleteFeedback(getDb(c.env.DB), c.env.FILES, currentTenantId(c), c.req.valid("param").id, actorOf(c));
    return c.body(null, 204);
  },
);
