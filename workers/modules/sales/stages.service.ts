import { and, asc, eq } from "drizzle-orm";
import { salesDeals, salesStages } from "../../../schema/sales";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import type { StageRow } from "./types";

/** The pipeline's stages: a default set on first use, ordered by `position`; deals live in deals.service.ts. */

export const DEFAULT_STAGES: { name: string; probability: number; outcome: StageRow["outcome"] }[] = [
  { name: "Lead in", probability: 10, outcome: "open" },
  { name: "Qualified", probability: 25, outcome: "open" },
  { name: "Meeting booked", probability: 50, outcome: "open" },
  { name: "Proposal", probability: 75, outcome: "open" },
  { name: "Won", probability: 100, outcome: "won" },
  { name: "Lost", probability: 0, outcome: "lost" },
];

export const serializeStage = (s: StageRow) => ({
  id: s.id,
  name: s.name,
  position: s.position,
  probability: s.probability,
  outcome: s.outcome,
  created_at: new Date(s.createdAt).toISOString(),
});

const stagesOf = (db: Db, tenantId: string) =>
  db
    .select()
    .from(salesStages)
    .where(tenantScope(db, tenantId).where(salesStages))
    .orderBy(asc(salesStages.position), asc(salesStages.createdAt));

/** The workspace's stages, creating the default set the first time (ids are deterministic per workspace, so two first calls agree). */
export async function listStages(db: Db, tenantId: string): Promise<StageRow[]> {
  const rows = await stagesOf(db, tenantId);
  if (rows.length) return rows;
  const now = Date.now();
  const defaults: StageRow[] = DEFAULT_STAGES.map((s, i) => ({
    tenantId,
    id: `stg_${tenantId.slice(4)}_${i}`,
    ...s,
    position: i,
    createdAt: now,
  }));
  await db.insert(salesStages).values(defaults).onConflictDoNothing();
  return stagesOf(db, tenantId);
}

export async function getStageRow(db: Db, tenantId: string, id: string): Promise<StageRow> {
  const row = await db
    .select()
    .from(salesStages)
    .where(tenantScope(db, tenantId).where(salesStages, eq(salesStages.id, id)))
    .get();
  if (!row) throw notFound("Stage");
  return row;
}

export interface StageInput {
  name?: string;
  position?: number;
  probability?: number;
  outcome?: StageRow["outcome"];
}

export async function createStage(db: Db, tenantId: string, input: StageInput & { name: string }, actor: Actor): Promise<StageRow> {
  const existing = await listStages(db, tenantId);
  const row: StageRow = {
    tenantId,
    id: newId("stg"),
    name: input.name.trim(),
    position: input.position ?? (existing.length ? Math.max(...existing.map((s) => s.position)) + 1 : 0),
    probability: input.probability ?? 0,
    outcome: input.outcome ?? "open",
    createdAt: Date.now(),
  };
  await db.batch([
    db.insert(salesStages).values(row),
    auditInsert(db, actor, { tenantId, action: "sales.stage.created", target: { type: "sales_stage", id: row.id } }),
  ]);
  return row;
}

export async function updateStage(db: Db, tenantId: string, id: string, input: StageInput, actor: Actor): Promise<StageRow> {
  const cur = await getStageRow(db, tenantId, id);
  const next = { ...cur, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as StageRow;
  await db.batch([
    db
      .update(salesStages)
      .set({ name: next.name, position: next.position, probability: next.probability, outcome: next.outcome })
      .where(and(eq(salesStages.tenantId, tenantId), eq(salesStages.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.stage.updated", target: { type: "sales_stage", id } }),
  ]);
  return next;
}

/** A stage that still holds deals cannot go (move them first): 409. */
export async function deleteStage(db: Db, tenantId: string, id: string, actor: Actor) {
  await getStageRow(db, tenantId, id);
  const n = await db.$count(salesDeals, and(eq(salesDeals.tenantId, tenantId), eq(salesDeals.stageId, id)));
  if (n) throw conflict(`This stage still holds ${n} deal(s); move them to another stage first.`, "stage-not-empty");
  await db.batch([
    db.delete(salesStages).where(and(eq(salesStages.tenantId, tenantId), eq(salesStages.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.stage.deleted", target: { type: "sales_stage", id } }),
  ]);
}
