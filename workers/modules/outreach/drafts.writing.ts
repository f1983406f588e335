import { and, desc, eq } from "drizzle-orm";
import {
  salesDrafts,
  type salesEnrollments,
  salesMailboxes,
  type salesSequenceSteps,
  salesSequences,
  salesStepVariants,
  type DraftStatus,
} from "../../../schema/sales-sequences";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound } from "../../platform/errors";
import { checkOutput, holdForApproval, withdrawPendingHolds, type FiredRule } from "../ai";
import { sentences } from "../knowledge";
import { getLeadContext, loadIcp } from "../sales";
import { pickArm, probabilityBest, winningArm, type Rng } from "./bandit";
import { getWriterSettings } from "./writer-settings.service";
import { fillTemplate, templateVars, writeDraft, type VariantRow, type WriterInput, type WrittenDraft } from "./writer";

/**
 * The drafting pipeline shared by createDraftForStep and regenerate: the bandit picks the step's
 * variant, the writer writes from the lead's context, and the AI safety rules (modules/ai
 * checkOutput, surface "writer") decide the draft's status.
 */

export type DraftRow = typeof salesDrafts.$inferSelect;
export type EnrollmentRow = typeof salesEnrollments.$inferSelect;
export type StepRow = typeof salesSequenceSteps.$inferSelect;
export type SequenceRow = typeof salesSequences.$inferSelect;

export async function stepVariants(db: Db, tenantId: string, stepId: string, activeOnly = true): Promise<VariantRow[]> {
  return db
    .select()
    .from(salesStepVariants)
    .where(
      tenantScope(db, tenantId).where(
        salesStepVariants,
        eq(salesStepVariants.stepId, stepId),
        activeOnly ? eq(salesStepVariants.active, true) : undefined,
      ),
    )
    .orderBy(salesStepVariants.label);
}

const armOf = (v: VariantRow) => ({ id: v.id, sent: v.sent, positive: v.positiveReplies });

/** The bandit's pick among the step's active variants (Thompson sampling, bandit.ts). */
export function pickVariant(variants: VariantRow[], rng: Rng = Math.random): VariantRow | null {
  const arm = pickArm(variants.map(armOf), rng);
  return arm ? (variants.find((v) => v.id === arm.id) ?? null) : null;
}

/** The first sentence after the greeting ("Hi Ada," is not an opening). */
export function openingLine(body: string): string {
  const paras = body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const greeting = (p: string) => p.split(/\s+/).length <= 6 && /[,!:]$/.test(p);
  const first = paras.find((p) => !greeting(p)) ?? paras[0] ?? "";
  return sentences(first)[0] ?? first.slice(0, 200);
}

/**
 * "Winning patterns feed the next drafts": when one variant of the step is clearly best
 * (bandit.ts winningArm), its latest positively answered email — else its template filled for this
 * lead — gives the writer a subject and an opening line as an example.
 */
export async function winningExample(
  db: Db,
  tenantId: string,
  variants: VariantRow[],
  vars: Record<string, string>,
  rng: Rng = Math.random,
): Promise<WriterInput["example"]> {
  const arms = variants.map(armOf);
  const winner = winningArm(arms, probabilityBest(arms, 1000, rng));
  const v = winner && variants.find((x) => x.id === winner.id);
  if (!v) return null;
  const liked = await db
    .select({ subject: salesDrafts.subject, body: salesDrafts.body })
    .from(salesDrafts)
    .where(tenantScope(db, tenantId).where(salesDrafts, eq(salesDrafts.variantId, v.id), eq(salesDrafts.outcome, "positive")))
    .orderBy(desc(salesDrafts.sentAt))
    .limit(1)
    .get();
  const subject = liked?.subject ?? fillTemplate(v.subject, vars);
  return { label: v.label, subject, opening: openingLine(liked?.body ?? fillTemplate(v.body, vars)) };
}

async function sequenceWithSender(db: Db, tenantId: string, sequenceId: string) {
  const s = tenantScope(db, tenantId);
  const seq = await db
    .select()
    .from(salesSequences)
    .where(s.where(salesSequences, eq(salesSequences.id, sequenceId)))
    .get();
  if (!seq) throw notFound("Sequence");
  const mbx = seq.mailboxId
    ? await db
        .select({ fromName: salesMailboxes.fromName })
        .from(salesMailboxes)
        .where(s.where(salesMailboxes, eq(salesMailboxes.id, seq.mailboxId)))
        .get()
    : undefined;
  return { seq, senderName: mbx?.fromName ?? null };
}

