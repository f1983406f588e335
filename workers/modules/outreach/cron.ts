import type { Env } from "../../platform/env";

/** Every cron tick (workers/index.ts): due enrolments → drafts/tasks, due approved drafts → sends (docs/sales.md). */
export async function runOutreachCron(_env: Env, _now: number): Promise<{ drafted: number; sent: number }> {
  return { drafted: 0, sent: 0 };
}
