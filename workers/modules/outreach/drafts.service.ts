import { and, eq, inArray } from "drizzle-orm";
import { salesDrafts, salesEnrollments, type DraftStatus } from "../../../schema/sales-sequences";
import { auditInsert, type Actor } from "../../platform/audit";
import { getDb, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { holdForApproval } from "../ai";
import type { Rng } from "./bandit";
import {
  checkDraft,
  composeDraft,
  draftText,
  liveDraftFor,
  noVariants,
  pickVariant,
  statusAfterCheck,
  stepVariants,
  type DraftRow,
  type EnrollmentRow,
  type SafetyVerdict,
  type StepRow,
} from "./drafts.writing";
import { stopEnrollment } from "./enrol.service";
import { LOCAL_WRITER } from "./writer";

export type { DraftRow } from "./drafts.writing";

/**
 * Drafts and their approval (docs/sales.md, the writer part). Nothing is sent that a person did not
 * approve unless the sequence auto-sends — and the AI safety rules apply to every draft either way:
 * a draft the rules hold waits in the safety console's queue (ai_holds, ref_type "sales_draft") and
 * is released by releaseHeldDraft. An approved draft is the engine's: it gets its send_at inside
 * the lead's sending window and is sent by the cron.
 */

const log = createLogger({ component: "outreach-drafts" });
export const AUTO_SEND = "auto-send"; // decided_by of a draft approved by the sequence's auto-send

export const serializeDraft = (d: DraftRow) => ({
  id: d.id,
  enrollment_id: d.enrollmentId,
  sequence_id: d.sequenceId,
  step_id: d.stepId,
  variant_id: d.variantId,
  lead_id: d.leadId,
  subject: d.subject,
  body: d.body,
  sources: d.sources.map((s) => ({ source_id: s.sourceId, title: s.title, chunk_id: s.chunkId })),
  writer: d.writer,
  local_writer: d.writer === LOCAL_WRITER,
  status: d.status,
  held_for: d.heldFor,
  edited_by: d.editedBy,
  decided_by: d.decidedBy,
  decided_at: iso(d.decidedAt),
  send_at: iso(d.sendAt),
  sent_at: iso(d.sentAt),
  outcome: d.outcome,
  created_at: iso(d.createdAt) ?? "",
  updated_at: iso(d.updatedAt) ?? "",
});

const ruleNames = (v: SafetyVerdict) => [...new Set(v.rules.map((r) => r.rule))];

async function holdDraft(db: Db, tenantId: string, draftId: string, v: SafetyVerdict) {
  await holdForApproval(db, tenantId, {
    surface: "writer",
    refType: "sales_draft",
    refId: draftId,
    content: draftText(v.subject, v.body),
    rules: v.rules,
  });
}

/**
 * The engine's call for an email step (contract in docs/sales.md): picks the step's variant with the
 * bandit, writes the draft, applies the safety rules. Returns the draft: `pending` (a person
 * approves), `held` (safety rules; also an ai_holds row) or `approved` (the sequence auto-sends and
 * no rule fired). Called again for the same enrolment and step (a retried cron tick) it returns the
 * draft already written instead of writing a second one.
 */
export async function createDraftForStep(env: Env, enrollment: EnrollmentRow, step: StepRow, opts: { rng?: Rng } = {}): Promise<DraftRow> {
  const db = getDb(env.DB);
  const tenantId = enrollment.tenantId;
  const existing = await liveDraftFor(db, tenantId, enrollment.id, step.id);
  if (existing) return existing;
  const variants = await stepVariants(db, tenantId, step.id);
  const variant = pickVariant(variants, opts.rng);
  if (!variant) throw noVariants();
  const { written, sequence } = await composeDraft(env, db, tenantId, {
    leadId: enrollment.leadId,
    sequenceId: enrollment.sequenceId,
    variant,
    variants,
    rng: opts.rng,
  });
  const verdict = await checkDraft(env, db, tenantId, written.subject, written.body, written.callId);
  const status = statusAfterCheck(verdict, sequence.autoSend);
  const now = Date.now();
  const row: DraftRow = {
    tenantId,
    id: newId("drf"),
    enrollmentId: enrollment.id,
    sequenceId: enrollment.sequenceId,
    stepId: step.id,
    variantId: variant.id,
    leadId: enrollment.leadId,
    subject: verdict.subject,
    body: verdict.body,
    sources: written.sources,
    writer: written.writer,
    status,
    heldFor: ruleNames(verdict),
    editedBy: null,
    decidedBy: status === "approved" ? AUTO_SEND : null,
    decidedAt: status === "approved" ? now : null,
    sendAt: null,
    sentAt: null,
    messageId: null,
    outcome: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(salesDrafts).values(row);
  if (status === "held") await holdDraft(db, tenantId, row.id, verdict);
  return row;
}

export async function getDraftRow(db: Db, tenantId: string, id: string): Promise<DraftRow> {
  const row = await db
    .select()
    .from(salesDrafts)
    .where(tenantScope(db, tenantId).where(salesDrafts, eq(salesDrafts.id, id)))
    .get();
  if (!row) throw notFound("Draft");
  return row;
}

export interface DraftListQuery extends PageQuery {
  status?: DraftStatus;
  sequence_id?: string;
  lead_id?: string;
}

/** The approval queue and history: newest first, filtered by status, sequence and lead. */
export async function listDrafts(db: Db, tenantId: string, q: DraftListQuery) {
  const page = keyset(salesDrafts.createdAt, salesDrafts.id, q.cursor);
  const rows = await db
    .select()
    .from(salesDrafts)
    .where(
      tenantScope(db, tenantId).where(
        salesDrafts,
        q.status ? eq(salesDrafts.status, q.status) : undefined,
        q.sequence_id ? eq(salesDrafts.sequenceId, q.sequence_id) : undefined,
        q.lead_id ? eq(salesDrafts.leadId, q.lead_id) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeDraft);
}

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
 * (a new hold), else back to pending — changed text needs an approval of its own.
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
    { status: "rejected", decidedBy: actor.id, decidedAt: Date.now() },
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
  if (status === "held") await holdDraft(db, tenantId, id, v);
  return row;
}

/**
 * The hold handler for "sales_draft" (workers/compose.ts): a person decided a held draft in the
 * safety console. Approved → `approved` (that decision is the person's approval); rejected → the
 * draft is rejected and the enrolment skips the step. A draft no longer held (edited or rewritten
 * since, or gone) is left alone: the decision was about text that no longer exists.
 */
export async function releaseHeldDraft(env: Env, tenantId: string, draftId: string, decision: "approved" | "rejected", by: string) {
  const db = getDb(env.DB);
  const d = await db
    .select()
    .from(salesDrafts)
    .where(tenantScope(db, tenantId).where(salesDrafts, eq(salesDrafts.id, draftId)))
    .get();
  if (d?.status !== "held") {
    log.info("held_draft_decision_ignored", { tenant_id: tenantId, draft_id: draftId, status: d?.status ?? null });
    return;
  }
  const claimed = await db
    .update(salesDrafts)
    .set({ status: decision, decidedBy: by, decidedAt: Date.now(), updatedAt: Date.now() })
    .where(and(eq(salesDrafts.tenantId, tenantId), eq(salesDrafts.id, draftId), eq(salesDrafts.status, "held")))
    .returning();
  const row = claimed[0];
  if (row && decision === "rejected") await moveEnrollmentPast(db, row, "skip", by);
}
