import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/** Automation workflows (modules/workflows, docs/automation.md). Definitions are versioned JSON. */
export const WORKFLOW_STATUSES = ["draft", "published"] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];
export const WORKFLOW_TRIGGER_TYPES = ["event", "schedule", "webhook", "manual"] as const;
export type WorkflowTriggerType = (typeof WORKFLOW_TRIGGER_TYPES)[number];
/**
 * queued: waiting for a concurrency slot; running: executing steps; waiting: paused on a wait or an
 * approval (still holds its slot); completed / failed / cancelled: final; skipped: final, never
 * started — a trigger fired while the plan's `workflow_runs` for the month were used up (the output
 * says `reason: "quota_exceeded"`). A TypeScript enum over a text column: no migration.
 */
export const RUN_STATUSES = ["queued", "running", "waiting", "completed", "failed", "cancelled", "skipped"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const STEP_STATUSES = ["running", "succeeded", "failed", "waiting", "skipped"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "timeout", "cancelled"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * A workflow: its editable draft and, once published, the number of its live version. The trigger
 * columns mirror the published version's trigger so the event listener, the cron tick and the
 * webhook endpoint find candidates with one indexed query.
 */
export const workflows = sqliteTable(
  "workflows",
  {
    tenantId: tenantId(),
    id: id(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: WORKFLOW_STATUSES }).notNull(),
    draft: text("draft", { mode: "json" }).notNull(), // WorkflowDefinition
    draftUpdatedAt: integer("draft_updated_at").notNull(),
    publishedVersion: integer("published_version"),
    publishedAt: timestamp("published_at"),
    // Of the published version (null while a draft):
    triggerType: text("trigger_type", { enum: WORKFLOW_TRIGGER_TYPES }),
    triggerEvent: text("trigger_event"),
    scheduleCron: text("schedule_cron"),
    scheduleTimezone: text("schedule_timezone"),
    nextRunAt: timestamp("next_run_at"), // schedule triggers: the next due minute (epoch ms)
    webhookSecret: text("webhook_secret").notNull(), // sealed (encryptSecret) Standard Webhooks secret
    templateId: text("template_id"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("workflows_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("workflows_tenant_trigger_event_idx").on(t.tenantId, t.triggerEvent),
    // The one cross-tenant read: the cron tick's "schedule due" scan.
    index("workflows_schedule_due_idx").on(t.triggerType, t.nextRunAt),
  ],
);

/** A published version: immutable; a run keeps the version it started with. */
export const workflowVersions = sqliteTable(
  "workflow_versions",
  {
    tenantId: tenantId(),
    workflowId: text("workflow_id").notNull(),
    version: integer("version").notNull(),
    definition: text("definition", { mode: "json" }).notNull(),
    publishedBy: text("published_by"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.workflowId, t.version] })],
);

/**
 * One run = one Cloudflare Workflows instance (instance id = run id). `dedupe_key` makes starts
 * idempotent: `event:<event id>`, `schedule:<minute>`, `webhook:<webhook-id>`; null for manual runs.
 * `retry_of` is the failed run a re-run replays recorded outputs from.
 */
export const workflowRuns = sqliteTable(
  "workflow_runs",
  {
    tenantId: tenantId(),
    id: id(),
    workflowId: text("workflow_id").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: RUN_STATUSES }).notNull(),
    triggerType: text("trigger_type", { enum: WORKFLOW_TRIGGER_TYPES }).notNull(),
    dedupeKey: text("dedupe_key"),
    input: text("input", { mode: "json" }).notNull(), // { type, data } the trigger handed in
    output: text("output", { mode: "json" }),
    error: text("error"),
    currentNodeId: text("current_node_id"),
    retryOf: text("retry_of"),
    startedBy: text("started_by"),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("workflow_runs_tenant_workflow_created_idx").on(t.tenantId, t.workflowId, t.createdAt),
    index("workflow_runs_tenant_status_created_idx").on(t.tenantId, t.status, t.createdAt),
    index("workflow_runs_tenant_created_idx").on(t.tenantId, t.createdAt),
    uniqueIndex("workflow_runs_dedupe_uq").on(t.tenantId, t.workflowId, t.dedupeKey),
  ],
);

/**
 * Each attempt of each step, written from inside the step (idempotent by run + step key + attempt).
 * `step_key` is the node id, with `#<i>` per loop iteration.
 */
export const workflowRunSteps = sqliteTable(
  "workflow_run_steps",
  {
    tenantId: tenantId(),
    runId: text("run_id").notNull(),
    stepKey: text("step_key").notNull(),
    attempt: integer("attempt").notNull(),
    nodeId: text("node_id").notNull(),
    nodeType: text("node_type").notNull(),
    status: text("status", { enum: STEP_STATUSES }).notNull(),
    input: text("input", { mode: "json" }),
    output: text("output", { mode: "json" }),
    port: text("port"),
    error: text("error"),
    replayed: integer("replayed", { mode: "boolean" }).notNull().default(false),
    durationMs: integer("duration_ms"),
    startedAt: integer("started_at").notNull(),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.runId, t.stepKey, t.attempt] }),
    index("workflow_run_steps_tenant_run_started_idx").on(t.tenantId, t.runId, t.startedAt),
  ],
);

/**
 * A human approval a run waits on. Approvers are member ids and/or roles; the email link carries a
 * single-use token stored as its SHA-256 hash.
 */
export const workflowApprovals = sqliteTable(
  "workflow_approvals",
  {
    tenantId: tenantId(),
    id: id(),
    runId: text("run_id").notNull(),
    workflowId: text("workflow_id").notNull(),
    nodeId: text("node_id").notNull(),
    stepKey: text("step_key").notNull(),
    eventType: text("event_type").notNull(), // what the instance's waitForEvent listens for
    status: text("status", { enum: APPROVAL_STATUSES }).notNull(),
    title: text("title").notNull(),
    message: text("message").notNull().default(""),
    context: text("context", { mode: "json" }).notNull(),
    approverUserIds: text("approver_user_ids", { mode: "json" }).$type<string[]>().notNull(),
    approverRoles: text("approver_roles", { mode: "json" }).$type<string[]>().notNull(),
    escalationUserIds: text("escalation_user_ids", { mode: "json" }).$type<string[]>().notNull(),
    tokenHash: text("token_hash").notNull(),
    tokenUsedAt: timestamp("token_used_at"),
    decidedBy: text("decided_by"),
    decidedVia: text("decided_via"), // dashboard | email
    comment: text("comment"),
    decidedAt: timestamp("decided_at"),
    expiresAt: timestamp("expires_at"),
    escalatedAt: timestamp("escalated_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("workflow_approvals_tenant_status_created_idx").on(t.tenantId, t.status, t.createdAt),
    uniqueIndex("workflow_approvals_run_step_uq").on(t.tenantId, t.runId, t.stepKey),
    uniqueIndex("workflow_approvals_token_uq").on(t.tokenHash),
  ],
);

/** The vault for HTTP steps: values sealed with encryptSecret, never returned by the API. */
export const workflowSecrets = sqliteTable(
  "workflow_secrets",
  {
    tenantId: tenantId(),
    name: text("name").notNull(),
    sealed: text("sealed").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);
