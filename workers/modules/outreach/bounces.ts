import { and, eq, ne } from "drizzle-orm";
import { salesDrafts, salesEnrollments } from "../../../schema/sales-sequences";
import type { Db } from "../../platform/db";
import { createLogger } from "../../platform/logger";
import { getLeadContext } from "../sales";
import { contactStop, stopForContact } from "./engine";

/**
 * A bounce stops the lead's sequences at once, not at the next cron tick. Messaging raises
 * `message.failed` when a provider reports a bounce or a failure for a message (after writing the
 * suppression of a hard bounce in the same step); the composition root hands those events here.
 * Only a message that is one of our drafts' emails counts, and only when the lead can no longer be
 * emailed (a hard bounce or a complaint suppressed it): a transient failure stops nothing. Then
 * every running enrolment of the lead stops as the cron would stop it (bounced_at, the timeline
 * line, unsent drafts cancelled), and the draft records the outcome. Never throws: a failure is
 * logged and the cron's contact check still stops the enrolment later.
 */

const log = createLogger({ module: "outreach" });

export interface FailedMessageEvent {
  tenantId: string;
  type: string;
  data: Record<string, unknown>;
}

export async function stopSequencesOnBounce(db: Db, e: FailedMessageEvent): Promise<number> {
  if (e.type !== "message.failed" || e.data.channel !== "email" || typeof e.data.message_id !== "string") return 0;
  try {
    const draft = await db
      .select({ id: salesDrafts.id, leadId: salesDrafts.leadId })
      .from(salesDrafts)
      .where(and(eq(salesDrafts.tenantId, e.tenantId), eq(salesDrafts.messageId, e.data.message_id)))
      .get();
    if (!draft) return 0;
    const ctx = await getLeadContext(db, e.tenantId, draft.leadId);
    if (!ctx) return 0;
    const stop = await contactStop(db, e.tenantId, ctx.lead);
    if (!stop) return 0;
    const now = Date.now();
    await db
      .update(salesDrafts)
      .set({ outcome: stop, updatedAt: now })
      .where(and(eq(salesDrafts.tenantId, e.tenantId), eq(salesDrafts.id, draft.id)));
    const running = await db
      .select({ id: salesEnrollments.id })
      .from(salesEnrollments)
      .where(
        and(eq(salesEnrollments.tenantId, e.tenantId), eq(salesEnrollments.leadId, draft.leadId), ne(salesEnrollments.status, "finished")),
      );
    let stopped = 0;
    // After the first stop the lead carries the flag: later ones add no second timeline line.
    const flagged = stop === "bounced" ? { ...ctx.lead, bouncedAt: now } : { ...ctx.lead, unsubscribedAt: now };
    for (const en of running) if (await stopForContact(db, e.tenantId, en.id, stopped ? flagged : ctx.lead, stop, now)) stopped++;
    return stopped;
  } catch (err) {
    log.error("outreach_bounce_stop_failed", { tenant_id: e.tenantId, message_id: e.data.message_id, error: String(err) });
    return 0;
  }
}
