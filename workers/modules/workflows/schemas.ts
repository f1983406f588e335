import { z } from "@hono/zod-openapi";
import { APPROVAL_STATUSES, RUN_STATUSES, STEP_STATUSES, WORKFLOW_STATUSES, WORKFLOW_TRIGGER_TYPES } from "../../../schema/workflows";
import { pageQuerySchema } from "../../platform/pagination";
import { definitionSchema, NODE_TYPES, triggerSchema } from "./definition";

/** HTTP shapes of the workflows API (snake_case, ISO times). */
const plain = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine(
      (s) => !Array.from(s).some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
      "must not contain control characters or line breaks",
    );

export const workflowSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    status: z.enum(WORKFLOW_STATUSES).openapi({ description: "draft until the first publish" }),
    trigger: triggerSchema.openapi({ description: "The draft's trigger" }),
    published_version: z.number().int().nullable(),
    published_at: z.string().nullable(),
    has_unpublished_changes: z.boolean(),
    template_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WorkflowSummary");

export const workflowSchema = workflowSummarySchema
  .extend({
    definition: definitionSchema.openapi({ description: "The draft definition" }),
    webhook_url: z.string().openapi({ description: "Where a webhook trigger is POSTed (Standard Webhooks signature)" }),
  })
  .openapi("Workflow");

export const createWorkflowInput = z
  .object({
    name: plain(120).min(1),
    description: z.string().max(2000).optional(),
    definition: definitionSchema.optional().openapi({ description: "Default: a manual trigger and nothing else" }),
  })
  .openapi("CreateWorkflow");
export const updateWorkflowInput = z
  .object({ name: plain(120).min(1).optional(), description: z.string().max(2000).optional(), definition: definitionSchema.optional() })
  .openapi("UpdateWorkflow");
export const listWorkflowsQuery = pageQuerySchema.extend({
  q: z.string().max(200).optional().openapi({ description: "Search in the name" }),
  status: z.enum(WORKFLOW_STATUSES).optional(),
});

export const definitionErrorSchema = z
  .object({
    node_id: z.string().nullable().openapi({ description: "The node the problem is in (null: the trigger or the graph)" }),
    field: z.string().openapi({ description: "e.g. config.url, trigger.cron, edges.e1.port" }),
    message: z.string(),
  })
  .openapi("WorkflowDefinitionError");
export const validationResultSchema = z
  .object({ valid: z.boolean(), errors: z.array(definitionErrorSchema) })
  .openapi("WorkflowValidation");
export const validateInput = z
  .object({ definition: definitionSchema.optional().openapi({ description: "Default: the saved draft" }) })
  .openapi("ValidateWorkflow");

export const versionSchema = z
  .object({
    version: z.number().int(),
    definition: definitionSchema,
    published_by: z.string().nullable(),
    published_at: z.string(),
  })
  .openapi("WorkflowVersion");

export const nodeTypeSchema = z
  .object({
    type: z.enum(NODE_TYPES),
    label: z.string(),
    category: z.enum(["trigger", "logic", "action", "human"]),
    description: z.string(),
    outputs: z.array(z.string()),
    config_schema: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema of the node's config" }),
  })
  .openapi("WorkflowNodeType");

