import type { BatchItem } from "drizzle-orm/batch";
import { and, eq, inArray } from "drizzle-orm";
import { salesDrafts, salesEnrollments, salesSequenceSteps, salesSequences, salesStepVariants } from "../../../schema/sales-sequences";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { consumeQuotaOrThrow, releaseQuota } from "../billing";
import { getMailboxRow } from "./mailboxes.service";
import type { SequenceInput, SequencePatch } from "./sequences.schemas";
import { type SequenceRow, serializeSequence, stepStatements, stepsOf, toEnrolFilter } from "./sequences.steps";

/** Sequences: CRUD, activation / pause / archive and the `campaigns` meter (docs/sales.md). Steps and variants: sequences.steps.ts. */

export type { SequenceRow, StepRow, VariantRow } from "./sequences.steps";
export { stepsOf, toEnrolFilter } from "./sequences.steps";
type Stmt = BatchItem<"sqlite">;

export async function getSequenceRow(db: Db, tenantId: string, id: string): Promise<SequenceRow> {
  const row = await db
    .select()
    .from(salesSequences)
    .where(tenantScope(db, tenantId).where(salesSequences, eq(salesSequences.id, id)))
    .get();
  if (!row) throw notFound("Sequence");
  return row;
}

export async function getSequence(db: Db, tenantId: string, id: string) {
  const row = await getSequenceRow(db, tenantId, id);
  const { steps, variants } = await stepsOf(db, tenantId, [id]);
  return serializeSequence(row, steps, variants);
}

export async function listSequences(db: Db, tenantId: string, q: PageQuery & { status?: SequenceRow["status"] }) {
  const page = keyset(salesSequences.createdAt, salesSequences.id, q.cursor);
  const rows = await db
    .select()
    .from(salesSequences)
    .where(tenantScope(db, tenantId).where(salesSequences, page.where, q.status ? eq(salesSequences.status, q.status) : undefined))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  const { steps, variants } = await stepsOf(
    db,
    tenantId,
    rows.slice(0, q.limit).map((r) => r.id),
  );
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => serializeSequence(r, steps, variants),
  );
}

export async function createSequence(db: Db, tenantId: string, input: SequenceInput, actor: Actor) {
  if (input.mailbox_id) await getMailboxRow(db, tenantId, input.mailbox_id);
  const now = Date.now();
  const row: SequenceRow = {
    tenantId,
    id: newId("seq"),
    name: input.name,
    status: "draft",
    mailboxId: input.mailbox_id ?? null,
    autoSend: input.auto_send ?? false,
    trackOpens: input.track_opens ?? true,
    enrolFilter: toEnrolFilter(input.enrol_filter),
    enrolled: 0,
    active: 0,
    replied: 0,
    createdBy: actor.type === "user" ? actor.id : null,
    createdAt: now,
    updatedAt: now,
  };
  const stmts = stepStatements(db, tenantId, row.id, input.steps ?? [], { steps: [], variants: [] });
  await db.batch([
    db.insert(salesSequences).values(row),
    ...stmts,
    auditInsert(db, actor, {
      tenantId,
      action: "outreach.sequence.created",
      target: { type: "sales_sequence", id: row.id },
      metadata: { name: row.name },
    }),
  ]);
  return getSequence(db, tenantId, row.id);
}

export async function updateSequence(db: Db, tenantId: string, id: string, patch: SequencePatch, actor: Actor) {
  const cur = await getSequenceRow(db, tenantId, id);
  if (cur.status === "archived") throw conflict("An archived sequence cannot be edited.", "sequence-archived");
  if (patch.mailbox_id) await getMailboxRow(db, tenantId, patch.mailbox_id);
  if (patch.mailbox_id === null && cur.status === "active")
    throw conflict("An active sequence needs a mailbox to send from.", "mailbox-required");
  if (patch.steps && !patch.steps.length && cur.status === "active")
    throw conflict("An active sequence needs at least one step.", "steps-required");
  const s = tenantScope(db, tenantId);
  const stmts: Stmt[] = patch.steps ? stepStatements(db, tenantId, id, patch.steps, await stepsOf(db, tenantId, [id])) : [];
  await db.batch([
    db
      .update(salesSequences)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.mailbox_id !== undefined ? { mailboxId: patch.mailbox_id } : {}),
        ...(patch.auto_send !== undefined ? { autoSend: patch.auto_send } : {}),
        ...(patch.track_opens !== undefined ? { trackOpens: patch.track_opens } : {}),
        ...(patch.enrol_filter !== undefined ? { enrolFilter: toEnrolFilter(patch.enrol_filter) } : {}),
        updatedAt: Date.now(),
      })
      .where(s.where(salesSequences, eq(salesSequences.id, id))),
    ...stmts,
    auditInsert(db, actor, {
      tenantId,
      action: "outreach.sequence.updated",
      target: { type: "sales_sequence", id },
      metadata: { fields: Object.keys(patch) },
    }),
  ]);
  return getSequence(db, tenantId, id);
}

const quotaEvent = (kind: "use" | "release", id: string) => `campaign-${kind}:${id}`;

/**
 * draft/paused → active. The first activation consumes one `campaigns` unit (402 over the plan's
 * limit); re-activating a paused sequence counts nothing new (same usage event id).
 */