/** Writes a draft for a lead with a given variant (the example comes from the step's other arms). */
export async function composeDraft(
  env: Env,
  db: Db,
  tenantId: string,
  x: { leadId: string; sequenceId: string; variant: VariantRow; variants: VariantRow[]; rng?: Rng },
): Promise<{ written: WrittenDraft; sequence: SequenceRow }> {
  const ctx = await getLeadContext(db, tenantId, x.leadId);
  if (!ctx) throw notFound("Lead");
  const [{ seq, senderName }, settings, icp] = await Promise.all([
    sequenceWithSender(db, tenantId, x.sequenceId),
    getWriterSettings(db, tenantId),
    loadIcp(db, tenantId),
  ]);
  const vars = templateVars(ctx.lead, ctx.company, senderName);
  const example = await winningExample(db, tenantId, x.variants, vars, x.rng);
  const written = await writeDraft(env, db, tenantId, {
    lead: ctx.lead,
    company: ctx.company,
    // The workspace's ideal customer (the default one until it saves its own) tells the writer whom it writes for.
    icp: icp.definition,
    settings,
    variant: x.variant,
    example: example && example.label !== x.variant.label ? example : null,
    senderName,
  });
  return { written, sequence: seq };
}

export interface SafetyVerdict {
  action: "allowed" | "modified" | "held" | "blocked";
  subject: string;
  body: string;
  rules: FiredRule[];
}

/** The text the safety rules see: the subject line, a blank line, the body. */
export const draftText = (subject: string, body: string) => `${subject}\n\n${body}`;

/** The AI safety console's rules on a draft (subject and body together); a required disclaimer is appended to the body. */
export async function checkDraft(
  env: Env,
  db: Db,
  tenantId: string,
  subject: string,
  body: string,
  callId: string | null,
): Promise<SafetyVerdict> {
  const d = await checkOutput(env, tenantId, "writer", draftText(subject, body), { callId, db });
  // The rules' text is the one to use — with any required disclaimer appended, also when held (so the
  // text a person approves is complete) — unless it is unchanged.
  if (d.text === draftText(subject, body)) return { action: d.action, subject, body, rules: d.rules };
  const head = `${subject}\n\n`;
  if (d.text.startsWith(head)) return { action: d.action, subject, body: d.text.slice(head.length), rules: d.rules };
  const [first, ...rest] = d.text.split("\n\n");
  return { action: d.action, subject: first?.trim() || subject, body: rest.join("\n\n"), rules: d.rules };
}

/**
 * A draft's status after the safety check: held (a person decides in the safety console; a
 * "blocked" output is held too — nothing the rules stop can go out, and a person may fix it),
 * approved only when the sequence auto-sends and no rule fired (a disclaimer counts), else pending.
 */
export function statusAfterCheck(
  v: Pick<SafetyVerdict, "action" | "rules">,
  autoSend: boolean,
): Extract<DraftStatus, "pending" | "held" | "approved"> {
  if (v.action === "held" || v.action === "blocked") return "held";
  if (autoSend && v.action === "allowed" && v.rules.length === 0) return "approved";
  return "pending";
}

/** A draft of this enrolment's step that is still alive (not rejected/failed/cancelled): the engine's retries reuse it. */
export async function liveDraftFor(db: Db, tenantId: string, enrollmentId: string, stepId: string): Promise<DraftRow | undefined> {
  const rows = await db
    .select()
    .from(salesDrafts)
    .where(and(eq(salesDrafts.tenantId, tenantId), eq(salesDrafts.enrollmentId, enrollmentId), eq(salesDrafts.stepId, stepId)))
    .orderBy(desc(salesDrafts.createdAt));
  return rows.find((r) => r.status !== "rejected" && r.status !== "failed" && r.status !== "cancelled");
}

export const noVariants = () => conflict("This email step has no active variant to write from.", "no-active-variant");

/** The names of the rules that fired (a rule can match several times). */
export const ruleNames = (v: SafetyVerdict) => [...new Set(v.rules.map((r) => r.rule))];

/** Puts a held draft in the safety console's approval queue (ai_holds, ref_type "sales_draft"). */
export async function holdDraft(db: Db, tenantId: string, draftId: string, v: SafetyVerdict) {
  await holdForApproval(db, tenantId, {
    surface: "writer",
    refType: "sales_draft",
    refId: draftId,
    content: draftText(v.subject, v.body),
    rules: v.rules,
  });
}

/** Takes a draft's undecided holds out of the approval queue (its text changed); returns how many. */
export const withdrawDraftHolds = (db: Db, tenantId: string, draftId: string) => withdrawPendingHolds(db, tenantId, "sales_draft", draftId);

export async function getDraftRow(db: Db, tenantId: string, id: string): Promise<DraftRow> {
  const row = await db
    .select()
    .from(salesDrafts)
    .where(tenantScope(db, tenantId).where(salesDrafts, eq(salesDrafts.id, id)))
    .get();
  if (!row) throw notFound("Draft");
  return row;
}
