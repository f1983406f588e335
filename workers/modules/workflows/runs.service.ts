import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import {
  type RunStatus,
  workflowApprovals,
  workflowRuns,
  workflowRunSteps,
  workflows,
  type WorkflowTriggerType,
} from "../../../schema/workflows";
import type { Actor } from "../../platform/audit";
import { type Db, tenantScope } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import { serializeApproval } from "./approvals.serialize";
import { activeRuns, limitsOf } from "./limits";
import { consumeRun, type QuotaRefusal, runUsageEventId } from "./run-quota";
import { getWorkflowRow } from "./workflows.service";

/** What a Workflow instance of AutomationRun is created with (instance id = run id). */
export interface RunParams {
  tenantId: string;
  runId: string;
}
type WithWorkflow = Env & { AUTOMATION_RUN?: Workflow<RunParams> };
export function automationBinding(env: Env): Workflow<RunParams> {
  const b = (env as WithWorkflow).AUTOMATION_RUN;
  if (!b) throw new Error("The AUTOMATION_RUN Workflow binding is missing (wrangler.toml [[workflows]])");
  return b;
}

export type RunRow = typeof workflowRuns.$inferSelect;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
export function serializeRun(r: RunRow) {
  return {
    id: r.id,
    workflow_id: r.workflowId,
    version: r.version,
    status: r.status,
    trigger_type: r.triggerType,
    input: r.input,
    output: r.output ?? null,
    error: r.error,
    current_node_id: r.currentNodeId,
    retry_of: r.retryOf,
    started_by: r.startedBy,
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
    created_at: new Date(r.createdAt).toISOString(),
  };
}

export async function getRunRow(db: Db, tenantId: string, id: string): Promise<RunRow> {
  const row = await db
    .select()
    .from(workflowRuns)
    .where(tenantScope(db, tenantId).where(workflowRuns, eq(workflowRuns.id, id)))
    .get();
  if (!row) throw notFound("Workflow run");
  return row;
}

export interface StartInput {
  triggerType: WorkflowTriggerType;
  /** trigger.type: the event type for event triggers, else the trigger type. */
  type?: string;
  data: Record<string, unknown>;
  startedBy?: string | null;
  /** Idempotency of the start (event id, schedule minute, webhook-id); null for manual runs. */
  dedupeKey?: string | null;
  retryOf?: string | null;
  version?: number;
}

/**
 * Starts a run of the workflow's published version (or `version` for a re-run): a `queued` row,
 * then a dispatch that gives it a Workflow instance when the workspace is under its concurrency
 * cap. A repeated start with the same dedupe key returns the first run.
 */
export async function startRun(db: Db, env: Env, tenantId: string, workflowId: string, s: StartInput) {
  const wf = await getWorkflowRow(db, tenantId, workflowId);
  const version = s.version ?? wf.publishedVersion;
  if (version === null || version === undefined) throw conflict("Publish the workflow before running it.", "workflow-not-published");
  if (s.dedupeKey) {
    const existing = await db
      .select()
      .from(workflowRuns)
      .where(
        tenantScope(db, tenantId).where(workflowRuns, eq(workflowRuns.workflowId, workflowId), eq(workflowRuns.dedupeKey, s.dedupeKey)),
      )
      .get();
    if (existing) return serializeRun(existing);
  }
  const id = newId("wfr");
  // One unit of the `workflow_runs` meter. Over the plan's runs this month, a run a person starts (by
  // hand, or a re-run) is refused with the 402; a run a trigger starts is not started but recorded as
  // `skipped` with the reason, so it is never dropped silently (and a redelivery finds that row).
  const meterUser = s.startedBy?.startsWith("usr_") ? s.startedBy : null;
  const refused = await consumeRun(env, tenantId, runUsageEventId(workflowId, id, s.dedupeKey), meterUser);
  if (refused && (s.triggerType === "manual" || s.retryOf)) throw refused.problem;
  const now = Date.now();
  const inserted = await db
    .insert(workflowRuns)
    .values({
      tenantId,
      id,
      workflowId,
      version,
      status: refused ? "skipped" : "queued",
      triggerType: s.triggerType,
      dedupeKey: s.dedupeKey ?? null,
      input: { type: s.type ?? s.triggerType, data: s.data },
      ...(refused ? skippedFields(refused, now) : {}),
      retryOf: s.retryOf ?? null,
      startedBy: s.startedBy ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: workflowRuns.id });
  if (!inserted.length && s.dedupeKey) {
    const first = await db
      .select()
      .from(workflowRuns)
      .where(
        tenantScope(db, tenantId).where(workflowRuns, eq(workflowRuns.workflowId, workflowId), eq(workflowRuns.dedupeKey, s.dedupeKey)),
      )
      .get();
    if (first) return serializeRun(first);
  }
  if (!refused) await dispatchQueued(db, env, tenantId);
  return serializeRun(await getRunRow(db, tenantId, id));
}

