import { and, eq } from "drizzle-orm";
import { workflowApprovals, workflows } from "../../../schema/workflows";
import { sha256Hex } from "../../platform/crypto";
import { type Db, tenantScope } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId, randomToken } from "../../platform/ids";
import { send } from "../messaging";
import { membersFor } from "./recipients";

/**
 * The engine's side of an approval step: request it (tell the approvers), escalate it, time it out.
 * People's decisions (dashboard and email link) are approvals.service.ts.
 */
/** Decision payload sent to the run's Workflow instance (`waitForEvent` type `approval-<step>`). */
export interface ApprovalDecision {
  decision: "approved" | "rejected";
  comment: string | null;
  decided_by: string | null;
}
export const approvalEventType = (stepKey: string) => `approval-${stepKey.replace(/[^A-Za-z0-9_-]/g, "-")}`;

export async function workflowName(db: Db, tenantId: string, workflowId: string) {
  const wf = await db
    .select({ name: workflows.name })
    .from(workflows)
    .where(tenantScope(db, tenantId).where(workflows, eq(workflows.id, workflowId)))
    .get();
  return wf?.name ?? "(deleted workflow)";
}

export interface ApprovalRequest {
  tenantId: string;
  runId: string;
  workflowId: string;
  nodeId: string;
  stepKey: string;
  title: string;
  message: string;
  context: Record<string, unknown>;
  approverRoles: string[];
  approverUserIds: string[];
  escalationUserIds: string[];
  expiresAt: number;
}

/**
 * Creates the approval (once per run step) and tells the approvers: an in-app notification and an
 * email whose link carries a single-use token (stored as its SHA-256). Called from inside the
 * engine's step, so a retried step finds its row and sends nothing twice.
 */
export async function requestApproval(db: Db, env: Env, r: ApprovalRequest): Promise<{ id: string; eventType: string }> {
  const token = randomToken(32);
  const id = newId("wfa");
  const eventType = approvalEventType(r.stepKey);
  const inserted = await db
    .insert(workflowApprovals)
    .values({
      tenantId: r.tenantId,
      id,
      runId: r.runId,
      workflowId: r.workflowId,
      nodeId: r.nodeId,
      stepKey: r.stepKey,
      eventType,
      status: "pending",
      title: r.title,
      message: r.message,
      context: r.context,
      approverUserIds: r.approverUserIds,
      approverRoles: r.approverRoles,
      escalationUserIds: r.escalationUserIds,
      tokenHash: await sha256Hex(token),
      expiresAt: r.expiresAt,
      createdAt: Date.now(),
    })
    .onConflictDoNothing()
    .returning({ id: workflowApprovals.id });
  if (!inserted.length) {
    const existing = await db
      .select({ id: workflowApprovals.id })
      .from(workflowApprovals)
      .where(
        and(eq(workflowApprovals.tenantId, r.tenantId), eq(workflowApprovals.runId, r.runId), eq(workflowApprovals.stepKey, r.stepKey)),
      )
      .get();
    return { id: existing?.id ?? id, eventType };
  }
  const origin = env.APP_URL.replace(/\/$/, "");
  const name = await workflowName(db, r.tenantId, r.workflowId);
  for (const p of await membersFor(db, r.tenantId, r.approverRoles, r.approverUserIds)) {
    const base = { tenantId: r.tenantId, template: "notifications.generic", category: "transactional" as const };
    await send(db, env.OUTBOX, {
      ...base,
      to: { userId: p.userId },
      channels: ["in_app"],
      data: { title: `Approval needed: ${r.title}`, body: `${name}: ${r.message}`, link: `${origin}/workflows/approvals` },
      idempotencyKey: `wfa:${id}:${p.userId}:in_app`,
    });
    await send(db, env.OUTBOX, {
      ...base,
      to: { email: p.email },
      channels: ["email"],
      data: {
        title: `Approval needed: ${r.title}`,
        body: `${name}: ${r.message}\n\nApprove or reject (the link works once): ${origin}/workflow-approvals/${token}`,
        link: `${origin}/workflow-approvals/${token}`,
      },
      idempotencyKey: `wfa:${id}:${p.userId}:email`,
    });
  }
  return { id, eventType };
}

/** After `escalate_after_hours` without a decision: tell the escalation approvers (default: the owners). */
export async function escalateApproval(db: Db, env: Env, tenantId: string, approvalId: string): Promise<void> {
  const now = Date.now();
  const [a] = await db
    .update(workflowApprovals)
    .set({ escalatedAt: now })
    .where(and(eq(workflowApprovals.tenantId, tenantId), eq(workflowApprovals.id, approvalId), eq(workflowApprovals.status, "pending")))
    .returning();
  if (!a || a.escalatedAt !== now) return;
  const people = await membersFor(db, tenantId, a.escalationUserIds.length ? [] : ["owner"], a.escalationUserIds);
  const origin = env.APP_URL.replace(/\/$/, "");
  for (const p of people) {
    await send(db, env.OUTBOX, {
      tenantId,
      template: "notifications.generic",
      category: "transactional",
      to: { userId: p.userId },
      channels: ["in_app"],
      data: {
        title: `Escalated approval: ${a.title}`,
        body: "Nobody has decided yet; you may approve or reject it.",
        link: `${origin}/workflows/approvals`,
      },
      idempotencyKey: `wfa:${a.id}:${p.userId}:escalated`,
    });
    await send(db, env.OUTBOX, {
      tenantId,
      template: "notifications.generic",
      category: "transactional",
      to: { email: p.email },
      channels: ["email"],
      data: {
        title: `Escalated approval: ${a.title}`,
        body: "Nobody has decided yet; you may approve or reject it.",
        link: `${origin}/workflows/approvals`,
      },
      idempotencyKey: `wfa:${a.id}:${p.userId}:escalated-email`,
    });
  }
}

/**
 * The approval's wait ran out: pending → timeout. If someone decided at the same moment, their
 * decision stands (the instance may have missed the event): it is returned instead.
 */
export async function timeoutApproval(db: Db, tenantId: string, approvalId: string): Promise<ApprovalDecision | null> {
  const now = Date.now();
  const done = await db
    .update(workflowApprovals)
    .set({ status: "timeout", decidedAt: now })
    .where(and(eq(workflowApprovals.tenantId, tenantId), eq(workflowApprovals.id, approvalId), eq(workflowApprovals.status, "pending")))
    .returning({ id: workflowApprovals.id });
  if (done.length) return null;
  const a = await db
    .select()
    .from(workflowApprovals)
    .where(and(eq(workflowApprovals.tenantId, tenantId), eq(workflowApprovals.id, approvalId)))
    .get();
  return a && (a.status === "approved" || a.status === "rejected")
    ? { decision: a.status, comment: a.comment, decided_by: a.decidedBy }
    : null;
}
