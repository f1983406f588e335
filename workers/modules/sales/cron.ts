import type { Env } from "../../platform/env";
import { rescorePending } from "./scoring.service";
import { syncSiteVisits } from "./visits";

/**
 * Every cron tick (workers/index.ts): first site visits from analytics (visits.ts: page views of
 * identified persons matched to leads by email; changed leads re-scored at once), then re-scores leads
 * scored under an older ICP/model version, or changed since, in bounded slices: up to 50,000 leads per
 * tick over all workspaces, 25,000 per workspace (≈10,000 leads/s measured in workerd: a few seconds),
 * read 2,000 at a time and written in UPDATEs of 500 (one JSON parameter each, so D1's
 * 100-bound-parameter limit is never near).
 */
export async function runSalesCron(env: Env, now: number): Promise<{ rescored: number; visits: number }> {
  const visits = await syncSiteVisits(env, now);
  const { rescored } = await rescorePending(env);
  return { rescored, visits: visits.changed };
}
