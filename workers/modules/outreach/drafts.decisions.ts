import { and, eq, inArray } from "drizzle-orm";
import { salesDrafts, salesEnrollments, type DraftStatus } from "../../../schema/sales-sequences";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict } from "../../platform/errors";
import {
  checkDraft,
  composeDraft,
  getDraftRow,
  holdDraft,
  noVariants,
  ruleNames,
  stepVariants,
  withdrawDraftHolds,
  type DraftRow,
} from "./drafts.writing";
import { stopEnrollment } from "./enrol.service";

/**
 * A person's decisions on a draft: edit (re-checked by the safety rules), approve, reject (the
 * enrolment skips the step or stops), write again. Every change claims the draft in the statuses it
 * may leave (a concurrent decision gets a 409) and is audited.
 */

/** Claims a draft in one of `from` (a concurrent decision loses with a 409), writes `set`, then audits the change. */
async function transition(
  db: Db,
  d: DraftRow,
  from: DraftStatus[],
  set: Partial<DraftRow>,
  actor: Actor,
  action: string,
  metadata?: Record<string, unknown>,
) {
  const [claimed] = await db
    .update(salesDrafts)
    .set({ ...set, updatedAt: Date.now() })
    .where(and(eq(salesDrafts.tenantId, d.tenantId), eq(salesDrafts.id, d.id), inArray(salesDrafts.status, from)))
    .returning();
  if (!claimed) throw conflict(`The draft is ${d.status} now; reload it.`, "draft-changed");
  await auditInsert(db, actor, { tenantId: d.tenantId, action, target: { type: "sales_draft", id: d.id }, metadata });
  return claimed;
}

const EDITABLE: DraftStatus[] = ["pending", "held", "approved"];
const notEditable = (d: DraftRow) =>
  conflict(`A ${d.status} draft cannot be changed; only pending, held or approved (not yet scheduled) drafts can.`, "draft-not-editable");

/**
 * A person's edit. The edited text is checked by the safety rules again: held when a rule fires
 * (a new hold), else back to pending — changed text needs an approval of its own. A hold of the
 * old text still waiting in the safety console is withdrawn first: deciding it there would
 * release or drop the new text unseen.
 */
export async function editDraft(env: Env, db: Db, tenantId: string, id: string, input: { subject?: string; body?: string }, actor: Actor) {
  const d = await getDraftRow(db, tenantId, id);
  if (!EDITABLE.includes(d.status)) throw notEditable(d);
  const v = await checkDraft(env, db, tenantId, input.subject ?? d.subject, input.body ?? d.body, null);
  const status = v.action === "held" || v.action === "blocked" ? "held" : "pending";
  const row = await transition(
    db,
    d,
    EDITABLE,
    { subject: v.subject, body: v.body, status, heldFor: ruleNames(v), editedBy: actor.id, decidedBy: null, decidedAt: null },
    actor,
    "outreach.draft_edited",
    { status },
  );
  await withdrawDraftHolds(db, tenantId, id);
  if (status === "held") await holdDraft(db, tenantId, id, v);
  return row;
}

/** Approve a pending draft: it goes to the engine, which schedules it in the lead's sending window. */
export async function approveDraft(db: Db, tenantId: string, id: string, actor: Actor) {
  const d = await getDraftRow(db, tenantId, id);
  if (d.status === "held")
    throw conflict("The AI safety rules held this draft: decide it in the safety console's approval queue, or edit it.", "draft-held");
  if (d.status !== "pending") throw conflict(`The draft is already ${d.status}.`, "draft-decided");
  await assertEnrollmentActive(db, d);
  return transition(
    db,
    d,
    ["pending"],
    { status: "approved", decidedBy: actor.id, decidedAt: Date.now() },
    actor,
    "outreach.draft_approved",
  );
}

async function assertEnrollmentActive(db: Db, d: DraftRow) {
  const e = await db
    .select({ status: salesEnrollments.status })
    .from(salesEnrollments)
    .where(and(eq(salesEnrollments.tenantId, d.tenantId), eq(salesEnrollments.id, d.enrollmentId)))
    .get();
  if (!e || e.status === "finished")
    throw conflict(
      "The lead's enrolment has stopped (a reply, bounce, unsubscribe or a person); this draft will not be sent.",
      "enrollment-stopped",
    );
}

