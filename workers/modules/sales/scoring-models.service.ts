import { desc, eq, inArray, sql } from "drizzle-orm";
import { salesDeals, salesLeads } from "../../../schema/sales";
import { salesScoreModels } from "../../../schema/sales-scoring";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound, Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { writeIcp } from "./icp.service";
import { MIN_EACH, refit } from "./refit";
import { fullWeights, scoreLead, TRAITS, traitCap, traitVector } from "./scoring";
import { companyOf, loadIcp, selectScorable, type ScorableRow } from "./scoring.service";

/**
 * Fitted models: a refit proposes one from the leads' won/lost deals; accept makes its weights the
 * ICP's (the old ones kept in the row; every lead re-scored), reject drops it, revert puts the weights
 * from before its acceptance back (and the model it replaced active again, if there was one).
 */

export type ModelRow = typeof salesScoreModels.$inferSelect;

export const serializeModel = (m: ModelRow) => ({
  id: m.id,
  status: m.status,
  weights: m.weights,
  previous_weights: m.previousWeights,
  coefficients: m.coefficients,
  intercept: m.intercept,
  wins: m.wins,
  losses: m.losses,
  metrics: {
    data: `Training outcomes: the latest closed deal of ${m.wins + m.losses} leads (${m.wins} won, ${m.losses} lost); held out: ${m.metrics.heldOut?.folds ?? 0}-fold cross-validation, stratified`,
    log_loss_before: m.metrics.logLossBefore,
    log_loss_after: m.metrics.logLossAfter,
    accuracy_before: m.metrics.accuracyBefore,
    accuracy_after: m.metrics.accuracyAfter,
    held_out: m.metrics.heldOut
      ? {
          folds: m.metrics.heldOut.folds,
          log_loss_before: m.metrics.heldOut.logLossBefore,
          log_loss_after: m.metrics.heldOut.logLossAfter,
          accuracy_before: m.metrics.heldOut.accuracyBefore,
          accuracy_after: m.metrics.heldOut.accuracyAfter,
        }
      : null,
    kept: m.metrics.kept ?? [],
    lambda: m.metrics.lambda ?? 1,
  },
  created_by: m.createdBy,
  decided_by: m.decidedBy,
  decided_at: iso(m.decidedAt),
  created_at: new Date(m.createdAt).toISOString(),
});

/** Each lead's latest closed deal (won/lost): 1 won, 0 lost. Merged-away leads are left out. */
async function outcomes(db: Db, tenantId: string): Promise<Map<string, 0 | 1>> {
  const rows = await db
    .select({ leadId: salesDeals.leadId, outcome: salesDeals.outcome, closedAt: salesDeals.closedAt, id: salesDeals.id })
    .from(salesDeals)
    .where(tenantScope(db, tenantId).where(salesDeals, inArray(salesDeals.outcome, ["won", "lost"]), sql`${salesDeals.leadId} is not null`))
    .orderBy(desc(sql`coalesce(${salesDeals.closedAt}, ${salesDeals.updatedAt})`), desc(salesDeals.id));
  const out = new Map<string, 0 | 1>();
  for (const r of rows) if (r.leadId && !out.has(r.leadId)) out.set(r.leadId, r.outcome === "won" ? 1 : 0);
  return out;
}

/** POST /sales/scoring/refit: fit, store a `proposed` model. 422 when there are fewer than 10 wins or 10 losses. */
export async function proposeModel(db: Db, tenantId: string, actor: Actor) {
  const icp = await loadIcp(db, tenantId);
  const byLead = await outcomes(db, tenantId);
  const rows: ScorableRow[] = [];
  const ids = [...byLead.keys()];
  for (let i = 0; i < ids.length; i += 90) {
    rows.push(...((await selectScorable(db, tenantId, inArray(salesLeads.id, ids.slice(i, i + 90)))) as ScorableRow[]));
  }
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)); // deterministic folds
  const y = rows.map((r) => byLead.get(r.id) ?? 0);
  const wins = y.filter((v) => v === 1).length;
  const losses = y.length - wins;
  if (wins < MIN_EACH || losses < MIN_EACH) {
    const needWins = Math.max(0, MIN_EACH - wins);
    const needLosses = Math.max(0, MIN_EACH - losses);
    throw new Problem(
      422,
      "not-enough-outcomes",
      "Not enough won and lost deals to learn from",
      `A refit needs at least ${MIN_EACH} leads with a won deal and ${MIN_EACH} with a lost deal; there are ${wins} won and ${losses} lost. ` +
        `Close ${[needWins ? `${needWins} more won` : "", needLosses ? `${needLosses} more lost` : ""].filter(Boolean).join(" and ")}.`,
      { wins, losses, needed: MIN_EACH, more_wins_needed: needWins, more_losses_needed: needLosses },
    );
  }
  const current = fullWeights(icp.weights);
  const caps = TRAITS.map((t) => traitCap(t, icp.definition));
  const result = refit({
    X: rows.map((r) => traitVector(r, companyOf(r), icp.definition)),
    y,
    current,
    caps,
    score: (i, weights) => {
      const r = rows[i] as ScorableRow;
      return scoreLead(r, companyOf(r), icp.definition, weights).score;
    },
  });
  const row: typeof salesScoreModels.$inferInsert = {
    tenantId,
    id: newId("smod"),
    status: "proposed",
    weights: result.weights,
    previousWeights: current,
    coefficients: result.coefficients,
    intercept: result.intercept,
    wins,
    losses,
    metrics: result.metrics,
    createdBy: actor.id,
    createdAt: Date.now(),
  };
  await db.insert(salesScoreModels).values(row);
  return serializeModel(row as ModelRow);
}

