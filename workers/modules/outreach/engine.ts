import { and, asc, eq, lte } from "drizzle-orm";
import { salesDrafts, salesEnrollments, salesSequences } from "../../../schema/sales-sequences";
import { getDb, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { emailStops } from "../messaging";
import { createTask, getLeadContext, type LeadRow, openTasksOf, recordActivity, recordEngagement } from "../sales";
import { createDraftForStep } from "./drafts.service";
import { stopEnrollment, windowFor, type EnrollmentRow } from "./enrol.service";
import { mailboxOf } from "./mailboxes.service";
import { nextWindowInstant } from "./schedule";
import { stepsOf, type StepRow } from "./sequences.service";

/**
 * The sequence engine (docs/sales.md "Outreach flow"), run by the cron: due enrolments → drafts
 * (email steps, through the writer) or tasks (manual steps). Approved drafts get a send slot in
 * send-slots.ts; sending is send.ts. Every step claims its rows with a conditional UPDATE first, so two ticks running
 * at once never draft, schedule or send the same thing twice.
 */

const log = createLogger({ module: "outreach" });
/** A claimed enrolment is not due again for this long (a tick that dies mid-way is retried after it). */
const LEASE_MS = 10 * 60_000;
/** How often a step that waits (for a draft's approval and send, for a task) is looked at again. */
const RECHECK_DRAFT_MS = 60 * 60_000;
const RECHECK_TASK_MS = 10 * 60_000;

// The approved-drafts phase lives in send-slots.ts; re-exported for callers that import it from here.
export { scheduleApprovedDrafts } from "./send-slots";

type Due = EnrollmentRow & { mailboxId: string | null };

/** Whether a step's condition holds for the lead now. Replies count from the enrolment on; opens are the lead's tracked opens. */
export function conditionHolds(
  step: Pick<StepRow, "condition">,
  lead: Pick<LeadRow, "opens" | "lastRepliedAt">,
  enrolledAt: number,
): boolean {
  const replied = lead.lastRepliedAt !== null && lead.lastRepliedAt >= enrolledAt;
  switch (step.condition) {
    case "always":
      return true;
    case "no_reply":
      return !replied;
    case "no_open":
      return lead.opens === 0;
    case "opened_no_reply":
      return lead.opens > 0 && !replied;
  }
}

/** Why a lead may not get email any more (its own flags, else messaging's suppressions and opt-outs), or null. */
export async function contactStop(db: Db, tenantId: string, lead: LeadRow): Promise<"bounced" | "unsubscribed" | null> {
  if (lead.bouncedAt) return "bounced";
  if (lead.unsubscribedAt) return "unsubscribed";
  if (!lead.email) return "bounced";
  return (await emailStops(db, tenantId, [lead.email])).get(lead.email.toLowerCase()) ?? null;
}

/**
 * Stops an enrolment because the lead bounced or unsubscribed. When messaging knew it before the CRM
 * did, the lead gets it too (bounced_at / unsubscribed_at, and an activity once per lead), so it is
 * never enrolled again and its timeline says why.
 */
export async function stopForContact(
  db: Db,
  tenantId: string,
  enrollmentId: string,
  lead: LeadRow,
  stop: "bounced" | "unsubscribed",
  at: number,
) {
  const known = stop === "bounced" ? lead.bouncedAt : lead.unsubscribedAt;
  const extra = known
    ? []
    : [
        ...recordEngagement(db, tenantId, lead.id, stop === "bounced" ? "bounce" : "unsubscribe", at),
        recordActivity(db, tenantId, {
          leadId: lead.id,
          kind: stop === "bounced" ? "email_bounced" : "unsubscribed",
          summary: stop === "bounced" ? "Email bounced: sending to this address stopped" : "Unsubscribed from marketing email",
          data: { source: "messaging" },
          occurredAt: at,
          dedupeKey: `${stop}:${lead.id}`,
        }),
      ];
  return stopEnrollment(db, tenantId, enrollmentId, stop, { at, extra });
}

/**
 * Moves an enrolment past the step at `position`: the next step is due after its delay from `base`,
 * inside the lead's window; without a next step the enrolment completes. Only while it is still on
 * that step (a reply or a person may have moved it meanwhile).
 */
export async function advancePast(
  db: Db,
  e: Pick<EnrollmentRow, "tenantId" | "id">,
  steps: StepRow[],
  position: number,
  base: number,
  window: Parameters<typeof nextWindowInstant>[1],
): Promise<void> {
  const next = steps.find((s) => s.position > position);
  if (!next) {
    await stopEnrollment(db, e.tenantId, e.id, "completed", { at: base });
    return;
  }
  const due = base + next.delayMinutes * 60_000;
  await db
    .update(salesEnrollments)
    .set({ nextStep: next.position, nextRunAt: nextWindowInstant(due, window) ?? due, waitingOn: null, updatedAt: Date.now() })
    .where(
      and(
        eq(salesEnrollments.tenantId, e.tenantId),
        eq(salesEnrollments.id, e.id),
        eq(salesEnrollments.status, "active"),
        eq(salesEnrollments.nextStep, position),
      ),
    );
}

const setWait = (db: Db, e: Pick<EnrollmentRow, "tenantId" | "id">, waitingOn: string | null, nextRunAt: number) =>
  db
    .update(salesEnrollments)
    .set({ waitingOn, nextRunAt, updatedAt: Date.now() })
    .where(and(eq(salesEnrollments.tenantId, e.tenantId), eq(salesEnrollments.id, e.id), eq(salesEnrollments.status, "active")));

/** One due enrolment: stop rules, what its step waits for, the step's condition, then a draft or a task. Returns whether it drafted. */
async function runEnrollment(
  env: Env,
  db: Db,
  e: Due,
  now: number,
  steps: StepRow[],
): Promise<"drafted" | "task" | "waiting" | "moved" | "stopped"> {
  const ctx = await getLeadContext(db, e.tenantId, e.leadId);
  if (!ctx) {
    await stopEnrollment(db, e.tenantId, e.id, "lead_deleted", { at: now });
    return "stopped";
  }
  const stop = await contactStop(db, e.tenantId, ctx.lead);
  if (stop) {
    await stopForContact(db, e.tenantId, e.id, ctx.lead, stop, now);
    return "stopped";
  }
  const mailbox = await mailboxOf(db, e.tenantId, e.mailboxId);
  const window = windowFor(mailbox, ctx.lead.timezone);
  const step = steps.find((s) => s.position === e.nextStep);
  if (!step) {
    await stopEnrollment(db, e.tenantId, e.id, "completed", { at: now });
    return "stopped";
  }

  if (e.waitingOn) {
    const [kind, id] = e.waitingOn.split(":", 2) as [string, string];
    if (kind === "task") {
      const open = await openTasksOf(db, e.tenantId, e.id);
      if (open.some((t) => t.id === id)) {
        await setWait(db, e, e.waitingOn, now + RECHECK_TASK_MS);
        return "waiting";
      }
      await advancePast(db, e, steps, step.position, now, window); // done (or deleted): the step is over
      return "moved";
    }
    const draft = await db
      .select({ status: salesDrafts.status, stepId: salesDrafts.stepId })
      .from(salesDrafts)
      .where(tenantScope(db, e.tenantId).where(salesDrafts, eq(salesDrafts.id, id)))
      .get();
    const live = draft && ["pending", "held", "approved", "scheduled"].includes(draft.status);
    if (live) {
      await setWait(db, e, e.waitingOn, now + RECHECK_DRAFT_MS);
      return "waiting";
    }
    if (draft && draft.stepId === step.id) {
      // The current step's draft went out (send.ts normally moved on already), failed, or was dropped: the step is over.
      await advancePast(db, e, steps, step.position, now, window);
      return "moved";
    }
    // A person moved the enrolment to another step (a rejected draft skips): run that step now.
  }

  if (!conditionHolds(step, ctx.lead, e.createdAt)) {
    await advancePast(db, e, steps, step.position, now, window);
    return "moved";
  }
  if (step.kind === "task") {
    const task = await createTask(db, e.tenantId, {
      title: step.taskTitle ?? `Step ${step.position}`,
      kind: "sequence_step",
      leadId: e.leadId,
      ownerId: ctx.lead.ownerId,
      dueAt: now,
      enrollmentId: e.id,
      origin: "sequence",
    });
    await setWait(db, e, `task:${task.id}`, now + RECHECK_TASK_MS);
    return "task";
  }
  const draft = await createDraftForStep(env, e, step);
  await setWait(db, e, `draft:${draft.id}`, now + RECHECK_DRAFT_MS);
  return "drafted";
}

/** Due enrolments of active sequences, oldest due first, at most `limit`: each claimed, then run (one workspace's only, with `tenantId`). */
export async function advanceDueEnrollments(
  env: Env,
  now: number,
  limit = 50,
  tenantId?: string,
): Promise<{ drafted: number; tasks: number; stopped: number }> {
  const db = getDb(env.DB);
  const due = await db
    .select({ e: salesEnrollments, mailboxId: salesSequences.mailboxId })
    .from(salesEnrollments)
    .innerJoin(
      salesSequences,
      and(eq(salesSequences.tenantId, salesEnrollments.tenantId), eq(salesSequences.id, salesEnrollments.sequenceId)),
    )
    .where(
      and(
        eq(salesEnrollments.status, "active"),
        lte(salesEnrollments.nextRunAt, now),
        eq(salesSequences.status, "active"),
        tenantId ? eq(salesEnrollments.tenantId, tenantId) : undefined,
      ),
    )
    .orderBy(asc(salesEnrollments.nextRunAt))
    .limit(limit);
  const out = { drafted: 0, tasks: 0, stopped: 0 };
  const stepCache = new Map<string, StepRow[]>();
  for (const { e, mailboxId } of due) {
    // Claim: only the tick whose UPDATE still sees the same next_run_at runs it.
    const claimed = await db
      .update(salesEnrollments)
      .set({ nextRunAt: now + LEASE_MS })
      .where(
        and(
          eq(salesEnrollments.tenantId, e.tenantId),
          eq(salesEnrollments.id, e.id),
          eq(salesEnrollments.status, "active"),
          eq(salesEnrollments.nextRunAt, e.nextRunAt ?? -1),
        ),
      )
      .returning({ id: salesEnrollments.id });
    if (!claimed.length) continue;
    const key = `${e.tenantId}:${e.sequenceId}`;
    let steps = stepCache.get(key);
    if (!steps) {
      steps = (await stepsOf(db, e.tenantId, [e.sequenceId])).steps;
      stepCache.set(key, steps);
    }
    try {
      const r = await runEnrollment(env, db, { ...e, mailboxId }, now, steps);
      if (r === "drafted") out.drafted++;
      else if (r === "task") out.tasks++;
      else if (r === "stopped") out.stopped++;
    } catch (err) {
      // The lease makes it due again later; one lead's failure does not stop the batch.
      log.error("outreach_enrollment_failed", { tenant_id: e.tenantId, enrollment_id: e.id, error: String(err) });
    }
  }
  return out;
}
