import type { z } from "@hono/zod-openapi";
import type { BatchItem } from "drizzle-orm/batch";
import { asc, eq, inArray } from "drizzle-orm";
import { type EnrolFilter, salesSequenceSteps, type salesSequences, salesStepVariants } from "../../../schema/sales-sequences";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { iso } from "../../platform/request";
import type { enrolFilterSchema, StepInput } from "./sequences.schemas";

/** A sequence's steps and A/B variants: reading, serialising, and the statements that edit them in place. */

export type SequenceRow = typeof salesSequences.$inferSelect;
export type StepRow = typeof salesSequenceSteps.$inferSelect;
export type VariantRow = typeof salesStepVariants.$inferSelect;
type Stmt = BatchItem<"sqlite">;

export const toEnrolFilter = (f: z.infer<typeof enrolFilterSchema> | undefined): EnrolFilter => {
  const out: EnrolFilter = {};
  if (f?.tags?.length) out.tags = f.tags;
  if (f?.statuses?.length) out.statuses = f.statuses;
  if (f?.min_score !== undefined) out.minScore = f.min_score;
  if (f?.owner_id) out.ownerId = f.owner_id;
  if (f?.q) out.q = f.q;
  return out;
};
const serializeFilter = (f: EnrolFilter) => ({
  ...(f.tags ? { tags: f.tags } : {}),
  ...(f.statuses ? { statuses: f.statuses } : {}),
  ...(f.minScore !== undefined ? { min_score: f.minScore } : {}),
  ...(f.ownerId ? { owner_id: f.ownerId } : {}),
  ...(f.q ? { q: f.q } : {}),
});

const serializeVariant = (v: VariantRow) => ({
  id: v.id,
  label: v.label,
  subject: v.subject,
  body: v.body,
  instructions: v.instructions,
  active: v.active,
  sent: v.sent,
  replies: v.replies,
  positive_replies: v.positiveReplies,
});

export function serializeSequence(s: SequenceRow, steps: StepRow[], variants: VariantRow[]) {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    mailbox_id: s.mailboxId,
    auto_send: s.autoSend,
    track_opens: s.trackOpens,
    enrol_filter: serializeFilter(s.enrolFilter),
    counts: { enrolled: s.enrolled, active: s.active, replied: s.replied },
    steps: steps
      .filter((st) => st.sequenceId === s.id)
      .sort((a, b) => a.position - b.position)
      .map((st) => ({
        id: st.id,
        position: st.position,
        kind: st.kind,
        delay_minutes: st.delayMinutes,
        condition: st.condition,
        task_title: st.taskTitle,
        variants: variants
          .filter((v) => v.stepId === st.id)
          .sort((a, b) => a.label.localeCompare(b.label))
          .map(serializeVariant),
      })),
    created_at: iso(s.createdAt) as string,
    updated_at: iso(s.updatedAt) as string,
  };
}

/** Steps (in order) and their variants of some sequences. */
export async function stepsOf(db: Db, tenantId: string, sequenceIds: string[]): Promise<{ steps: StepRow[]; variants: VariantRow[] }> {
  if (!sequenceIds.length) return { steps: [], variants: [] };
  const s = tenantScope(db, tenantId);
  const steps = await db
    .select()
    .from(salesSequenceSteps)
    .where(s.where(salesSequenceSteps, inArray(salesSequenceSteps.sequenceId, sequenceIds)))
    .orderBy(asc(salesSequenceSteps.position));
  const variants = steps.length
    ? await db
        .select()
        .from(salesStepVariants)
        .where(
          s.where(
            salesStepVariants,
            inArray(
              salesStepVariants.stepId,
              steps.map((st) => st.id),
            ),
          ),
        )
    : [];
  return { steps, variants };
}

/**
 * Statements that make the sequence's steps exactly `input` (in order): steps and variants with a
 * known id are updated in place (their counters and the drafts pointing at them survive), the rest
 * are added, and the ones left out are deleted.
 */
export function stepStatements(
  db: Db,
  tenantId: string,
  sequenceId: string,
  input: StepInput[],
  existing: { steps: StepRow[]; variants: VariantRow[] },
) {
  const now = Date.now();
  const stmts: Stmt[] = [];
  const keptSteps = new Set<string>();
  const keptVariants = new Set<string>();
  const s = tenantScope(db, tenantId);
  input.forEach((step, i) => {
    const known = step.id ? existing.steps.find((x) => x.id === step.id) : undefined;
    if (step.id && !known)
      throw badRequest(`Step ${step.id} is not a step of this sequence.`, { errors: [{ path: `steps.${i}.id`, message: "Unknown step" }] });
    const stepId = known?.id ?? newId("sstep");
    keptSteps.add(stepId);
    const fields = {
      position: i + 1,
      kind: step.kind,
      delayMinutes: step.delay_minutes,
      condition: step.condition ?? "always",
      taskTitle: step.kind === "task" ? (step.task_title ?? null) : null,
    };
    stmts.push(
      known
        ? db
            .update(salesSequenceSteps)
            .set(fields)
            .where(s.where(salesSequenceSteps, eq(salesSequenceSteps.id, stepId)))
        : db.insert(salesSequenceSteps).values({ tenantId, id: stepId, sequenceId, createdAt: now, ...fields }),
    );
    if (step.kind !== "email") return;
    const labels = new Set<string>();
    (step.variants ?? []).forEach((v, j) => {
      const knownV = v.id ? existing.variants.find((x) => x.id === v.id && x.stepId === stepId) : undefined;
      if (v.id && !knownV)
        throw badRequest(`Variant ${v.id} is not a variant of this step.`, {
          errors: [{ path: `steps.${i}.variants.${j}.id`, message: "Unknown variant" }],
        });
      const label = (v.label ?? String.fromCharCode(65 + j)).toUpperCase();
      if (labels.has(label))
        throw badRequest(`Two variants of step ${i + 1} are labelled ${label}.`, {
          errors: [{ path: `steps.${i}.variants.${j}.label`, message: "Duplicate label" }],
        });
      labels.add(label);
      const vf = { label, subject: v.subject, body: v.body, instructions: v.instructions ?? "", active: v.active ?? true };
      const variantId = knownV?.id ?? newId("svar");
      keptVariants.add(variantId);
      stmts.push(
        knownV
          ? db
              .update(salesStepVariants)
              .set(vf)
              .where(s.where(salesStepVariants, eq(salesStepVariants.id, variantId)))
          : db.insert(salesStepVariants).values({ tenantId, id: variantId, stepId, createdAt: now, ...vf }),
      );
    });
  });
  const goneSteps = existing.steps.filter((x) => !keptSteps.has(x.id)).map((x) => x.id);
  const goneVariants = existing.variants.filter((x) => !keptVariants.has(x.id)).map((x) => x.id);
  if (goneVariants.length)
    stmts.push(db.delete(salesStepVariants).where(s.where(salesStepVariants, inArray(salesStepVariants.id, goneVariants))));
  if (goneSteps.length)
    stmts.push(db.delete(salesSequenceSteps).where(s.where(salesSequenceSteps, inArray(salesSequenceSteps.id, goneSteps))));
  return stmts;
}
