import type { Env } from "../../platform/env";
import { rescorePending } from "./scoring.service";

/**
 * Every cron tick (workers/index.ts): re-scores leads scored under an older ICP/model version, or changed
 * since, in bounded slices: up to 20,000 leads per tick over all workspaces, 10,000 per workspace, read
 * 2,000 at a time and written in UPDATEs of 500 (one JSON parameter each; D1's 100-parameter limit).
 */
export async function runSalesCron(env: Env, _now: number): Promise<{ rescored: number }> {
  const { rescored } = await rescorePending(env);
  return { rescored };
}
