import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import { type ApprovalStatus, workflowApprovals, workflows } from "../../../schema/workflows";
import { auditInsert } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { sha256Hex } from "../../platform/crypto";
import { type Db, getDb, tenantScope } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { conflict, forbidden, gone, notFound } from "../../platform/errors";
import { createLogger } from "../../platform/logger";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import { type ApprovalDecision, workflowName } from "./approvals.request";
import { type ApprovalRow, serializeApproval } from "./approvals.serialize";
import { automationBinding } from "./runs.service";

/**
 * People's decisions on approvals: the dashboard inbox (list, decide) and the single-use email link.
 * A decision is recorded once and sent to the run's Workflow instance. Requesting is approvals.request.ts.
 */
const log = createLogger({ component: "workflows" });

async function getApprovalRow(db: Db, tenantId: string, id: string): Promise<ApprovalRow> {
  const a = await db
    .select()
    .from(workflowApprovals)
    .where(tenantScope(db, tenantId).where(workflowApprovals, eq(workflowApprovals.id, id)))
    .get();
  if (!a) throw notFound("Approval");
  return a;
}

/** Records the decision (pending → approved/rejected, once) and sends it to the run's instance. */
async function decide(db: Db, env: Env, a: ApprovalRow, d: ApprovalDecision, via: "dashboard" | "email", extra: Partial<ApprovalRow> = {}) {
  const now = Date.now();
  const [done] = await db.batch([
    db
      .update(workflowApprovals)
      .set({ status: d.decision, comment: d.comment, decidedBy: d.decided_by, decidedVia: via, decidedAt: now, ...extra })
      .where(and(eq(workflowApprovals.tenantId, a.tenantId), eq(workflowApprovals.id, a.id), eq(workflowApprovals.status, "pending")))
      .returning({ id: workflowApprovals.id }),
    auditInsert(
      db,
      { type: d.decided_by ? "user" : "system", id: d.decided_by, ip: null, userAgent: null },
      {
        tenantId: a.tenantId,
        action: `workflow.approval.${d.decision}`,
        target: { type: "workflow_approval", id: a.id },
        metadata: { run_id: a.runId, via },
      },
    ),
  ]);
  if (!done.length) throw conflict(`This approval is no longer pending (${a.status}).`, "approval-decided");
  try {
    const binding = automationBinding(env);
    // A run written without its instance (the demo seed) gets one now: it replays to this approval.
    const instance = await binding
      .get(a.runId)
      .catch(() => binding.create({ id: a.runId, params: { tenantId: a.tenantId, runId: a.runId } }));
    await instance.sendEvent({ type: a.eventType, payload: d });
  } catch (err) {
    log.error("approval_event_failed", { tenant_id: a.tenantId, run_id: a.runId, error: String(err) });
  }
  return getApprovalRow(db, a.tenantId, a.id);
}

export async function decideApproval(c: Context<AppEnv>, id: string, input: { decision: "approved" | "rejected"; comment?: string }) {
  const db = getDb(c.env.DB);
  const tenantId = currentTenantId(c);
  const a = await getApprovalRow(db, tenantId, id);
  const p = c.get("principal");
  if (p.kind !== "user") throw forbidden("Approvals are decided by people, not API keys.");
  const role = c.get("tenant").role;
  const allowed =
    a.approverUserIds.includes(p.userId) || a.escalationUserIds.includes(p.userId) || (role !== null && a.approverRoles.includes(role));
  if (!allowed) throw forbidden("You are not an approver of this step.");
  if (a.status !== "pending") throw conflict(`This approval is no longer pending (${a.status}).`, "approval-decided");
  const row = await decide(db, c.env, a, { decision: input.decision, comment: input.comment ?? null, decided_by: p.userId }, "dashboard");
  return serializeApproval(row, await workflowName(db, tenantId, a.workflowId));
}

export async function listApprovals(c: Context<AppEnv>, q: PageQuery & { status: ApprovalStatus; scope: "mine" | "all" }) {
  const db = getDb(c.env.DB);
  const tenantId = currentTenantId(c);
  const page = keyset(workflowApprovals.createdAt, workflowApprovals.id, q.cursor);
  const conds: (SQL | undefined)[] = [eq(workflowApprovals.status, q.status), page.where];
  if (q.scope === "mine") {
    const p = c.get("principal");
    if (p.kind !== "user") return { data: [], next_cursor: null };
    const role = c.get("tenant").role ?? "";
    conds.push(
      sql`(exists (select 1 from json_each(${workflowApprovals.approverUserIds}) where value = ${p.userId})
        or exists (select 1 from json_each(${workflowApprovals.escalationUserIds}) where value = ${p.userId})
        or exists (select 1 from json_each(${workflowApprovals.approverRoles}) where value = ${role}))`,
    );
  }
  const rows = await db
    .select({ a: workflowApprovals, name: workflows.name })
    .from(workflowApprovals)
    .leftJoin(workflows, and(eq(workflows.tenantId, workflowApprovals.tenantId), eq(workflows.id, workflowApprovals.workflowId)))
    .where(tenantScope(db, tenantId).where(workflowApprovals, ...conds))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(
    rows,
    q.limit,
    (r) => r.a,
    (r) => serializeApproval(r.a, r.name ?? "(deleted workflow)"),
  );
}

/** The email link: a token that works once, while the approval is pending. */
async function byToken(db: Db, token: string): Promise<ApprovalRow> {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) throw notFound("Approval");
  const a = await db
    .select()
    .from(workflowApprovals)
    .where(eq(workflowApprovals.tokenHash, await sha256Hex(token)))
    .get();
  if (!a) throw notFound("Approval");
  return a;
}

export async function publicApproval(db: Db, token: string) {
  const a = await byToken(db, token);
  const tenant = await getTenant(db, a.tenantId);
  return {
    workspace: { name: tenant.name },
    workflow_name: await workflowName(db, a.tenantId, a.workflowId),
    title: a.title,
    message: a.message,
    context: a.context,
    status: a.status,
    expires_at: a.expiresAt === null ? null : new Date(a.expiresAt).toISOString(),
    decided_at: a.decidedAt === null ? null : new Date(a.decidedAt).toISOString(),
  };
}

export async function publicDecide(db: Db, env: Env, token: string, input: { decision: "approved" | "rejected"; comment?: string }) {
  const a = await byToken(db, token);
  if (a.tokenUsedAt !== null || a.status !== "pending")
    throw gone(`This link was already used or the approval is no longer pending (${a.status}).`);
  await decide(db, env, a, { decision: input.decision, comment: input.comment ?? null, decided_by: null }, "email", {
    tokenUsedAt: Date.now(),
  });
  return publicApproval(db, token);
}