export async function listModels(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(salesScoreModels.createdAt, salesScoreModels.id, q.cursor);
  const rows = await db
    .select()
    .from(salesScoreModels)
    .where(tenantScope(db, tenantId).where(salesScoreModels, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeModel);
}

async function getModel(db: Db, tenantId: string, id: string): Promise<ModelRow> {
  const m = await db
    .select()
    .from(salesScoreModels)
    .where(tenantScope(db, tenantId).where(salesScoreModels, eq(salesScoreModels.id, id)))
    .get();
  if (!m) throw notFound("Scoring model");
  return m;
}

const setStatus = (db: Db, tenantId: string, id: string, set: Partial<typeof salesScoreModels.$inferInsert>) =>
  db
    .update(salesScoreModels)
    .set(set)
    .where(tenantScope(db, tenantId).where(salesScoreModels, eq(salesScoreModels.id, id)));

/** Accept a proposed model: its weights become the ICP's; the active one (if any) is superseded. */
export async function acceptModel(db: Db, tenantId: string, id: string, actor: Actor) {
  const m = await getModel(db, tenantId, id);
  if (m.status !== "proposed") throw conflict(`This model is ${m.status}; only a proposed model can be accepted.`, "model-not-proposed");
  const icp = await loadIcp(db, tenantId);
  const active = await db
    .select({ id: salesScoreModels.id })
    .from(salesScoreModels)
    .where(tenantScope(db, tenantId).where(salesScoreModels, eq(salesScoreModels.status, "active")))
    .get();
  const now = Date.now();
  const before = fullWeights(icp.weights);
  await writeIcp(
    db,
    tenantId,
    { definition: icp.definition, weights: fullWeights(m.weights) },
    actor,
    { action: "sales.scoring.model_accept", metadata: { model_id: id, before, after: m.weights } },
    [
      ...(active ? [setStatus(db, tenantId, active.id, { status: "superseded" })] : []),
      setStatus(db, tenantId, id, {
        status: "active",
        previousWeights: before,
        replacedModelId: active?.id ?? null,
        decidedBy: actor.id,
        decidedAt: now,
      }),
    ],
  );
  return serializeModel(await getModel(db, tenantId, id));
}

export async function rejectModel(db: Db, tenantId: string, id: string, actor: Actor) {
  const m = await getModel(db, tenantId, id);
  if (m.status !== "proposed") throw conflict(`This model is ${m.status}; only a proposed model can be rejected.`, "model-not-proposed");
  await db.batch([
    setStatus(db, tenantId, id, { status: "rejected", decidedBy: actor.id, decidedAt: Date.now() }),
    auditInsert(db, actor, { tenantId, action: "sales.scoring.model_reject", target: { type: "sales_score_model", id } }),
  ]);
  return serializeModel(await getModel(db, tenantId, id));
}

/** Revert the active model: the weights from before it was accepted come back; the model it replaced is active again. */
export async function revertModel(db: Db, tenantId: string, id: string, actor: Actor) {
  const m = await getModel(db, tenantId, id);
  if (m.status !== "active") throw conflict(`This model is ${m.status}; only the active model can be reverted.`, "model-not-active");
  const icp = await loadIcp(db, tenantId);
  const replaced = m.replacedModelId
    ? await db
        .select({ id: salesScoreModels.id, status: salesScoreModels.status })
        .from(salesScoreModels)
        .where(tenantScope(db, tenantId).where(salesScoreModels, eq(salesScoreModels.id, m.replacedModelId)))
        .get()
    : undefined;
  const restored = fullWeights(m.previousWeights);
  await writeIcp(
    db,
    tenantId,
    { definition: icp.definition, weights: restored },
    actor,
    { action: "sales.scoring.model_revert", metadata: { model_id: id, before: fullWeights(icp.weights), after: restored } },
    [
      setStatus(db, tenantId, id, { status: "reverted", decidedBy: actor.id, decidedAt: Date.now() }),
      ...(replaced?.status === "superseded" ? [setStatus(db, tenantId, replaced.id, { status: "active" })] : []),
    ],
  );
  return serializeModel(await getModel(db, tenantId, id));
}
