import type { BatchItem } from "drizzle-orm/batch";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { type ENROLLMENT_STOP_REASONS, salesDrafts, salesEnrollments, salesSequences } from "../../../schema/sales-sequences";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest, conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { emailStops } from "../messaging";
import { getLeadContext, listLeadIdsMatching, recordActivity } from "../sales";
import { getMailboxRow, type MailboxRow } from "./mailboxes.service";
import { nextWindowInstant, type SendingWindow, zoneOf } from "./schedule";
import type { enrolFilterSchema } from "./sequences.schemas";
import { getSequenceRow, stepsOf, toEnrolFilter } from "./sequences.service";
import type { z } from "@hono/zod-openapi";

/** Enrolment of leads into a sequence, the enrolment list and stopping (docs/sales.md). */

export type EnrollmentRow = typeof salesEnrollments.$inferSelect;
export type StopReason = (typeof ENROLLMENT_STOP_REASONS)[number];
type Stmt = BatchItem<"sqlite">;

const DEFAULT_WINDOW = { windowStart: 9 * 60, windowEnd: 17 * 60, sendDays: [1, 2, 3, 4, 5], timezone: "UTC" };

/** The sending window for a lead: the mailbox's hours and days, in the lead's zone when it has a valid one. */
export function windowFor(
  mailbox: Pick<MailboxRow, "windowStart" | "windowEnd" | "sendDays" | "timezone"> | null,
  leadTz: string | null,
): SendingWindow {
  const m = mailbox ?? DEFAULT_WINDOW;
  return { windowStart: m.windowStart, windowEnd: m.windowEnd, sendDays: m.sendDays, timezone: zoneOf(leadTz, m.timezone) };
}

export interface EnrolCounts {
  enrolled: number;
  skipped: { already_enrolled: number; unsubscribed: number; bounced: number; merged_or_missing: number; no_email: number };
}

/**
 * Enrols leads (by id, or those a filter selects) into a sequence that is not archived. Leads
 * already in it, unsubscribed, bounced (the lead's flags or messaging's suppressions and opt-outs),
 * merged/missing or without an email are skipped and counted per reason. Each new enrolment's first
 * step is due after its delay, moved into the sending window in the lead's time zone.
 */
