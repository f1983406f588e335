import { and, count, eq, inArray } from "drizzle-orm";
import { workflowRuns } from "../../../schema/workflows";
import type { Db } from "../../platform/db";
import { hasFeature } from "../billing";

/**
 * Concurrency per plan tier: runs `running` or `waiting` at once per workspace (more wait `queued`).
 * Runs per month are billing's `workflow_runs` meter (billing/plans.ts; enforced in run-quota.ts).
 * Enterprise is told apart by its `sso` feature.
 */
export const RUN_LIMITS = {
  professional: { concurrency: 10 },
  enterprise: { concurrency: 50 },
} as const;

export async function limitsOf(db: Db, tenantId: string) {
  return (await hasFeature(db, tenantId, "sso")) ? RUN_LIMITS.enterprise : RUN_LIMITS.professional;
}

export async function activeRuns(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(workflowRuns)
    .where(and(eq(workflowRuns.tenantId, tenantId), inArray(workflowRuns.status, ["running", "waiting"])))
    .get();
  return row?.n ?? 0;
}
