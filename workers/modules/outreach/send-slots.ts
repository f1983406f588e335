import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import { salesDrafts, salesEnrollments, salesSequences } from "../../../schema/sales-sequences";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { dailySendCapRemaining } from "../ai";
import { getLeadContext } from "../sales";
import { windowFor } from "./enrol.service";
import { mailboxDayCounts, mailboxOf } from "./mailboxes.service";
import { dailyLimitRule, dayKey, findSendSlot, startOfDay, workspaceCapRule } from "./schedule";

/** Approved drafts → a send instant (the cron's second phase; docs/sales.md). */

const log = createLogger({ module: "outreach" });

/** Drafts of a workspace sent or scheduled per UTC day from today on (the daily cap counts these). */
async function workspaceDayCounts(db: Db, tenantId: string, now: number): Promise<Map<string, number>> {
  const at = sql<number>`coalesce(${salesDrafts.sentAt}, ${salesDrafts.sendAt})`;
  const rows = await db
    .select({ at })
    .from(salesDrafts)
    .where(and(eq(salesDrafts.tenantId, tenantId), inArray(salesDrafts.status, ["scheduled", "sent"]), gte(at, startOfDay(now, "UTC"))));
  const out = new Map<string, number>();
  for (const r of rows) out.set(dayKey(r.at, "UTC"), (out.get(dayKey(r.at, "UTC")) ?? 0) + 1);
  return out;
}

/**
 * Approved drafts get their send instant: the lead's window, the mailbox's daily limit (its zone's
 * day) and the workspace's daily cap; then `scheduled`. A draft whose enrolment stopped is cancelled.
 */
export async function scheduleApprovedDrafts(env: Env, now: number, limit = 100, tenantId?: string): Promise<number> {
  const db = getDb(env.DB);
  const drafts = await db
    .select()
    .from(salesDrafts)
    .where(and(eq(salesDrafts.status, "approved"), tenantId ? eq(salesDrafts.tenantId, tenantId) : undefined))
    .orderBy(asc(salesDrafts.updatedAt))
    .limit(limit);
  const mailboxDays = new Map<string, Map<string, number>>();
  const workspace = new Map<string, { cap: number | null; days: Map<string, number> }>();
  let scheduled = 0;
  for (const d of drafts) {
    // A draft that cannot be scheduled yet goes to the back of the queue, so it never starves the batch.
    const toBack = () =>
      db
        .update(salesDrafts)
        .set({ updatedAt: now })
        .where(and(eq(salesDrafts.tenantId, d.tenantId), eq(salesDrafts.id, d.id), eq(salesDrafts.status, "approved")));
    try {
      const row = await db
        .select({ e: salesEnrollments, mailboxId: salesSequences.mailboxId })
        .from(salesEnrollments)
        .innerJoin(
          salesSequences,
          and(eq(salesSequences.tenantId, salesEnrollments.tenantId), eq(salesSequences.id, salesEnrollments.sequenceId)),
        )
        .where(and(eq(salesEnrollments.tenantId, d.tenantId), eq(salesEnrollments.id, d.enrollmentId)))
        .get();
      if (!row || row.e.status === "finished") {
        await db
          .update(salesDrafts)
          .set({ status: "cancelled", updatedAt: now })
          .where(and(eq(salesDrafts.tenantId, d.tenantId), eq(salesDrafts.id, d.id), eq(salesDrafts.status, "approved")));
        continue;
      }
      const [ctx, mailbox] = await Promise.all([getLeadContext(db, d.tenantId, d.leadId), mailboxOf(db, d.tenantId, row.mailboxId)]);
      if (!mailbox) {
        await toBack(); // a sequence without a mailbox cannot send; it waits for one
        continue;
      }
      let days = mailboxDays.get(mailbox.id);
      if (!days) {
        days = await mailboxDayCounts(db, d.tenantId, mailbox, now);
        mailboxDays.set(mailbox.id, days);
      }
      let ws = workspace.get(d.tenantId);
      if (!ws) {
        const wsDays = await workspaceDayCounts(db, d.tenantId, now);
        const sentToday = wsDays.get(dayKey(now, "UTC")) ?? 0;
        const remaining = await dailySendCapRemaining(env, d.tenantId, sentToday);
        ws = { cap: remaining === null ? null : sentToday + remaining, days: wsDays };
        workspace.set(d.tenantId, ws);
      }
      const mbxDays = days;
      const wsDays = ws.days;
      const slot = findSendSlot(now, windowFor(mailbox, ctx?.lead.timezone ?? null), [
        dailyLimitRule(mailbox.timezone, mailbox.dailyLimit, (k) => mbxDays.get(k) ?? 0),
        workspaceCapRule(ws.cap, (k) => wsDays.get(k) ?? 0),
      ]);
      if (slot === null) {
        log.warn("outreach_no_send_slot", { tenant_id: d.tenantId, draft_id: d.id, mailbox_id: mailbox.id });
        await toBack();
        continue;
      }
      const moved = await db
        .update(salesDrafts)
        .set({ status: "scheduled", sendAt: slot, updatedAt: now })
        .where(and(eq(salesDrafts.tenantId, d.tenantId), eq(salesDrafts.id, d.id), eq(salesDrafts.status, "approved")))
        .returning({ id: salesDrafts.id });
      if (!moved.length) continue;
      scheduled++;
      mbxDays.set(dayKey(slot, mailbox.timezone), (mbxDays.get(dayKey(slot, mailbox.timezone)) ?? 0) + 1);
      wsDays.set(dayKey(slot, "UTC"), (wsDays.get(dayKey(slot, "UTC")) ?? 0) + 1);
    } catch (err) {
      log.error("outreach_schedule_failed", { tenant_id: d.tenantId, draft_id: d.id, error: String(err) });
    }
  }
  return scheduled;
}
