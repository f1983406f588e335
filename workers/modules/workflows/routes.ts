import { z } from "@hono/zod-openapi";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { eventCatalogue } from "./events";
import { nodeTypeList } from "./node-types";
import { ctx, gate, PUBLISH, plan402, READ, tags, WRITE, wfParam } from "./route-helpers";
import { workflowRunsRoutes } from "./runs.routes";
import {
  createWorkflowInput,
  eventTypeSchema,
  fromTemplateInput,
  listWorkflowsQuery,
  nodeTypeSchema,
  putSecretInput,
  secretNameParam,
  secretSchema,
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
// Runs and approvals (runs.routes.ts) share the mount.
workflowsRoutes.route("/", workflowRunsRoutes);

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
