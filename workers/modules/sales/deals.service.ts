import { and, asc, eq, inArray, max, sql } from "drizzle-orm";
import { salesDeals } from "../../../schema/sales";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { recordActivity } from "./activities.service";
import { getCompanyRow } from "./companies.service";
import { getLeadRow } from "./leads.service";
import { assertOwner } from "./owners";
import { getStageRow, listStages, serializeStage } from "./stages.service";
import { type DealRow, rawStmt, type Stmt } from "./types";

/** The pipeline's deals, ordered by `position` within their stage column (stages: stages.service.ts). */

export const serializeDeal = (d: DealRow) => ({
  id: d.id,
  name: d.name,
  lead_id: d.leadId,
  company_id: d.companyId,
  stage_id: d.stageId,
  position: d.position,
  amount_minor: d.amountMinor,
  currency: d.currency,
  owner_id: d.ownerId,
  source: d.source,
  expected_close_at: iso(d.expectedCloseAt),
  outcome: d.outcome,
  lost_reason: d.lostReason,
  closed_at: iso(d.closedAt),
  stage_changed_at: new Date(d.stageChangedAt).toISOString(),
  custom_fields: d.customFields,
  created_at: new Date(d.createdAt).toISOString(),
  updated_at: new Date(d.updatedAt).toISOString(),
});

export async function getDealRow(db: Db, tenantId: string, id: string): Promise<DealRow> {
  const row = await db
    .select()
    .from(salesDeals)
    .where(tenantScope(db, tenantId).where(salesDeals, eq(salesDeals.id, id)))
    .get();
  if (!row) throw notFound("Deal");
  return row;
}

export interface DealInput {
  name?: string;
  lead_id?: string | null;
  company_id?: string | null;
  stage_id?: string;
  amount_minor?: number;
  currency?: string;
  owner_id?: string | null;
  source?: string | null;
  expected_close_at?: string | null;
  lost_reason?: string | null;
}

async function checkLinks(db: Db, tenantId: string, input: DealInput) {
  const errors: { path: string; message: string }[] = [];
  if (input.lead_id)
    await getLeadRow(db, tenantId, input.lead_id).catch(() => errors.push({ path: "lead_id", message: "is not a lead of this workspace" }));
  if (input.company_id)
    await getCompanyRow(db, tenantId, input.company_id).catch(() =>
      errors.push({ path: "company_id", message: "is not a company of this workspace" }),
    );
  if (errors.length) throw validationFailed(errors);
  if (input.owner_id) await assertOwner(db, tenantId, input.owner_id);
}

const stageNotFound = () => validationFailed([{ path: "stage_id", message: "is not a stage of this workspace" }]);

export async function createDeal(db: Db, tenantId: string, input: DealInput & { name: string }, actor: Actor): Promise<DealRow> {
  const stages = await listStages(db, tenantId);
  const stage = input.stage_id ? stages.find((s) => s.id === input.stage_id) : stages[0];
  if (!stage) throw stageNotFound();
  await checkLinks(db, tenantId, input);
  const last = await db
    .select({ p: max(salesDeals.position) })
    .from(salesDeals)
    .where(and(eq(salesDeals.tenantId, tenantId), eq(salesDeals.stageId, stage.id)))
    .get();
  const now = Date.now();
  const closed = stage.outcome !== "open";
  const row: DealRow = {
    tenantId,
    id: newId("deal"),
    name: input.name.trim(),
    leadId: input.lead_id ?? null,
    companyId: input.company_id ?? null,
    stageId: stage.id,
    position: (last?.p ?? -1) + 1,
    amountMinor: input.amount_minor ?? 0,
    currency: (input.currency ?? "USD").toUpperCase(),
    ownerId: input.owner_id ?? null,
    source: input.source ?? null,
    expectedCloseAt: input.expected_close_at ? Date.parse(input.expected_close_at) : null,
    outcome: stage.outcome,
    lostReason: input.lost_reason ?? null,
    closedAt: closed ? now : null,
    stageChangedAt: now,
    customFields: {},
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(salesDeals).values(row),
    auditInsert(db, actor, { tenantId, action: "sales.deal.created", target: { type: "sales_deal", id: row.id } }),
  ]);
  return row;
}