export type RejectThen = "skip" | "stop";

/**
 * Reject a draft (pending, held or approved). `enrollment: "skip"` (the default) moves the enrolment on
 * to the next step (its delay counted from now, inside the lead's window; no next step → the
 * enrolment completes); "stop" ends the enrolment (stop reason `manual`).
 */
export async function rejectDraft(
  db: Db,
  tenantId: string,
  id: string,
  input: { reason?: string | null; enrollment?: RejectThen },
  actor: Actor,
) {
  const d = await getDraftRow(db, tenantId, id);
  if (!EDITABLE.includes(d.status)) throw conflict(`The draft is already ${d.status}.`, "draft-decided");
  const then = input.enrollment ?? "skip";
  const row = await transition(
    db,
    d,
    EDITABLE,
    { status: "rejected", decidedBy: actor.id, decidedAt: Date.now(), rejectReason: input.reason?.trim() || null },
    actor,
    "outreach.draft_rejected",
    {
      reason: input.reason ?? null,
      then,
    },
  );
  await moveEnrollmentPast(db, row, then, actor.id);
  return row;
}

/**
 * After a rejected draft the enrolment leaves the step: "stop" ends it now (enrol.service
 * stopEnrollment, reason `manual`); "skip" makes it due at once, and the engine, finding the
 * step's draft rejected, moves it to the next step inside the lead's window (engine.ts
 * advancePast). Only when the enrolment still waits on this draft (a reply may have stopped it).
 */
export async function moveEnrollmentPast(db: Db, d: DraftRow, then: RejectThen, actorId: string | null) {
  if (then === "stop") {
    const e = await db
      .select({ waitingOn: salesEnrollments.waitingOn })
      .from(salesEnrollments)
      .where(and(eq(salesEnrollments.tenantId, d.tenantId), eq(salesEnrollments.id, d.enrollmentId)))
      .get();
    if (e?.waitingOn === `draft:${d.id}`) await stopEnrollment(db, d.tenantId, d.enrollmentId, "manual", { actorId });
    return;
  }
  await db
    .update(salesEnrollments)
    .set({ nextRunAt: Date.now(), updatedAt: Date.now() })
    .where(
      and(
        eq(salesEnrollments.tenantId, d.tenantId),
        eq(salesEnrollments.id, d.enrollmentId),
        eq(salesEnrollments.status, "active"),
        eq(salesEnrollments.waitingOn, `draft:${d.id}`),
      ),
    );
}

/** Writes the draft again with the same variant (the A/B figures stay right), then the safety rules again. */
export async function regenerateDraft(env: Env, db: Db, tenantId: string, id: string, actor: Actor) {
  const d = await getDraftRow(db, tenantId, id);
  if (d.status !== "pending" && d.status !== "held")
    throw conflict(`Only pending or held drafts can be written again; this one is ${d.status}.`, "draft-decided");
  const variants = await stepVariants(db, tenantId, d.stepId, false);
  const variant = variants.find((v) => v.id === d.variantId);
  if (!variant) throw noVariants();
  const { written } = await composeDraft(env, db, tenantId, {
    leadId: d.leadId,
    sequenceId: d.sequenceId,
    variant,
    variants: variants.filter((v) => v.active),
  });
  const v = await checkDraft(env, db, tenantId, written.subject, written.body, written.callId);
  const status = v.action === "held" || v.action === "blocked" ? "held" : "pending";
  const row = await transition(
    db,
    d,
    ["pending", "held"],
    { subject: v.subject, body: v.body, sources: written.sources, writer: written.writer, status, heldFor: ruleNames(v), editedBy: null },
    actor,
    "outreach.draft_regenerated",
    { writer: written.writer, status },
  );
  await withdrawDraftHolds(db, tenantId, id); // the old text's hold, as for an edit
  if (status === "held") await holdDraft(db, tenantId, id, v);
  return row;
}
