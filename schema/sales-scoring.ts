import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Ideal customer profile and lead scoring (modules/sales, issue 17; docs/sales.md). A lead's score is
 * the sum of the active model's weights for the traits it has (plus engagement), clamped to 0–100;
 * `sales_leads.score_lines` keeps the explanation.
 */

/** Company size bands (head count), as the ICP and the UI name them. */
export const SIZE_BANDS = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];

export interface IcpDefinition {
  industries: string[]; // matched case-insensitively against lead/company industry
  sizes: SizeBand[];
  titles: string[]; // keywords: "vp", "head of", "founder" (word match on the title)
  regions: string[]; // ISO country codes or region names
  /** Traits a lead must have to score above 0 (e.g. "has_email", "industry"); missing one caps the score at 0. */
  required: string[];
  /** Traits that rule a lead out (score 0): e.g. "industry:gambling", "country:KP", "domain:gmail.com". */
  excluded: string[];
  /**
   * How many opens / site visits count towards the score (points per one × at most this many). Optional in
   * stored rows written before it existed: scoring.ts falls back to 5 and 5.
   */
  engagementCaps?: { open: number; site_visit: number };
}

/** Points per trait: keys like "industry", "size", "title", "region", "has_phone", "engagement:reply". */
export type TraitWeights = Record<string, number>;

export const salesIcp = sqliteTable("sales_icp", {
  tenantId: tenantId().primaryKey(),
  definition: text("definition", { mode: "json" }).$type<IcpDefinition>().notNull(),
  // The hand-set weights (the starting model; a refit proposes new ones in sales_score_models).
  weights: text("weights", { mode: "json" }).$type<TraitWeights>().notNull(),
  version: integer("version").notNull().default(1), // bumped on every change: leads scored under an older one are re-scored
  updatedBy: text("updated_by"),
  updatedAt: updatedAt(),
  // A lead is stale (re-scored by the cron) when scored_at is null, < scores_valid_from or < its own updated_at.
  // Moved forward by every ICP/weights change and by "rescore all"; kept apart from updated_at ("last edited").
  scoresValidFrom: integer("scores_valid_from").notNull().default(0),
  // Set while the cron has stale leads of this workspace to look for; cleared when a pass finds none.
  rescoreRequestedAt: timestamp("rescore_requested_at"),
  // Keyset position (lead id) of the running pass: each tick continues after it, so a pass reads each lead once.
  rescoreCursor: text("rescore_cursor"),
  // Site visits from analytics (sales visits.ts): the lead id the running pass continues after, and when the last pass ended.
  visitsCursor: text("visits_cursor"),
  visitsSyncedAt: timestamp("visits_synced_at"),
});

export interface ScoreModelMetrics {
  logLossBefore: number;
  logLossAfter: number;
  accuracyBefore: number;
  accuracyAfter: number;
  /** The same four measured on held-out folds (each lead predicted by a model fitted without it); null if too few rows. */
  heldOut?: { folds: number; logLossBefore: number; logLossAfter: number; accuracyBefore: number; accuracyAfter: number } | null;
  /** Traits with no variation in the training outcomes (everyone has it, or no one): their weights were kept. */
  kept?: string[];
  /** L2 strength used in the fit. */
  lambda?: number;
}

/**
 * A fitted model: logistic regression on the traits of leads whose deals were won or lost. `proposed`
 * until a person accepts it (it becomes `active`, the previous one `superseded`) or rejects it; an
 * accepted model can be reverted (back to the one before).
 */
export const salesScoreModels = sqliteTable(
  "sales_score_models",
  {
    tenantId: tenantId(),
    id: id(), // smod_…
    status: text("status", { enum: ["proposed", "active", "superseded", "rejected", "reverted"] }).notNull(),
    weights: text("weights", { mode: "json" }).$type<TraitWeights>().notNull(),
    previousWeights: text("previous_weights", { mode: "json" }).$type<TraitWeights>().notNull(),
    // Raw logistic coefficients (log-odds per trait) and intercept, before scaling to points.
    coefficients: text("coefficients", { mode: "json" }).$type<Record<string, number>>().notNull(),
    intercept: real("intercept").notNull().default(0),
    wins: integer("wins").notNull(),
    losses: integer("losses").notNull(),
    // Fit quality: log loss and accuracy before (current weights) and after, on the training outcomes and held out (k-fold).
    metrics: text("metrics", { mode: "json" }).$type<ScoreModelMetrics>().notNull(),
    // The model that was active when this one was accepted: a revert makes it active again.
    replacedModelId: text("replaced_model_id"),
    createdBy: text("created_by"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [index("sales_score_models_created_idx").on(t.tenantId, t.createdAt)],
);