export async function enrolLeads(
  db: Db,
  tenantId: string,
  sequenceId: string,
  input: { lead_ids?: string[]; filter?: z.infer<typeof enrolFilterSchema>; limit?: number },
  actor: Actor,
  now = Date.now(),
): Promise<EnrolCounts> {
  const seq = await getSequenceRow(db, tenantId, sequenceId);
  if (seq.status === "archived") throw conflict("An archived sequence takes no new enrolments.", "sequence-archived");
  const { steps } = await stepsOf(db, tenantId, [sequenceId]);
  const first = steps[0];
  if (!first) throw badRequest("Add a step before enrolling leads.", { errors: [{ path: "steps", message: "The sequence has no steps" }] });
  const mailbox = seq.mailboxId ? await getMailboxRow(db, tenantId, seq.mailboxId).catch(() => null) : null;

  const counts: EnrolCounts = {
    enrolled: 0,
    skipped: { already_enrolled: 0, unsubscribed: 0, bounced: 0, merged_or_missing: 0, no_email: 0 },
  };
  const ids = input.lead_ids
    ? [...new Set(input.lead_ids)]
    : await listLeadIdsMatching(db, tenantId, input.filter ? toEnrolFilter(input.filter) : seq.enrolFilter, input.limit ?? 1000);

  const candidates: { id: string; email: string; timezone: string | null }[] = [];
  for (let i = 0; i < ids.length; i += 25) {
    const ctxs = await Promise.all(ids.slice(i, i + 25).map((id) => getLeadContext(db, tenantId, id)));
    for (const ctx of ctxs) {
      if (!ctx) counts.skipped.merged_or_missing++;
      else if (!ctx.lead.email) counts.skipped.no_email++;
      else if (ctx.lead.bouncedAt) counts.skipped.bounced++;
      else if (ctx.lead.unsubscribedAt) counts.skipped.unsubscribed++;
      else candidates.push({ id: ctx.lead.id, email: ctx.lead.email, timezone: ctx.lead.timezone });
    }
  }
  const stops = await emailStops(
    db,
    tenantId,
    candidates.map((c) => c.email),
  );
  const ok = candidates.filter((c) => {
    const stop = stops.get(c.email.toLowerCase());
    if (stop === "bounced") counts.skipped.bounced++;
    else if (stop === "unsubscribed") counts.skipped.unsubscribed++;
    return !stop;
  });

  for (let i = 0; i < ok.length; i += 40) {
    const chunk = ok.slice(i, i + 40);
    const inserted = (await db.batch(
      chunk.map((c) =>
        db
          .insert(salesEnrollments)
          .values({
            tenantId,
            id: newId("enr"),
            sequenceId,
            leadId: c.id,
            status: "active",
            nextStep: 1,
            nextRunAt:
              nextWindowInstant(now + first.delayMinutes * 60_000, windowFor(mailbox, c.timezone)) ?? now + first.delayMinutes * 60_000,
            enrolledBy: actor.type === "user" ? actor.id : null,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: salesEnrollments.id, leadId: salesEnrollments.leadId }),
      ) as unknown as [Stmt, ...Stmt[]],
    )) as unknown as { id: string; leadId: string }[][];
    const fresh = inserted.flat();
    counts.skipped.already_enrolled += chunk.length - fresh.length;
    counts.enrolled += fresh.length;
    if (!fresh.length) continue;
    await db.batch([
      db
        .update(salesSequences)
        .set({
          enrolled: sql`${salesSequences.enrolled} + ${fresh.length}`,
          active: sql`${salesSequences.active} + ${fresh.length}`,
          updatedAt: now,
        })
        .where(and(eq(salesSequences.tenantId, tenantId), eq(salesSequences.id, sequenceId))),
      ...fresh.map((e) =>
        recordActivity(db, tenantId, {
          leadId: e.leadId,
          kind: "enrolled",
          actorId: actor.type === "user" ? actor.id : null,
          summary: `Enrolled in the sequence “${seq.name}”`,
          data: { sequence_id: sequenceId, enrollment_id: e.id },
          occurredAt: now,
        }),
      ),
    ]);
  }
  if (counts.enrolled)
    await db.batch([
      auditInsert(db, actor, {
        tenantId,
        action: "outreach.sequence.enrolled",
        target: { type: "sales_sequence", id: sequenceId },
        metadata: { enrolled: counts.enrolled, by: input.lead_ids ? "ids" : "filter" },
      }),
    ]);
  return counts;
}

export const serializeEnrollment = (
  e: EnrollmentRow,
  lead?: { email: string | null; firstName: string | null; lastName: string | null },
) => ({
  id: e.id,
  sequence_id: e.sequenceId,
  lead_id: e.leadId,
  lead_email: lead?.email ?? null,
  lead_name: lead ? [lead.firstName, lead.lastName].filter(Boolean).join(" ") || null : null,
  status: e.status,
  stop_reason: e.stopReason,
  next_step: e.nextStep,
  next_run_at: iso(e.nextRunAt),
  waiting_on: e.waitingOn,
  last_sent_at: iso(e.lastSentAt),
  thread_id: e.threadId,
  created_at: iso(e.createdAt) as string,
  updated_at: iso(e.updatedAt) as string,
});

