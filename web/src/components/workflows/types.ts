/**
 * Workflow shapes for the builder and pages: the generated OpenAPI types (web/src/lib/api-types.ts,
 * from workers/modules/workflows/schemas.ts), under the names the builder uses.
 */
import type {
  PublicWorkflowApproval,
  WorkflowApproval,
  WorkflowDefinitionError,
  WorkflowEventType,
  WorkflowNodeType,
  WorkflowRun,
  WorkflowRunDetail,
  WorkflowRunStep,
  WorkflowSecret,
  WorkflowTemplate,
  WorkflowTrigger,
} from "../../lib/api-types";
import type { JsonSchema } from "./graph";

export type {
  Workflow,
  WorkflowDefinition,
  WorkflowEdge,
  WorkflowNode,
  WorkflowRun,
  WorkflowSummary,
  WorkflowValidation as Validation,
  WorkflowVersion,
} from "../../lib/api-types";
export type NodeType = WorkflowNodeType["type"];
/** A node type with `config_schema` read as the JSON Schema it is (the generated type says only "an object"). */
export type NodeTypeInfo = Omit<WorkflowNodeType, "config_schema"> & { config_schema: JsonSchema };
export type Trigger = WorkflowTrigger;
export type DefinitionError = WorkflowDefinitionError;
export type WorkflowStatus = "draft" | "published";
export type RunStatus = WorkflowRun["status"];
export type RunStep = WorkflowRunStep;
export type StepStatus = RunStep["status"];
export type RunDetail = WorkflowRunDetail;
export type Approval = WorkflowApproval;
export type ApprovalStatus = Approval["status"];
export type PublicApproval = PublicWorkflowApproval;
export type Template = WorkflowTemplate;
export type EventType = WorkflowEventType;
export type Secret = WorkflowSecret;

export const RUN_TONE: Record<RunStatus, "neutral" | "accent" | "success" | "warning" | "danger"> = {
  queued: "neutral",
  running: "accent",
  waiting: "warning",
  completed: "success",
  failed: "danger",
  cancelled: "neutral",
  skipped: "warning", // not started: the plan's workflow runs for the month were used up
};
