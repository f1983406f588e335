import type { Env } from "../../platform/env";
import { advanceDueEnrollments } from "./engine";
import { scheduleApprovedDrafts } from "./send-slots";
import { sendDueDrafts } from "./send";

/**
 * Every cron tick (workers/index.ts): due enrolments → drafts/tasks, approved drafts → a send slot,
 * due scheduled drafts → sends (docs/sales.md). Each phase works in bounded batches and claims its rows,
 * so an overlapping or repeated tick does nothing twice. `tenantId`: one workspace only (the local
 * stack's "Run due steps now", dev.routes.ts).
 */
export async function runOutreachCron(env: Env, now: number, tenantId?: string): Promise<{ drafted: number; sent: number }> {
  const advanced = await advanceDueEnrollments(env, now, 50, tenantId);
  await scheduleApprovedDrafts(env, now, 100, tenantId);
  const sent = await sendDueDrafts(env, now, 50, tenantId);
  return { drafted: advanced.drafted, sent };
}