export async function activateSequence(env: Env, db: Db, tenantId: string, id: string, actor: Actor, origin: string) {
  const cur = await getSequenceRow(db, tenantId, id);
  if (cur.status === "archived")
    throw conflict("An archived sequence cannot be activated again; duplicate it instead.", "sequence-archived");
  if (cur.status === "active") return getSequence(db, tenantId, id);
  if (!cur.mailboxId)
    throw badRequest("Choose a mailbox to send from before activating.", {
      errors: [{ path: "mailbox_id", message: "Required to activate" }],
    });
  const { steps, variants } = await stepsOf(db, tenantId, [id]);
  if (!steps.length)
    throw badRequest("Add at least one step before activating.", { errors: [{ path: "steps", message: "Required to activate" }] });
  const empty = steps.find((st) => st.kind === "email" && !variants.some((v) => v.stepId === st.id && v.active));
  if (empty)
    throw badRequest(`Step ${empty.position} has no active variant.`, {
      errors: [{ path: `steps.${empty.position - 1}.variants`, message: "No active variant" }],
    });
  await consumeQuotaOrThrow(env, tenantId, "campaigns", 1, {
    eventId: quotaEvent("use", id),
    userId: actor.type === "user" ? actor.id : null,
    origin,
  });
  await setStatus(db, tenantId, id, cur.status, "active", actor);
  return getSequence(db, tenantId, id);
}

export async function pauseSequence(db: Db, tenantId: string, id: string, actor: Actor) {
  const cur = await getSequenceRow(db, tenantId, id);
  if (cur.status !== "active") throw conflict(`Only an active sequence can be paused (this one is ${cur.status}).`, "sequence-not-active");
  await setStatus(db, tenantId, id, cur.status, "paused", actor);
  return getSequence(db, tenantId, id);
}

/** Final: releases the `campaigns` unit (if it was ever activated), finishes open enrolments, cancels unsent drafts. */
export async function archiveSequence(env: Env, db: Db, tenantId: string, id: string, actor: Actor) {
  const cur = await getSequenceRow(db, tenantId, id);
  if (cur.status === "archived") return getSequence(db, tenantId, id);
  const changed = await setStatus(db, tenantId, id, cur.status, "archived", actor, closeOut(db, tenantId, id));
  if (changed && cur.status !== "draft") await releaseQuota(env, tenantId, "campaigns", 1, quotaEvent("release", id));
  return getSequence(db, tenantId, id);
}

/** Enrolments finish (manual) and unsent drafts are cancelled: what archiving or deleting a sequence does to its work in flight. */
function closeOut(db: Db, tenantId: string, id: string): Stmt[] {
  const now = Date.now();
  return [
    db
      .update(salesEnrollments)
      .set({ status: "finished", stopReason: "manual", nextRunAt: null, waitingOn: null, updatedAt: now })
      .where(
        and(
          eq(salesEnrollments.tenantId, tenantId),
          eq(salesEnrollments.sequenceId, id),
          inArray(salesEnrollments.status, ["active", "paused"]),
        ),
      ),
    db
      .update(salesDrafts)
      .set({ status: "cancelled", updatedAt: now })
      .where(
        and(
          eq(salesDrafts.tenantId, tenantId),
          eq(salesDrafts.sequenceId, id),
          inArray(salesDrafts.status, ["pending", "held", "approved", "scheduled"]),
        ),
      ),
    db
      .update(salesSequences)
      .set({ active: 0 })
      .where(and(eq(salesSequences.tenantId, tenantId), eq(salesSequences.id, id))),
  ];
}

/** A conditional status move (from → to) with its audit row; false when another request moved it first. */
async function setStatus(
  db: Db,
  tenantId: string,
  id: string,
  from: SequenceRow["status"],
  to: SequenceRow["status"],
  actor: Actor,
  extra: Stmt[] = [],
) {
  const [moved] = (await db.batch([
    db
      .update(salesSequences)
      .set({ status: to, updatedAt: Date.now() })
      .where(and(eq(salesSequences.tenantId, tenantId), eq(salesSequences.id, id), eq(salesSequences.status, from)))
      .returning({ id: salesSequences.id }),
    ...extra,
    auditInsert(db, actor, {
      tenantId,
      action: `outreach.sequence.${to === "active" ? "activated" : to}`,
      target: { type: "sales_sequence", id },
      metadata: { from },
    }),
  ])) as unknown as [{ id: string }[]];
  return moved.length > 0;
}

/** Deletes a sequence that is not active (pause or archive it first), with its steps, variants, enrolments and unsent drafts. */
export async function deleteSequence(env: Env, db: Db, tenantId: string, id: string, actor: Actor) {
  const cur = await getSequenceRow(db, tenantId, id);
  if (cur.status === "active") throw conflict("Pause or archive the sequence before deleting it.", "sequence-active");
  const s = tenantScope(db, tenantId);
  const { steps } = await stepsOf(db, tenantId, [id]);
  const stepIds = steps.map((st) => st.id);
  const stmts: Stmt[] = [
    ...closeOut(db, tenantId, id),
    ...(stepIds.length ? [db.delete(salesStepVariants).where(s.where(salesStepVariants, inArray(salesStepVariants.stepId, stepIds)))] : []),
    db.delete(salesSequenceSteps).where(s.where(salesSequenceSteps, eq(salesSequenceSteps.sequenceId, id))),
    db.delete(salesEnrollments).where(s.where(salesEnrollments, eq(salesEnrollments.sequenceId, id))),
    db.delete(salesSequences).where(s.where(salesSequences, eq(salesSequences.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "outreach.sequence.deleted",
      target: { type: "sales_sequence", id },
      metadata: { name: cur.name },
    }),
  ];
  await db.batch(stmts as [Stmt, ...Stmt[]]);
  // A paused sequence still holds its campaigns unit (archived ones gave it back already).
  if (cur.status === "paused") await releaseQuota(env, tenantId, "campaigns", 1, quotaEvent("release", id));
}