/** A sequence's enrolments, newest first (with the lead's email and name for display). */
export async function listEnrollments(db: Db, tenantId: string, sequenceId: string, q: PageQuery & { status?: EnrollmentRow["status"] }) {
  await getSequenceRow(db, tenantId, sequenceId);
  const page = keyset(salesEnrollments.createdAt, salesEnrollments.id, q.cursor);
  const rows = await db
    .select()
    .from(salesEnrollments)
    .where(
      tenantScope(db, tenantId).where(
        salesEnrollments,
        eq(salesEnrollments.sequenceId, sequenceId),
        q.status ? eq(salesEnrollments.status, q.status) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  const leadIds = [...new Set(rows.slice(0, q.limit).map((r) => r.leadId))];
  // Display fields through the sales module's public entry (its tables are its own); the reads run in parallel.
  const leads = (await Promise.all(leadIds.map((id) => getLeadContext(db, tenantId, id)))).flatMap((ctx) => (ctx ? [ctx.lead] : []));
  const byId = new Map(leads.map((l) => [l.id, l]));
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => serializeEnrollment(r, byId.get(r.leadId)),
  );
}

export async function getEnrollmentRow(db: Db, tenantId: string, id: string): Promise<EnrollmentRow> {
  const row = await db
    .select()
    .from(salesEnrollments)
    .where(tenantScope(db, tenantId).where(salesEnrollments, eq(salesEnrollments.id, id)))
    .get();
  if (!row) throw notFound("Enrollment");
  return row;
}

const STOP_SUMMARY: Record<StopReason, string> = {
  replied: "the lead replied",
  bounced: "an email bounced",
  unsubscribed: "the lead unsubscribed",
  manual: "stopped by a person",
  completed: "every step is done",
  lead_deleted: "the lead no longer exists",
};

/**
 * Finishes an enrolment with a reason: its unsent drafts are cancelled, the sequence's counters move
 * and a `sequence_stopped` activity is recorded. Conditional on the enrolment not being finished yet,
 * so a second stop (a replayed webhook, a concurrent tick) changes nothing. Returns whether it stopped it.
 */
export async function stopEnrollment(
  db: Db,
  tenantId: string,
  enrollmentId: string,
  reason: StopReason,
  opts: { actorId?: string | null; extra?: Stmt[]; at?: number } = {},
): Promise<boolean> {
  const now = opts.at ?? Date.now();
  const [moved] = (await db.batch([
    db
      .update(salesEnrollments)
      .set({ status: "finished", stopReason: reason, nextRunAt: null, waitingOn: null, updatedAt: now })
      .where(and(eq(salesEnrollments.tenantId, tenantId), eq(salesEnrollments.id, enrollmentId), ne(salesEnrollments.status, "finished")))
      .returning({ sequenceId: salesEnrollments.sequenceId, leadId: salesEnrollments.leadId }),
  ])) as unknown as [{ sequenceId: string; leadId: string }[]];
  const e = moved[0];
  if (!e) return false;
  await db.batch([
    db
      .update(salesDrafts)
      .set({ status: "cancelled", updatedAt: now })
      .where(
        and(
          eq(salesDrafts.tenantId, tenantId),
          eq(salesDrafts.enrollmentId, enrollmentId),
          inArray(salesDrafts.status, ["pending", "held", "approved", "scheduled"]),
        ),
      ),
    db
      .update(salesSequences)
      .set({
        active: sql`max(${salesSequences.active} - 1, 0)`,
        ...(reason === "replied" ? { replied: sql`${salesSequences.replied} + 1` } : {}),
        updatedAt: now,
      })
      .where(and(eq(salesSequences.tenantId, tenantId), eq(salesSequences.id, e.sequenceId))),
    recordActivity(db, tenantId, {
      leadId: e.leadId,
      kind: "sequence_stopped",
      actorId: opts.actorId ?? null,
      summary: reason === "completed" ? "Finished the sequence: every step is done" : `Sequence stopped: ${STOP_SUMMARY[reason]}`,
      data: { sequence_id: e.sequenceId, enrollment_id: enrollmentId, reason },
      occurredAt: now,
      dedupeKey: `sequence_stopped:${enrollmentId}`,
    }),
    ...(opts.extra ?? []),
  ]);
  return true;
}

/** POST /outreach/enrollments/{id}/stop: a person ends an enrolment. */
export async function stopEnrollmentManually(db: Db, tenantId: string, id: string, actor: Actor) {
  const e = await getEnrollmentRow(db, tenantId, id);
  if (e.status === "finished") throw conflict(`This enrolment already finished (${e.stopReason ?? "done"}).`, "enrollment-finished");
  await stopEnrollment(db, tenantId, id, "manual", {
    actorId: actor.type === "user" ? actor.id : null,
    extra: [auditInsert(db, actor, { tenantId, action: "outreach.enrollment.stopped", target: { type: "sales_enrollment", id } })],
  });
  return serializeEnrollment(await getEnrollmentRow(db, tenantId, id));
}

/** Active enrolments of a lead (any sequence): reply detection and stop rules end them all. */
export async function activeEnrollmentsOfLead(db: Db, tenantId: string, leadId: string) {
  return db
    .select()
    .from(salesEnrollments)
    .where(tenantScope(db, tenantId).where(salesEnrollments, eq(salesEnrollments.leadId, leadId), ne(salesEnrollments.status, "finished")))
    .orderBy(asc(salesEnrollments.createdAt));
}
