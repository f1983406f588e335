import type { Env } from "../../platform/env";
import { advanceDueEnrollments } from "./engine";
import { scheduleApprovedDrafts } from "./send-slots";
import { sendDueDrafts } from "./send";

/**
 * Every cron tick (workers/index.ts): due enrolments → drafts/tasks, approved drafts → a send slot,
 * due scheduled drafts → sends (docs/sales.md). Each phase works in bounded batches and claims its rows,
 * so an overlapping or repeated tick does nothing twice.
 */
export async function runOutreachCron(env: Env, now: number): Promise<{ drafted: number; sent: number }> {
  const advanced = await advanceDueEnrollments(env, now);
  await scheduleApprovedDrafts(env, now);
  const sent = await sendDueDrafts(env, now);
  return { drafted: advanced.drafted, sent };
}
