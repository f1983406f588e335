import { and, eq, inArray } from "drizzle-orm";
import { type StepStatus, workflowRuns, workflowRunSteps } from "../../../schema/workflows";
import type { Db } from "../../platform/db";
import type { WorkflowDefinition } from "./definition";
import { getVersionDefinition } from "./workflows.service";

/** The D1 side of a run as its Workflow instance sees it: what to run, and each step recorded. */
export interface LoadedRun {
  workflowId: string;
  version: number;
  definition: WorkflowDefinition;
  input: { type: string; data: Record<string, unknown> };
  /** Outputs of the run this one re-runs, by step key (its successful steps). */
  replay: Record<string, { port: string; output: unknown }>;
}

export async function loadRun(db: Db, tenantId: string, runId: string): Promise<LoadedRun | null> {
  const run = await db
    .select()
    .from(workflowRuns)
    .where(and(eq(workflowRuns.tenantId, tenantId), eq(workflowRuns.id, runId)))
    .get();
  if (!run || (run.status !== "running" && run.status !== "waiting")) return null; // cancelled meanwhile
  const definition = await getVersionDefinition(db, tenantId, run.workflowId, run.version);
  const replay: LoadedRun["replay"] = {};
  if (run.retryOf) {
    const steps = await db
      .select()
      .from(workflowRunSteps)
      .where(
        and(eq(workflowRunSteps.tenantId, tenantId), eq(workflowRunSteps.runId, run.retryOf), eq(workflowRunSteps.status, "succeeded")),
      );
    for (const s of steps) replay[s.stepKey] = { port: s.port ?? "next", output: s.output ?? null };
  }
  return { workflowId: run.workflowId, version: run.version, definition, input: run.input as LoadedRun["input"], replay };
}

export interface StepRecord {
  stepKey: string;
  attempt: number;
  nodeId: string;
  nodeType: string;
  status: StepStatus;
  input?: unknown;
  output?: unknown;
  port?: string | null;
  error?: string | null;
  replayed?: boolean;
  startedAt: number;
  finishedAt?: number | null;
}

/**
 * Writes one attempt of a step (an upsert on run + step key + attempt, so a re-executed write is
 * harmless) and moves the run's current node (and status: waiting while it sleeps or waits on a
 * person, running otherwise) in the same batch. A final run is never moved back.
 */
export async function recordStep(db: Db, tenantId: string, runId: string, r: StepRecord, runStatus: "running" | "waiting" = "running") {
  const finishedAt = r.finishedAt ?? (r.status === "running" || r.status === "waiting" ? null : Date.now());
  const values = {
    tenantId,
    runId,
    stepKey: r.stepKey,
    attempt: r.attempt,
    nodeId: r.nodeId,
    nodeType: r.nodeType,
    status: r.status,
    input: r.input ?? null,
    output: r.output ?? null,
    port: r.port ?? null,
    error: r.error ?? null,
    replayed: r.replayed ?? false,
    durationMs: finishedAt === null ? null : finishedAt - r.startedAt,
    startedAt: r.startedAt,
    finishedAt,
  };
  const { tenantId: _t, runId: _r, stepKey: _k, attempt: _a, startedAt: _s, ...set } = values;
  const now = Date.now();
  await db.batch([
    db
      .insert(workflowRunSteps)
      .values(values)
      .onConflictDoUpdate({
        target: [workflowRunSteps.tenantId, workflowRunSteps.runId, workflowRunSteps.stepKey, workflowRunSteps.attempt],
        set,
      }),
    db
      .update(workflowRuns)
      .set({ currentNodeId: r.nodeId, status: runStatus, updatedAt: now })
      .where(and(eq(workflowRuns.tenantId, tenantId), eq(workflowRuns.id, runId), inArray(workflowRuns.status, ["running", "waiting"]))),
  ]);
}
