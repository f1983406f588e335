import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { workflows } from "../../../schema/workflows";
import { getDb } from "../../platform/db";
import { badRequest, notFound, Problem, unauthorized } from "../../platform/errors";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { verifySignature } from "../../platform/standard-webhooks";
import { hasFeature } from "../billing";
import { publicApproval, publicDecide } from "./approvals.service";
import { startRun } from "./runs.service";
import { decideInput, publicApprovalSchema } from "./schemas";
import { webhookSecretOf } from "./workflows.service";

/** The approval email's link (mounted at /public/v1): a single-use token, no sign-in. */
export const workflowsPublicRoutes = createRouter();
const tokenParam = z.object({
  token: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "token", in: "path" }, example: "q3Jx…" }),
});
const tags = ["Workflows (public)"];

workflowsPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/workflow-approvals/{token}",
      tags,
      summary: "What an approval email's link is about: the workflow, the request and its context",
      request: { params: tokenParam },
      responses: { 200: jsonResponse(publicApprovalSchema, "The approval"), 404: problemDoc("No such link") },
    },
  ),
  async (c) => c.json(await publicApproval(getDb(c.env.DB), c.req.valid("param").token), 200),
);
workflowsPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/workflow-approvals/{token}",
      tags,
      summary: "Approve or reject from the email link (works once, while pending)",
      request: { params: tokenParam, ...jsonBody(decideInput) },
      responses: {
        200: jsonResponse(publicApprovalSchema, "Decided"),
        404: problemDoc("No such link"),
        410: problemDoc("The link was used, or the approval is no longer pending"),
      },
    },
  ),
  async (c) => c.json(await publicDecide(getDb(c.env.DB), c.env, c.req.valid("param").token, c.req.valid("json")), 200),
);

/** Webhook triggers (mounted at /webhooks): Standard Webhooks signatures with the workflow's secret. */
export const workflowsWebhookRoutes = createRouter();
workflowsWebhookRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/workflows/{workflowId}",
      tags,
      summary: "Start a run of a published workflow with a webhook trigger; the JSON body becomes trigger.data (idempotent by webhook-id)",
      request: {
        params: idParam("workflowId", "wf_01jd0000000000000000000000"),
        headers: z.object({
          "webhook-id": z.string().min(1).max(200),
          "webhook-timestamp": z.string().max(20),
          "webhook-signature": z.string().max(2000),
        }),
      },
      responses: {
        202: jsonResponse(z.object({ run_id: z.string(), status: z.string() }), "Started or queued"),
        401: problemDoc("Bad or missing signature"),
        402: problemDoc("The workspace's plan does not include workflows"),
        404: problemDoc("No published webhook workflow with this id"),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const id = c.req.valid("param").workflowId as string;
    const headers = c.req.valid("header");
    const body = await c.req.text();
    const wf = await db.select().from(workflows).where(eq(workflows.id, id)).get();
    if (wf?.status !== "published" || wf.triggerType !== "webhook") throw notFound("Workflow");
    if (!(await verifySignature(await webhookSecretOf(c.env, wf), headers, body)))
      throw unauthorized("The webhook signature does not match.");
    if (!(await hasFeature(db, wf.tenantId, "workflows")))
      throw new Problem(402, "feature-not-in-plan", "Upgrade required", "The workspace's plan does not include workflows.");
    let data: unknown;
    try {
      data = body ? JSON.parse(body) : {};
    } catch {
      throw badRequest("The body must be JSON.");
    }
    if (!data || typeof data !== "object" || Array.isArray(data)) throw badRequest("The body must be a JSON object.");
    const run = await startRun(db, c.env, wf.tenantId, wf.id, {
      triggerType: "webhook",
      type: "webhook",
      data: data as Record<string, unknown>,
      dedupeKey: `webhook:${headers["webhook-id"]}`,
    });
    return c.json({ run_id: run.id, status: run.status }, 202);
  },
);
