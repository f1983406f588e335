import type { workflowApprovals } from "../../../schema/workflows";

export type ApprovalRow = typeof workflowApprovals.$inferSelect;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function serializeApproval(a: ApprovalRow, workflowName: string) {
  return {
    id: a.id,
    run_id: a.runId,
    workflow_id: a.workflowId,
    workflow_name: workflowName,
    node_id: a.nodeId,
    status: a.status,
    title: a.title,
    message: a.message,
    context: a.context,
    approver_roles: a.approverRoles,
    approver_user_ids: a.approverUserIds,
    decided_by: a.decidedBy,
    decided_via: a.decidedVia,
    comment: a.comment,
    decided_at: iso(a.decidedAt),
    expires_at: iso(a.expiresAt),
    created_at: new Date(a.createdAt).toISOString(),
  };
}