export const runSchema = z
  .object({
    id: z.string(),
    workflow_id: z.string(),
    version: z.number().int(),
    status: z.enum(RUN_STATUSES).openapi({
      description: '`skipped`: a trigger fired over the plan\'s monthly workflow runs; the output has `reason: "quota_exceeded"`',
    }),
    trigger_type: z.enum(WORKFLOW_TRIGGER_TYPES),
    input: z.unknown().openapi({ description: "What the trigger handed in: { type, data }" }),
    output: z.unknown().nullable(),
    error: z.string().nullable(),
    current_node_id: z.string().nullable(),
    retry_of: z.string().nullable(),
    started_by: z.string().nullable(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("WorkflowRun");

export const stepAttemptSchema = z.object({
  attempt: z.number().int(),
  status: z.enum(STEP_STATUSES),
  error: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  started_at: z.string(),
});
export const runStepSchema = z
  .object({
    step_key: z.string().openapi({ description: "The node id, with #i per loop iteration" }),
    node_id: z.string(),
    node_type: z.string(),
    status: z.enum(STEP_STATUSES),
    attempts: z.number().int(),
    input: z.unknown().nullable(),
    output: z.unknown().nullable(),
    port: z.string().nullable().openapi({ description: "The output the run left the node by" }),
    error: z.string().nullable(),
    replayed: z.boolean().openapi({ description: "Output taken from the failed run this one re-runs" }),
    duration_ms: z.number().int().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    attempt_log: z.array(stepAttemptSchema),
  })
  .openapi("WorkflowRunStep");

export const approvalSchema = z
  .object({
    id: z.string(),
    run_id: z.string(),
    workflow_id: z.string(),
    workflow_name: z.string(),
    node_id: z.string(),
    status: z.enum(APPROVAL_STATUSES),
    title: z.string(),
    message: z.string(),
    context: z.unknown(),
    approver_roles: z.array(z.string()),
    approver_user_ids: z.array(z.string()),
    decided_by: z.string().nullable(),
    decided_via: z.string().nullable(),
    comment: z.string().nullable(),
    decided_at: z.string().nullable(),
    expires_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("WorkflowApproval");

export const runDetailSchema = runSchema
  .extend({ workflow_name: z.string(), steps: z.array(runStepSchema), approvals: z.array(approvalSchema) })
  .openapi("WorkflowRunDetail");

export const startRunInput = z
  .object({ input: z.record(z.string(), z.unknown()).default({}).openapi({ description: "Becomes trigger.data" }) })
  .openapi("StartWorkflowRun");
export const listRunsQuery = pageQuerySchema.extend({ status: z.enum(RUN_STATUSES).optional() });

export const listApprovalsQuery = pageQuerySchema.extend({
  status: z.enum(APPROVAL_STATUSES).default("pending"),
  scope: z
    .enum(["mine", "all"])
    .default("mine")
    .openapi({ description: "mine: the ones you may decide; all: every approval (workflows:read)" }),
});
export const decideInput = z
  .object({ decision: z.enum(["approved", "rejected"]), comment: z.string().max(2000).optional() })
  .openapi("DecideWorkflowApproval");

export const publicApprovalSchema = z
  .object({
    workspace: z.object({ name: z.string() }),
    workflow_name: z.string(),
    title: z.string(),
    message: z.string(),
    context: z.unknown(),
    status: z.enum(APPROVAL_STATUSES),
    expires_at: z.string().nullable(),
    decided_at: z.string().nullable(),
  })
  .openapi("PublicWorkflowApproval");

export const templateSchema = z
  .object({ id: z.string(), name: z.string(), description: z.string(), category: z.string(), definition: definitionSchema })
  .openapi("WorkflowTemplate");
export const fromTemplateInput = z
  .object({ template_id: z.string().min(1).max(64), name: plain(120).min(1).optional() })
  .openapi("CreateWorkflowFromTemplate");

export const eventTypeSchema = z
  .object({ type: z.string(), group: z.string(), description: z.string(), sample: z.record(z.string(), z.unknown()) })
  .openapi("WorkflowEventType");

export const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
export const secretNameParam = z.object({
  name: z
    .string()
    .regex(SECRET_NAME, "upper-case letters, digits and _, starting with a letter (at most 64)")
    .openapi({ param: { name: "name", in: "path" }, example: "CRM_TOKEN" }),
});
export const secretSchema = z.object({ name: z.string(), created_at: z.string(), updated_at: z.string() }).openapi("WorkflowSecret");
export const putSecretInput = z.object({ value: z.string().min(1).max(10_000) }).openapi("PutWorkflowSecret");

export const webhookInfoSchema = z
  .object({ url: z.string(), secret: z.string().openapi({ description: "Standard Webhooks secret (whsec_…)" }) })
  .openapi("WorkflowWebhook");
