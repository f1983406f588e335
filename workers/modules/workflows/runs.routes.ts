import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { decideApproval, listApprovals } from "./approvals.service";
import { approvalParam, ctx, gate, plan402, READ, runParam, tags, WRITE, wfParam } from "./route-helpers";
import { cancelRun, getRunDetail, getRunRow, listRuns, retryRun, startRun } from "./runs.service";
import { approvalSchema, decideInput, listApprovalsQuery, listRunsQuery, runDetailSchema, runSchema, startRunInput } from "./schemas";
import { getWorkflowRow } from "./workflows.service";

/** Runs and approvals of the workflows API (mounted with workflowsRoutes at /api/v1). */
export const workflowRunsRoutes = createRouter();

workflowRunsRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/workflows/{id}/runs",
    tags,
    summary: "Start a run of the published version by hand (`input` becomes trigger.data); queued when the concurrency cap is reached",
    request: { params: wfParam, body: { required: false, content: { "application/json": { schema: startRunInput } } } },
    responses: { 201: jsonResponse(runSchema, "Started or queued"), 409: problemDoc("Not published yet"), ...plan402 },
  }),
  async (c) => {
    const { db, env, tenantId, actor } = ctx(c);
    await getWorkflowRow(db, tenantId, c.req.valid("param").id as string);
    await gate(c);
    const run = await startRun(db, env, tenantId, c.req.valid("param").id as string, {
      triggerType: "manual",
      data: c.req.valid("json")?.input ?? {},
      startedBy: actor.id,
    });
    return c.json(run, 201);
  },
);
workflowRunsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflows/{id}/runs",
    tags,
    summary: "Runs of a workflow, newest first",
    request: { params: wfParam, query: listRunsQuery },
    responses: { 200: jsonResponse(pageSchema(runSchema), "A page of runs") },
  }),
  async (c) => c.json(await listRuns(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("query")), 200),
);
workflowRunsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflow-runs/{id}",
    tags,
    summary: "A run: status, version and each step's input, output, duration, attempts and error",
    request: { params: runParam },
    responses: { 200: jsonResponse(runDetailSchema, "The run") },
  }),
  async (c) => c.json(await getRunDetail(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string), 200),
);
workflowRunsRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/workflow-runs/{id}/cancel",
    tags,
    summary: "Cancel a queued, running or waiting run (terminates its Workflow instance)",
    request: { params: runParam },
    responses: { 200: jsonResponse(runSchema, "Cancelled"), 409: problemDoc("The run already ended") },
  }),
  async (c) => {
    const { db, env, tenantId, actor } = ctx(c);
    return c.json(await cancelRun(db, env, tenantId, c.req.valid("param").id as string, actor), 200);
  },
);
workflowRunsRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/workflow-runs/{id}/retry",
    tags,
    summary: "Re-run a failed run from its failed step: a new run of the same version that replays the earlier steps' recorded outputs",
    request: { params: runParam },
    responses: { 201: jsonResponse(runSchema, "The new run"), 409: problemDoc("Only failed runs can be re-run"), ...plan402 },
  }),
  async (c) => {
    const { db, env, tenantId, actor } = ctx(c);
    await getRunRow(db, tenantId, c.req.valid("param").id as string);
    await gate(c);
    return c.json(await retryRun(db, env, tenantId, c.req.valid("param").id as string, actor), 201);
  },
);
workflowRunsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflow-approvals",
    tags,
    summary: "Approvals: by default the pending ones you may decide (by role or as a named approver)",
    request: { query: listApprovalsQuery },
    responses: { 200: jsonResponse(pageSchema(approvalSchema), "A page of approvals") },
  }),
  async (c) => c.json(await listApprovals(c, c.req.valid("query")), 200),
);
workflowRunsRoutes.openapi(
  defineRoute(READ, {
    method: "post",
    path: "/workflow-approvals/{id}/decide",
    tags,
    summary: "Approve or reject (with a comment); only a named approver or a member with an approver role",
    request: { params: approvalParam, ...jsonBody(decideInput) },
    responses: { 200: jsonResponse(approvalSchema, "Decided"), 409: problemDoc("Already decided, timed out or cancelled") },
  }),
  async (c) => c.json(await decideApproval(c, c.req.valid("param").id as string, c.req.valid("json")), 200),
);
