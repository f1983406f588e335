import { and, count, eq, gte, inArray } from "drizzle-orm";
import { workflowRuns } from "../../../schema/workflows";
import type { Db } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { hasFeature } from "../billing";

/**
 * Plan limits of workflows. Billing has no `workflow_runs` meter yet, so runs per calendar month
 * (UTC) are counted here from workflow_runs and enforced per plan tier; the `workflows` feature
 * itself is billing's (402 without it). Enterprise is told apart by its `sso` feature.
 */
export const RUN_LIMITS = {
  professional: { runsPerMonth: 10_000, concurrency: 10 },
  enterprise: { runsPerMonth: 250_000, concurrency: 50 },
} as const;

export async function limitsOf(db: Db, tenantId: string) {
  return (await hasFeature(db, tenantId, "sso")) ? RUN_LIMITS.enterprise : RUN_LIMITS.professional;
}

export const monthStart = (now = Date.now()) => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

export async function runsThisMonth(db: Db, tenantId: string, now = Date.now()): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(workflowRuns)
    .where(and(eq(workflowRuns.tenantId, tenantId), gte(workflowRuns.createdAt, monthStart(now))))
    .get();
  return row?.n ?? 0;
}

export async function activeRuns(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(workflowRuns)
    .where(and(eq(workflowRuns.tenantId, tenantId), inArray(workflowRuns.status, ["running", "waiting"])))
    .get();
  return row?.n ?? 0;
}

/** 402 when this month's runs are used up. */
export async function assertRunAllowance(db: Db, tenantId: string): Promise<void> {
  const limits = await limitsOf(db, tenantId);
  const used = await runsThisMonth(db, tenantId);
  if (used >= limits.runsPerMonth)
    throw new Problem(
      402,
      "quota-exceeded",
      "Plan limit reached",
      `This workspace has used its ${limits.runsPerMonth} workflow runs this month.`,
      {
        meter: "workflow_runs",
        used,
        limit: limits.runsPerMonth,
      },
    );
}