export async function updateDeal(db: Db, tenantId: string, id: string, input: DealInput, actor: Actor): Promise<DealRow> {
  const cur = await getDealRow(db, tenantId, id);
  await checkLinks(db, tenantId, input);
  if (input.stage_id && input.stage_id !== cur.stageId) return moveDeal(db, tenantId, id, { stage_id: input.stage_id }, actor, input);
  const next: DealRow = {
    ...cur,
    name: input.name?.trim() || cur.name,
    leadId: input.lead_id !== undefined ? input.lead_id : cur.leadId,
    companyId: input.company_id !== undefined ? input.company_id : cur.companyId,
    amountMinor: input.amount_minor ?? cur.amountMinor,
    currency: input.currency?.toUpperCase() ?? cur.currency,
    ownerId: input.owner_id !== undefined ? input.owner_id : cur.ownerId,
    source: input.source !== undefined ? input.source : cur.source,
    expectedCloseAt:
      input.expected_close_at !== undefined ? (input.expected_close_at ? Date.parse(input.expected_close_at) : null) : cur.expectedCloseAt,
    lostReason: input.lost_reason !== undefined ? input.lost_reason : cur.lostReason,
    updatedAt: Date.now(),
  };
  const { tenantId: _t, id: _i, createdAt: _c, ...set } = next;
  await db.batch([
    db
      .update(salesDeals)
      .set(set)
      .where(and(eq(salesDeals.tenantId, tenantId), eq(salesDeals.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.deal.updated", target: { type: "sales_deal", id } }),
  ]);
  return next;
}

/**
 * Moves a deal to `position` (0-based, default: the end) of a stage's column and renumbers that
 * column 0…n-1 (and the column it left). Into a won/lost stage: outcome + closed_at; back into an
 * open stage: reopened. A stage change records `stage_changed` on the deal (and its lead).
 */
export async function moveDeal(
  db: Db,
  tenantId: string,
  id: string,
  to: { stage_id: string; position?: number },
  actor: Actor,
  also: DealInput = {},
): Promise<DealRow> {
  const cur = await getDealRow(db, tenantId, id);
  const stage = await getStageRow(db, tenantId, to.stage_id).catch(() => {
    throw stageNotFound();
  });
  const column = (
    await db
      .select({ id: salesDeals.id })
      .from(salesDeals)
      .where(and(eq(salesDeals.tenantId, tenantId), eq(salesDeals.stageId, stage.id)))
      .orderBy(asc(salesDeals.position), asc(salesDeals.createdAt))
  )
    .map((r) => r.id)
    .filter((d) => d !== id);
  const at = Math.max(0, Math.min(to.position ?? column.length, column.length));
  column.splice(at, 0, id);
  const now = Date.now();
  const changed = stage.id !== cur.stageId;
  const outcome = stage.outcome;
  const next: DealRow = {
    ...cur,
    stageId: stage.id,
    position: at,
    outcome,
    closedAt: outcome === "open" ? null : changed || cur.outcome !== outcome ? now : cur.closedAt,
    lostReason: also.lost_reason !== undefined ? also.lost_reason : cur.lostReason,
    stageChangedAt: changed ? now : cur.stageChangedAt,
    updatedAt: now,
  };
  const stmts: Stmt[] = [
    db
      .update(salesDeals)
      .set({
        stageId: next.stageId,
        outcome: next.outcome,
        closedAt: next.closedAt,
        lostReason: next.lostReason,
        stageChangedAt: next.stageChangedAt,
        updatedAt: now,
      })
      .where(and(eq(salesDeals.tenantId, tenantId), eq(salesDeals.id, id))),
    // Renumber the target column in one statement: position = index in the wanted order.
    rawStmt(
      db,
      sql`update sales_deals set position = (select j.key from json_each(${JSON.stringify(column)}) j where j.value = sales_deals.id)
          where tenant_id = ${tenantId} and id in (select value from json_each(${JSON.stringify(column)}))`,
    ),
  ];
  if (changed) {
    // Close the gap in the column it left.
    stmts.push(
      rawStmt(
        db,
        sql`update sales_deals set position = position - 1 where tenant_id = ${tenantId} and stage_id = ${cur.stageId} and position > ${cur.position}`,
      ),
      recordActivity(db, tenantId, {
        dealId: id,
        leadId: cur.leadId,
        companyId: cur.companyId,
        kind: "stage_changed",
        actorId: actor.id,
        summary: `${cur.name}: moved to ${stage.name}${outcome !== "open" ? ` (${outcome})` : ""}`,
        data: { from_stage_id: cur.stageId, to_stage_id: stage.id, outcome },
        occurredAt: now,
      }),
    );
  }
  await db.batch(stmts as [Stmt, ...Stmt[]]);
  return next;
}

export async function deleteDeal(db: Db, tenantId: string, id: string, actor: Actor) {
  const cur = await getDealRow(db, tenantId, id);
  await db.batch([
    db.delete(salesDeals).where(and(eq(salesDeals.tenantId, tenantId), eq(salesDeals.id, id))),
    rawStmt(
      db,
      sql`update sales_deals set position = position - 1 where tenant_id = ${tenantId} and stage_id = ${cur.stageId} and position > ${cur.position}`,
    ),
    auditInsert(db, actor, { tenantId, action: "sales.deal.deleted", target: { type: "sales_deal", id } }),
  ]);
}

export interface DealListQuery extends PageQuery {
  stage_id?: string;
  owner_id?: string;
  lead_id?: string;
  company_id?: string;
  outcome?: DealRow["outcome"];
}

export async function listDeals(db: Db, tenantId: string, q: DealListQuery) {
  const page = keyset(salesDeals.createdAt, salesDeals.id, q.cursor);
  const rows = await db
    .select()
    .from(salesDeals)
    .where(
      tenantScope(db, tenantId).where(
        salesDeals,
        q.stage_id ? eq(salesDeals.stageId, q.stage_id) : undefined,
        q.owner_id ? eq(salesDeals.ownerId, q.owner_id) : undefined,
        q.lead_id ? eq(salesDeals.leadId, q.lead_id) : undefined,
        q.company_id ? eq(salesDeals.companyId, q.company_id) : undefined,
        q.outcome ? eq(salesDeals.outcome, q.outcome) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeDeal);
}

/** Board data: every stage with its deals in column order (at most `perStage` each) and the column's count and total. */
export async function board(db: Db, tenantId: string, perStage = 100) {
  const stages = await listStages(db, tenantId);
  const ids = stages.map((s) => s.id);
  const deals = ids.length
    ? await db
        .select()
        .from(salesDeals)
        .where(and(eq(salesDeals.tenantId, tenantId), inArray(salesDeals.stageId, ids)))
        .orderBy(asc(salesDeals.stageId), asc(salesDeals.position))
    : [];
  return stages.map((s) => {
    const col = deals.filter((d) => d.stageId === s.id);
    return {
      ...serializeStage(s),
      count: col.length,
      amount_minor: col.reduce((a, d) => a + d.amountMinor, 0),
      deals: col.slice(0, perStage).map(serializeDeal),
    };
  });
}
