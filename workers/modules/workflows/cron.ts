import { and, eq, isNotNull, lte } from "drizzle-orm";
import { workflows } from "../../../schema/workflows";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { hasFeature } from "../billing";
import { nextCronTime, parseCron } from "./cron-expression";
import { startRun } from "./runs.service";

/**
 * Schedule triggers, on the Worker's cron tick (every 10 minutes): each published schedule
 * workflow whose next due minute has come starts one run (idempotent per due minute) and moves to
 * its next due minute. A cron finer than the tick fires at most once per tick.
 */
export async function runWorkflowsCron(env: Env, now = Date.now()): Promise<{ started: number }> {
  const db = getDb(env.DB);
  const due = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.triggerType, "schedule"), isNotNull(workflows.nextRunAt), lte(workflows.nextRunAt, now)))
    .limit(200);
  let started = 0;
  for (const wf of due) {
    const dueAt = wf.nextRunAt ?? now;
    let next: number | null = null;
    try {
      next = nextCronTime(parseCron(wf.scheduleCron ?? ""), now, wf.scheduleTimezone ?? "UTC");
    } catch {
      next = null;
    }
    // Claim this due minute: only the tick that moves next_run_at starts the run.
    const claimed = await db
      .update(workflows)
      .set({ nextRunAt: next })
      .where(and(eq(workflows.tenantId, wf.tenantId), eq(workflows.id, wf.id), eq(workflows.nextRunAt, dueAt)))
      .returning({ id: workflows.id });
    if (!claimed.length || !(await hasFeature(db, wf.tenantId, "workflows"))) continue;
    try {
      await startRun(db, env, wf.tenantId, wf.id, {
        triggerType: "schedule",
        type: "schedule",
        data: { scheduled_for: new Date(dueAt).toISOString() },
        dedupeKey: `schedule:${dueAt}`,
      });
      started++;
    } catch (err) {
      createLogger({ component: "workflows", tenant_id: wf.tenantId }).error("schedule_start_failed", {
        workflow_id: wf.id,
        error: String(err),
      });
    }
  }
  return { started };
}
