import type { Env } from "../../platform/env";
import { pruneAiCalls } from "./calls.service";

/** The ai module's cron (run from workers/index.ts): the call log's retention, on the daily tick. */
export const DAILY_AI_CRON = "15 0 * * *";
export async function runAiCron(cron: string, env: Env, at: number) {
  if (cron !== DAILY_AI_CRON) return { tenants: 0, deleted: 0 };
  return pruneAiCalls(env, at);
}
