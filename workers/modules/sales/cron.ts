import type { Env } from "../../platform/env";
import { rescorePending } from "./scoring.service";

/**
 * Every cron tick (workers/index.ts): re-scores leads scored under an older ICP/model version, or changed
 * since, in bounded slices: up to 50,000 leads per tick over all workspaces, 25,000 per workspace (≈10,000
 * leads/s measured in workerd: a few seconds), read 2,000 at a time and written in UPDATEs of 500 (one JSON
 * parameter each, so D1's 100-bound-parameter limit is never near).
 */
export async function runSalesCron(env: Env, _now: number): Promise<{ rescored: number }> {
  const { rescored } = await rescorePending(env);
  return { rescored };
}