/** A trigger's run over the plan's monthly runs: final at once, its output says why (the run history shows it). */
function skippedFields(r: QuotaRefusal, now: number) {
  const month = new Date(now).toISOString().slice(0, 7);
  return {
    error: `Not started: the plan's ${r.limit?.toLocaleString("en-US")} workflow runs for ${month} are used. Upgrade the plan to run more.`,
    output: { reason: r.reason, meter: r.meter, used: r.used, limit: r.limit, plan: r.plan, upgrade_url: r.upgrade_url },
    finishedAt: now,
  };
}

/**
 * Gives queued runs (oldest first) a Workflow instance while the workspace has free slots. Each run
 * is claimed with a conditional UPDATE (queued → running), so two dispatchers never start one twice.
 */
export async function dispatchQueued(db: Db, env: Env, tenantId: string): Promise<number> {
  const { concurrency } = await limitsOf(db, tenantId);
  const free = concurrency - (await activeRuns(db, tenantId));
  if (free <= 0) return 0;
  const queued = await db
    .select({ id: workflowRuns.id })
    .from(workflowRuns)
    .where(and(eq(workflowRuns.tenantId, tenantId), eq(workflowRuns.status, "queued")))
    .orderBy(asc(workflowRuns.createdAt), asc(workflowRuns.id))
    .limit(free);
  let started = 0;
  for (const q of queued) {
    const now = Date.now();
    const claimed = await db
      .update(workflowRuns)
      .set({ status: "running", startedAt: now, updatedAt: now })
      .where(and(eq(workflowRuns.tenantId, tenantId), eq(workflowRuns.id, q.id), eq(workflowRuns.status, "queued")))
      .returning({ id: workflowRuns.id });
    if (!claimed.length) continue;
    try {
      await automationBinding(env).create({ id: q.id, params: { tenantId, runId: q.id } });
      started++;
    } catch (err) {
      createLogger({ component: "workflows", tenant_id: tenantId }).error("instance_create_failed", { run_id: q.id, error: String(err) });
      await finishRun(db, tenantId, q.id, "failed", { error: `Could not start the Workflow instance: ${String(err)}` });
    }
  }
  return started;
}

/** Marks a run final (only from a non-final status) and cancels its pending approvals. */
export async function finishRun(
  db: Db,
  tenantId: string,
  runId: string,
  status: Extract<RunStatus, "completed" | "failed" | "cancelled">,
  x: { output?: unknown; error?: string | null } = {},
): Promise<boolean> {
  const now = Date.now();
  const [done] = await db.batch([
    db
      .update(workflowRuns)
      .set({ status, output: x.output ?? null, error: x.error ?? null, finishedAt: now, updatedAt: now })
      .where(
        and(
          eq(workflowRuns.tenantId, tenantId),
          eq(workflowRuns.id, runId),
          inArray(workflowRuns.status, ["queued", "running", "waiting"]),
        ),
      )
      .returning({ id: workflowRuns.id }),
    db
      .update(workflowApprovals)
      .set({ status: "cancelled", decidedAt: now })
      .where(and(eq(workflowApprovals.tenantId, tenantId), eq(workflowApprovals.runId, runId), eq(workflowApprovals.status, "pending"))),
  ]);
  return done.length > 0;
}

