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
});

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
    // Fit quality on the training outcomes: log loss and accuracy before (current weights) and after.
    metrics: text("metrics", { mode: "json" })
      .$type<{ logLossBefore: number; logLossAfter: number; accuracyBefore: number; accuracyAfter: number }>()
      .notNull(),
    createdBy: text("created_by"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [index("sales_score_models_created_idx").on(t.tenantId, t.createdAt)],
);
