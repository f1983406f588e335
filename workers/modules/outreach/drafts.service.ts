import { and, eq, inArray } from "drizzle-orm";
import { salesDrafts, salesStepVariants, type DraftStatus } from "../../../schema/sales-sequences";
import { getDb, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { getLeadContext } from "../sales";
import type { Rng } from "./bandit";
import { moveEnrollmentPast } from "./drafts.decisions";
import {
  checkDraft,
  composeDraft,
  holdDraft,
  liveDraftFor,
  noVariants,
  pickVariant,
  ruleNames,
  statusAfterCheck,
  stepVariants,
  type DraftRow,
  type EnrollmentRow,
  type StepRow,
} from "./drafts.writing";
import { LOCAL_WRITER } from "./writer";

export type { DraftRow } from "./drafts.writing";
export { getDraftRow } from "./drafts.writing";
export { approveDraft, editDraft, regenerateDraft, rejectDraft } from "./drafts.decisions";

/**
 * Drafts and their approval (docs/sales.md, the writer part). Nothing is sent that a person did not
 * approve unless the sequence auto-sends — and the AI safety rules apply to every draft either way:
 * a draft the rules hold waits in the safety console's queue (ai_holds, ref_type "sales_draft") and
 * is released by releaseHeldDraft. An approved draft is the engine's: it gets its send_at inside
 * the lead's sending window and is sent by the cron.
 */

const log = createLogger({ component: "outreach-drafts" });
export const AUTO_SEND = "auto-send"; // decided_by of a draft approved by the sequence's auto-send

/** Display fields beside a draft: who it is to, and which variant wrote it. */
export interface DraftDisplay {
  leadName: string | null;
  leadEmail: string | null;
  company: string | null;
  variantLabel: string | null;
}

export const serializeDraft = (d: DraftRow, x?: DraftDisplay) => ({
  id: d.id,
  enrollment_id: d.enrollmentId,
  sequence_id: d.sequenceId,
  step_id: d.stepId,
  variant_id: d.variantId,
  variant_label: x?.variantLabel ?? null,
  lead_id: d.leadId,
  lead_name: x?.leadName ?? null,
  lead_email: x?.leadEmail ?? null,
  lead_company: x?.company ?? null,
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
  reject_reason: d.rejectReason,
  send_at: iso(d.sendAt),
  sent_at: iso(d.sentAt),
  outcome: d.outcome,
  created_at: iso(d.createdAt) ?? "",
  updated_at: iso(d.updatedAt) ?? "",
});

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
    rejectReason: null,
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
  const display = await displayOf(db, tenantId, rows.slice(0, q.limit));
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => serializeDraft(r, display.get(r.id)),
  );
}

/** One draft with its display fields (GET /outreach/drafts/{id} and the decisions' answers). */
export async function presentDraft(db: Db, tenantId: string, d: DraftRow) {
  return serializeDraft(d, (await displayOf(db, tenantId, [d])).get(d.id));
}

/**
 * The leads' names, emails and companies through the sales module's public entry (its tables are its
 * own; one read per distinct lead, in parallel, at most a page's worth) and the variants' labels.
 */
async function displayOf(db: Db, tenantId: string, rows: DraftRow[]): Promise<Map<string, DraftDisplay>> {
  const leadIds = [...new Set(rows.map((r) => r.leadId))];
  const variantIds = [...new Set(rows.map((r) => r.variantId))];
  const [contexts, variants] = await Promise.all([
    Promise.all(leadIds.map((id) => getLeadContext(db, tenantId, id))),
    variantIds.length
      ? db
          .select({ id: salesStepVariants.id, label: salesStepVariants.label })
          .from(salesStepVariants)
          .where(tenantScope(db, tenantId).where(salesStepVariants, inArray(salesStepVariants.id, variantIds)))
      : Promise.resolve([]),
  ]);
  const leads = new Map(contexts.flatMap((c) => (c ? [[c.lead.id, c] as const] : [])));
  const labels = new Map(variants.map((v) => [v.id, v.label]));
  return new Map(
    rows.map((r) => {
      const c = leads.get(r.leadId);
      return [
        r.id,
        {
          leadName: c ? [c.lead.firstName, c.lead.lastName].filter(Boolean).join(" ") || null : null,
          leadEmail: c?.lead.email ?? null,
          company: c?.company?.name ?? c?.lead.companyName ?? null,
          variantLabel: labels.get(r.variantId) ?? null,
        },
      ];
    }),
  );
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
