import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { requireFeature } from "../billing";
import { decideApproval, listApprovals } from "./approvals.service";
import { eventCatalogue } from "./events";
import { nodeTypeList } from "./node-types";
import { cancelRun, getRunDetail, getRunRow, listRuns, retryRun, startRun } from "./runs.service";
import {
  approvalSchema,
  createWorkflowInput,
  decideInput,
  eventTypeSchema,
  fromTemplateInput,
  listApprovalsQuery,
  listRunsQuery,
  listWorkflowsQuery,
  nodeTypeSchema,
  putSecretInput,
  runDetailSchema,
  runSchema,
  secretNameParam,
  secretSchema,
  startRunInput,
  templateSchema,
  updateWorkflowInput,
  validateInput,
  validationResultSchema,
  versionSchema,
  webhookInfoSchema,
  workflowSchema,
  workflowSummarySchema,
} from "./schemas";
import { deleteSecret, getSecretMeta, listSecrets, putSecret } from "./secrets.service";
import { createFromTemplate, TEMPLATES } from "./templates";
import { validateDefinition } from "./validate";
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflowRow,
  listVersions,
  listWorkflows,
  publishWorkflow,
  serializeWorkflow,
  updateWorkflow,
  webhookSecretOf,
} from "./workflows.service";

/** The workflows API (mounted at /api/v1; docs/automation.md). */
export const workflowsRoutes = createRouter();
export { workflowsPublicRoutes, workflowsWebhookRoutes } from "./public.routes";
export { workflowsBenchRoutes } from "./bench.routes";

const tags = ["Workflows"];
const READ = { auth: "tenant", permission: "workflows:read" } as const;
const WRITE = { auth: "tenant", permission: "workflows:write" } as const;
const PUBLISH = { auth: "tenant", permission: "workflows:publish" } as const;
const wfParam = idParam("id", "wf_01jd0000000000000000000000");
const runParam = idParam("id", "wfr_01jd0000000000000000000000");
const approvalParam = idParam("id", "wfa_01jd0000000000000000000000");
const gate = (c: Context<AppEnv>) => requireFeature(c, "workflows");
const ctx = (c: Context<AppEnv>) => ({ db: getDb(c.env.DB), env: c.env, tenantId: currentTenantId(c), actor: actorOf(c) });
const plan402 = { 402: problemDoc("The plan does not include workflows, or this month's runs are used up") };

// Static paths first: they must win over /workflows/{id}.
workflowsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflows/node-types",
    tags,
    summary: "The node types: outputs and the JSON Schema of each config (the builder renders its forms from these)",
    responses: { 200: jsonResponse(z.object({ data: z.array(nodeTypeSchema) }), "Every node type") },
  }),
  (c) => c.json({ data: nodeTypeList() }, 200),
);
workflowsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflows/events",
    tags,
    summary: "The event catalogue an event trigger can listen to, with sample payloads",
    responses: { 200: jsonResponse(z.object({ data: z.array(eventTypeSchema) }), "Every event type") },
  }),
  (c) => c.json({ data: eventCatalogue() }, 200),
);
workflowsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflows/templates",
    tags,
    summary: "Ready-made workflows (each valid and runnable)",
    responses: { 200: jsonResponse(z.object({ data: z.array(templateSchema) }), "Every template") },
  }),
  (c) =>
    c.json(
      {
        data: TEMPLATES.map((t) => ({
          id: t.id,
          name: t.name,
          description: t.description,
          category: t.category,
          definition: t.definition,
        })),
      },
      200,
    ),
);
workflowsRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/workflows/from-template",
    tags,
    summary: "Create a draft workflow from a template",
    request: jsonBody(fromTemplateInput),
    responses: { 201: jsonResponse(workflowSchema, "Created (a draft)"), ...plan402 },
  }),
  async (c) => {
    await gate(c);
    const { db, env, tenantId, actor } = ctx(c);
    const row = await createFromTemplate(db, env, tenantId, c.req.valid("json"), actor);
    return c.json(serializeWorkflow(row, appOrigin(c)), 201);
  },
);

// The secrets vault (values sealed, never returned).
workflowsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflows/secrets",
    tags,
    summary: "Names of the workflow secrets (never their values)",
    responses: { 200: jsonResponse(z.object({ data: z.array(secretSchema) }), "Every secret's name") },
  }),
  async (c) => c.json({ data: await listSecrets(getDb(c.env.DB), currentTenantId(c)) }, 200),
);
workflowsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflows/secrets/{name}",
    tags,
    summary: "Whether a secret exists (its name and times; never the value)",
    request: { params: secretNameParam },
    responses: { 200: jsonResponse(secretSchema, "The secret's metadata") },
  }),
  async (c) => c.json(await getSecretMeta(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").name), 200),
);
workflowsRoutes.openapi(
  defineRoute(WRITE, {
    method: "put",
    path: "/workflows/secrets/{name}",
    tags,
    summary: "Set a secret for HTTP steps ({{ secrets.NAME }}); sealed at rest",
    request: { params: secretNameParam, ...jsonBody(putSecretInput) },
    responses: { 200: jsonResponse(secretSchema, "Stored"), ...plan402 },
  }),
  async (c) => {
    await gate(c);
    const { db, env, tenantId, actor } = ctx(c);
    return c.json(await putSecret(db, env, tenantId, c.req.valid("param").name, c.req.valid("json").value, actor), 200);
  },
);
workflowsRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/workflows/secrets/{name}",
    tags,
    summary: "Delete a secret",
    request: { params: secretNameParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    const { db, tenantId, actor } = ctx(c);
    await deleteSecret(db, tenantId, c.req.valid("param").name, actor);
    return c.body(null, 204);
  },
);

workflowsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflows",
    tags,
    summary: "Workflows of the workspace, newest first; search by name, filter by status",
    request: { query: listWorkflowsQuery },
    responses: { 200: jsonResponse(pageSchema(workflowSummarySchema), "A page of workflows") },
  }),
  async (c) => c.json(await listWorkflows(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
workflowsRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/workflows",
    tags,
    summary: "Create a workflow (a draft)",
    request: jsonBody(createWorkflowInput),
    responses: { 201: jsonResponse(workflowSchema, "Created"), ...plan402 },
  }),
  async (c) => {
    await gate(c);
    const { db, env, tenantId, actor } = ctx(c);
    return c.json(serializeWorkflow(await createWorkflow(db, env, tenantId, c.req.valid("json"), actor), appOrigin(c)), 201);
  },
);
workflowsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflows/{id}",
    tags,
    summary: "A workflow with its draft definition",
    request: { params: wfParam },
    responses: { 200: jsonResponse(workflowSchema, "The workflow") },
  }),
  async (c) =>
    c.json(
      serializeWorkflow(await getWorkflowRow(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string), appOrigin(c)),
      200,
    ),
);
workflowsRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/workflows/{id}",
    tags,
    summary: "Save the draft (definition, name, description); the published version is untouched until the next publish",
    request: { params: wfParam, ...jsonBody(updateWorkflowInput) },
    responses: { 200: jsonResponse(workflowSchema, "Saved") },
  }),
  async (c) => {
    const { db, tenantId } = ctx(c);
    return c.json(
      serializeWorkflow(await updateWorkflow(db, tenantId, c.req.valid("param").id as string, c.req.valid("json")), appOrigin(c)),
      200,
    );
  },
);
workflowsRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/workflows/{id}",
    tags,
    summary: "Delete a workflow and its versions (not while runs are in progress); run history stays",
    request: { params: wfParam },
    responses: { 204: noContent, 409: problemDoc("Runs are in progress") },
  }),
  async (c) => {
    const { db, tenantId, actor } = ctx(c);
    await deleteWorkflow(db, tenantId, c.req.valid("param").id as string, actor);
    return c.body(null, 204);
  },
);
workflowsRoutes.openapi(
  defineRoute(READ, {
    method: "post",
    path: "/workflows/{id}/validate",
    tags,
    summary: "Validate a definition (the given one, or the saved draft): per-node errors",
    request: { params: wfParam, body: { required: false, content: { "application/json": { schema: validateInput } } } },
    responses: { 200: jsonResponse(validationResultSchema, "Valid or not, with each error") },
  }),
  async (c) => {
    const row = await getWorkflowRow(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string);
    const errors = validateDefinition(c.req.valid("json")?.definition ?? (row.draft as never));
    return c.json({ valid: errors.length === 0, errors }, 200);
  },
);
workflowsRoutes.openapi(
  defineRoute(PUBLISH, {
    method: "post",
    path: "/workflows/{id}/publish",
    tags,
    summary: "Publish the draft as a new version (audited); runs already started keep their version",
    request: { params: wfParam },
    responses: { 200: jsonResponse(workflowSchema, "Published"), ...plan402 },
  }),
  async (c) => {
    const { db, tenantId, actor } = ctx(c);
    await getWorkflowRow(db, tenantId, c.req.valid("param").id as string); // another workspace's id: 404 before the plan's 402
    await gate(c);
    return c.json(serializeWorkflow(await publishWorkflow(db, tenantId, c.req.valid("param").id as string, actor), appOrigin(c)), 200);
  },
);
workflowsRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/workflows/{id}/versions",
    tags,
    summary: "Published versions, newest first",
    request: { params: wfParam },
    responses: { 200: jsonResponse(z.object({ data: z.array(versionSchema) }), "Versions") },
  }),
  async (c) => c.json({ data: await listVersions(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string) }, 200),
);
workflowsRoutes.openapi(
  defineRoute(WRITE, {
    method: "get",
    path: "/workflows/{id}/webhook",
    tags,
    summary: "The webhook trigger's URL and Standard Webhooks signing secret",
    request: { params: wfParam },
    responses: { 200: jsonResponse(webhookInfoSchema, "URL and secret") },
  }),
  async (c) => {
    const row = await getWorkflowRow(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string);
    return c.json({ url: `${appOrigin(c)}/webhooks/workflows/${row.id}`, secret: await webhookSecretOf(c.env, row) }, 200);
  },
);
workflowsRoutes.openapi(
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
workflowsRoutes.openapi(
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
workflowsRoutes.openapi(
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
workflowsRoutes.openapi(
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
workflowsRoutes.openapi(
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
workflowsRoutes.openapi(
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
workflowsRoutes.openapi(
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
