import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { consumeQuotaOrThrow } from "../billing";

/**
 * The `workflow_runs` meter (billing/plans.ts): one unit per run, consumed when the run starts.
 * The usage event id is the run's identity — `<workflow>:<dedupe key>` for starts that have one (an
 * event id, a schedule minute, a webhook-id, the run a re-run retries; the same pair can only ever
 * be one run, by workflow_runs' unique index), else the new run's id — so a redelivered trigger, or
 * two racing deliveries, count once.
 */
export const runUsageEventId = (workflowId: string, runId: string, dedupeKey: string | null | undefined) =>
  `workflow_run:${dedupeKey ? `${workflowId}:${dedupeKey}` : runId}`;

export interface QuotaRefusal {
  reason: "quota_exceeded";
  meter: "workflow_runs";
  used: number;
  limit: number | null;
  plan: string;
  upgrade_url: string;
  /** The 402 a person starting the run by hand gets. */
  problem: Problem;
}

/** Consumes one run; null when granted, else what was refused (the caller answers 402 or records a skipped run). */
export async function consumeRun(env: Env, tenantId: string, eventId: string, userId: string | null): Promise<QuotaRefusal | null> {
  try {
    await consumeQuotaOrThrow(env, tenantId, "workflow_runs", 1, { eventId, userId });
    return null;
  } catch (e) {
    if (!(e instanceof Problem) || e.status !== 402) throw e;
    const x = e.extensions as { current_usage?: number; limit?: number | null; plan?: string; upgrade_url?: string };
    return {
      reason: "quota_exceeded",
      meter: "workflow_runs",
      used: x.current_usage ?? 0,
      limit: x.limit ?? null,
      plan: x.plan ?? "",
      upgrade_url: x.upgrade_url ?? "",
      problem: e,
    };
  }
}