export async function listRuns(db: Db, tenantId: string, workflowId: string, q: PageQuery & { status?: RunStatus }) {
  await getWorkflowRow(db, tenantId, workflowId);
  const page = keyset(workflowRuns.createdAt, workflowRuns.id, q.cursor);
  const conds: (SQL | undefined)[] = [eq(workflowRuns.workflowId, workflowId), page.where];
  if (q.status) conds.push(eq(workflowRuns.status, q.status));
  const rows = await db
    .select()
    .from(workflowRuns)
    .where(tenantScope(db, tenantId).where(workflowRuns, ...conds))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeRun);
}

type StepRow = typeof workflowRunSteps.$inferSelect;
/** One entry per step key: its latest attempt, with every attempt in `attempt_log`. */
export function collapseSteps(rows: StepRow[]) {
  const byKey = new Map<string, StepRow[]>();
  for (const r of rows) byKey.set(r.stepKey, [...(byKey.get(r.stepKey) ?? []), r]);
  return [...byKey.values()].map((attempts) => {
    attempts.sort((a, b) => a.attempt - b.attempt);
    const last = attempts[attempts.length - 1];
    return {
      step_key: last.stepKey,
      node_id: last.nodeId,
      node_type: last.nodeType,
      status: last.status,
      attempts: attempts.length,
      input: last.input ?? null,
      output: last.output ?? null,
      port: last.port,
      error: last.error,
      replayed: last.replayed,
      duration_ms: last.durationMs,
      started_at: new Date(attempts[0].startedAt).toISOString(),
      finished_at: iso(last.finishedAt),
      attempt_log: attempts.map((a) => ({
        attempt: a.attempt,
        status: a.status,
        error: a.error,
        duration_ms: a.durationMs,
        started_at: new Date(a.startedAt).toISOString(),
      })),
    };
  });
}

export async function getRunDetail(db: Db, tenantId: string, runId: string) {
  const run = await getRunRow(db, tenantId, runId);
  const scope = tenantScope(db, tenantId);
  const [steps, approvals, wf] = await Promise.all([
    db
      .select()
      .from(workflowRunSteps)
      .where(scope.where(workflowRunSteps, eq(workflowRunSteps.runId, runId)))
      .orderBy(asc(workflowRunSteps.startedAt), asc(workflowRunSteps.attempt)),
    db
      .select()
      .from(workflowApprovals)
      .where(scope.where(workflowApprovals, eq(workflowApprovals.runId, runId)))
      .orderBy(asc(workflowApprovals.createdAt)),
    db
      .select({ name: workflows.name })
      .from(workflows)
      .where(scope.where(workflows, eq(workflows.id, run.workflowId)))
      .get(),
  ]);
  const name = wf?.name ?? "(deleted workflow)";
  return {
    ...serializeRun(run),
    workflow_name: name,
    steps: collapseSteps(steps),
    approvals: approvals.map((a) => serializeApproval(a, name)),
  };
}

export async function cancelRun(db: Db, env: Env, tenantId: string, runId: string, _actor: Actor) {
  const run = await getRunRow(db, tenantId, runId);
  if (!["queued", "running", "waiting"].includes(run.status)) throw conflict(`This run already ended (${run.status}).`, "run-ended");
  if (run.status !== "queued") {
    try {
      await (await automationBinding(env).get(runId)).terminate();
    } catch (err) {
      // Already finished or never created: the D1 status below is what the history shows.
      createLogger({ component: "workflows", tenant_id: tenantId }).warn("terminate_failed", { run_id: runId, error: String(err) });
    }
  }
  await finishRun(db, tenantId, runId, "cancelled", { error: "Cancelled" });
  await dispatchQueued(db, env, tenantId);
  return serializeRun(await getRunRow(db, tenantId, runId));
}

/** A new run of the failed run's version and input that replays the recorded outputs of its successful steps. */
export async function retryRun(db: Db, env: Env, tenantId: string, runId: string, actor: Actor) {
  const run = await getRunRow(db, tenantId, runId);
  if (run.status !== "failed") throw conflict("Only a failed run can be re-run from its failed step.", "run-not-failed");
  const input = run.input as { type?: string; data?: Record<string, unknown> };
  return startRun(db, env, tenantId, run.workflowId, {
    triggerType: run.triggerType,
    type: input.type,
    data: input.data ?? {},
    startedBy: actor.id,
    retryOf: run.id,
    version: run.version,
    dedupeKey: `retry:${run.id}`,
  });
}
