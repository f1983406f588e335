/**
 * Workflow shapes for the builder and pages (the contract in docs/automation.md; the engine's zod
 * schemas in workers/modules/workflows/schemas.ts).
 */
import type { JsonSchema } from "./graph";

export type NodeType = "trigger" | "condition" | "wait" | "send_message" | "http_request" | "update_record" | "ai" | "loop" | "approval";

export interface WorkflowNode {
  id: string;
  type: NodeType;
  name: string;
  position: { x: number; y: number };
  config: Record<string, unknown>;
}
export interface WorkflowEdge {
  id: string;
  from: string;
  to: string;
  port?: string;
}
export type Trigger =
  | { type: "event"; event: string; filter?: unknown }
  | { type: "schedule"; cron: string; timezone?: string }
  | { type: "webhook" }
  | { type: "manual" };
export interface WorkflowDefinition {
  trigger: Trigger;
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

export interface NodeTypeInfo {
  type: NodeType;
  label: string;
  category: "trigger" | "logic" | "action" | "human";
  description: string;
  outputs: string[];
  config_schema: JsonSchema;
}

export type WorkflowStatus = "draft" | "published";
export interface WorkflowSummary {
  id: string;
  name: string;
  description: string;
  status: WorkflowStatus;
  trigger: Trigger;
  published_version: number | null;
  published_at: string | null;
  has_unpublished_changes: boolean;
  template_id: string | null;
  created_at: string;
  updated_at: string;
}
export interface Workflow extends WorkflowSummary {
  definition: WorkflowDefinition;
  webhook_url: string;
}
export interface DefinitionError {
  node_id: string | null;
  field: string;
  message: string;
}
export interface Validation {
  valid: boolean;
  errors: DefinitionError[];
}
export interface WorkflowVersion {
  version: number;
  definition: WorkflowDefinition;
  published_by: string | null;
  published_at: string;
}

export type RunStatus = "queued" | "running" | "waiting" | "completed" | "failed" | "cancelled";
export type StepStatus = "running" | "succeeded" | "failed" | "waiting" | "skipped";
export type ApprovalStatus = "pending" | "approved" | "rejected" | "timeout" | "cancelled";
export interface WorkflowRun {
  id: string;
  workflow_id: string;
  version: number;
  status: RunStatus;
  trigger_type: Trigger["type"];
  input: unknown;
  output: unknown;
  error: string | null;
  current_node_id: string | null;
  retry_of: string | null;
  started_by: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
}
export interface RunStep {
  step_key: string;
  node_id: string;
  node_type: string;
  status: StepStatus;
  attempts: number;
  input: unknown;
  output: unknown;
  port: string | null;
  error: string | null;
  replayed: boolean;
  duration_ms: number | null;
  started_at: string;
  finished_at: string | null;
  attempt_log: { attempt: number; status: StepStatus; error: string | null; duration_ms: number | null; started_at: string }[];
}
export interface Approval {
  id: string;
  run_id: string;
  workflow_id: string;
  workflow_name: string;
  node_id: string;
  status: ApprovalStatus;
  title: string;
  message: string;
  context: unknown;
  approver_roles: string[];
  approver_user_ids: string[];
  decided_by: string | null;
  decided_via: string | null;
  comment: string | null;
  decided_at: string | null;
  expires_at: string | null;
  created_at: string;
}
export interface RunDetail extends WorkflowRun {
  workflow_name: string;
  steps: RunStep[];
  approvals: Approval[];
}
export interface PublicApproval {
  workspace: { name: string };
  workflow_name: string;
  title: string;
  message: string;
  context: unknown;
  status: ApprovalStatus;
  expires_at: string | null;
  decided_at: string | null;
}
export interface Template {
  id: string;
  name: string;
  description: string;
  category: string;
  definition: WorkflowDefinition;
}
export interface EventType {
  type: string;
  group: string;
  description: string;
  sample: Record<string, unknown>;
}
export interface Secret {
  name: string;
  created_at: string;
  updated_at: string;
}

export const RUN_TONE: Record<RunStatus, "neutral" | "accent" | "success" | "warning" | "danger"> = {
  queued: "neutral",
  running: "accent",
  waiting: "warning",
  completed: "success",
  failed: "danger",
  cancelled: "neutral",
};
