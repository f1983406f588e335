import { eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { SIZE_BANDS, salesIcp, salesScoreModels, type IcpDefinition, type TraitWeights } from "../../../schema/sales-scoring";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { iso } from "../../platform/request";
import { DEFAULT_CAPS, EXCLUDE_FIELDS, EXCLUDE_FLAGS, fullWeights, isSizeBand, isTrait, REQUIRABLE, TRAITS, traitCap } from "./scoring";
import { loadIcp, SITE_VISITS_SOURCE, staleCounts, type Icp } from "./scoring.service";

/** The ideal customer profile: validation (422 with the failing fields), the API's view of it, edits (each one re-scores every lead). */

// ── validation (422 with the failing fields) ──

export interface IcpInput {
  industries: string[];
  sizes: string[];
  titles: string[];
  regions: string[];
  required: string[];
  excluded: string[];
  engagement_caps?: { open: number; site_visit: number };
  weights?: Record<string, number>;
}

const invalidIcp = (errors: { path: string; message: string }[]) =>
  new Problem(422, "invalid-icp", "The ideal customer profile is not valid", errors.map((e) => `${e.path}: ${e.message}`).join("; "), {
    errors,
  });

const dedupe = (xs: string[]) => {
  const seen = new Set<string>();
  return xs.map((x) => x.trim()).filter((x) => x && !seen.has(x.toLowerCase()) && seen.add(x.toLowerCase()));
};

export function validateIcp(input: IcpInput, current: TraitWeights): { definition: IcpDefinition; weights: TraitWeights } {
  const errors: { path: string; message: string }[] = [];
  input.sizes.forEach((s, i) => {
    if (!isSizeBand(s)) errors.push({ path: `sizes.${i}`, message: `"${s}" is not a size band; use one of ${SIZE_BANDS.join(", ")}` });
  });
  input.required.forEach((r, i) => {
    if (!(REQUIRABLE as readonly string[]).includes(r))
      errors.push({ path: `required.${i}`, message: `"${r}" is not a trait that can be required; use one of ${REQUIRABLE.join(", ")}` });
  });
  const requiresList: Record<string, string[]> = {
    industry: input.industries,
    size: input.sizes,
    title: input.titles,
    region: input.regions,
  };
  input.required.forEach((r, i) => {
    const l = requiresList[r];
    if (l && !l.length)
      errors.push({
        path: `required.${i}`,
        message: `"${r}" is required but the ICP lists no ${r === "size" ? "sizes" : `${r}s`}: no lead could score`,
      });
  });
  input.excluded.forEach((e, i) => {
    const t = e.trim();
    if ((EXCLUDE_FLAGS as readonly string[]).includes(t)) return;
    const c = t.indexOf(":");
    const field = c > 0 ? t.slice(0, c) : "";
    const value = c > 0 ? t.slice(c + 1).trim() : "";
    if (!(EXCLUDE_FIELDS as readonly string[]).includes(field) || !value)
      errors.push({
        path: `excluded.${i}`,
        message: `"${e}" is not an exclusion; use ${EXCLUDE_FLAGS.join(" or ")}, or <field>:<value> with field ${EXCLUDE_FIELDS.join(", ")} (e.g. domain:gmail.com)`,
      });
    else if (field === "size" && !isSizeBand(value))
      errors.push({ path: `excluded.${i}`, message: `"${value}" is not a size band; use one of ${SIZE_BANDS.join(", ")}` });
  });
  const weights = fullWeights(current);
  for (const [k, v] of Object.entries(input.weights ?? {})) {
    if (!isTrait(k)) errors.push({ path: `weights.${k}`, message: `unknown trait; the traits are ${TRAITS.join(", ")}` });
    else if (!Number.isInteger(v) || v < -100 || v > 100)
      errors.push({ path: `weights.${k}`, message: "must be a whole number from -100 to 100" });
    else weights[k] = v;
  }
  if (errors.length) throw invalidIcp(errors);
  return {
    definition: {
      industries: dedupe(input.industries),
      sizes: dedupe(input.sizes) as IcpDefinition["sizes"],
      titles: dedupe(input.titles),
      regions: dedupe(input.regions),
      required: dedupe(input.required),
      excluded: dedupe(input.excluded),
      engagementCaps: input.engagement_caps ?? { ...DEFAULT_CAPS },
    },
    weights,
  };
}

const TRAIT_LABELS: Record<string, string> = {
  industry: "Industry in the ICP",
  size: "Company size in the ICP",
  title: "Title matches a keyword",
  region: "Region in the ICP",
  has_phone: "Has a phone number",
  has_email: "Has an email address",
  has_linkedin: "Has a LinkedIn profile",
  "engagement:open": "Email opens",
  "engagement:reply": "Replied",
  "engagement:site_visit": "Site visits",
};

export async function serializeIcp(db: Db, tenantId: string, icp: Icp) {
  const active = await db
    .select({ id: salesScoreModels.id })
    .from(salesScoreModels)
    .where(tenantScope(db, tenantId).where(salesScoreModels, eq(salesScoreModels.status, "active")))
    .get();
  const counts = await staleCounts(db, tenantId, icp.scoresValidFrom);
  const d = icp.definition;
  const w = fullWeights(icp.weights);
  return {
    industries: d.industries,
    sizes: d.sizes,
    titles: d.titles,
    regions: d.regions,
    required: d.required,
    excluded: d.excluded,
    engagement_caps: {
      open: d.engagementCaps?.open ?? DEFAULT_CAPS.open,
      site_visit: d.engagementCaps?.site_visit ?? DEFAULT_CAPS.site_visit,
    },
    weights: w,
    traits: TRAITS.map((t) => {
      const cap = traitCap(t, d);
      return {
        key: t,
        label: TRAIT_LABELS[t] ?? t,
        weight: w[t],
        per: (t === "engagement:open" || t === "engagement:site_visit" ? "each" : "trait") as "each" | "trait",
        cap,
        max_points: w[t] * cap,
      };
    }),
    version: icp.version,
    is_default: icp.isDefault,
    active_model_id: active?.id ?? null,
    updated_by: icp.updatedBy,
    updated_at: icp.isDefault ? null : iso(icp.updatedAt),
    rescoring: { ...counts, pending: icp.rescoreRequestedAt !== null },
    site_visits_source: SITE_VISITS_SOURCE,
  };
}

/**
 * Writes the ICP (definition and weights), bumps its version and moves `scores_valid_from` so every
 * lead is re-scored. `extra` lets accept/revert put their own statements (model status, audit) in the same batch.
 */
export async function writeIcp(
  db: Db,
  tenantId: string,
  next: { definition: IcpDefinition; weights: TraitWeights },
  actor: Actor,
  audit: { action: string; metadata?: Record<string, unknown> },
  extra: BatchItem<"sqlite">[] = [],
): Promise<void> {
  const now = Date.now();
  await db.batch([
    db
      .insert(salesIcp)
      .values({
        tenantId,
        definition: next.definition,
        weights: next.weights,
        version: 1,
        updatedBy: actor.id,
        updatedAt: now,
        scoresValidFrom: now,
        rescoreRequestedAt: now,
        rescoreCursor: null,
      })
      .onConflictDoUpdate({
        target: salesIcp.tenantId,
        set: {
          definition: next.definition,
          weights: next.weights,
          version: sql`${salesIcp.version} + 1`,
          updatedBy: actor.id,
          updatedAt: now,
          scoresValidFrom: now,
          rescoreRequestedAt: now,
          rescoreCursor: null,
        },
      }),
    ...extra,
    auditInsert(db, actor, { tenantId, action: audit.action, target: { type: "sales_icp", id: tenantId }, metadata: audit.metadata }),
  ]);
}

/** PUT /sales/icp: a hand edit. Weights that differ from the active model's end that model (superseded). */
export async function putIcp(db: Db, tenantId: string, input: IcpInput, actor: Actor): Promise<void> {
  const current = await loadIcp(db, tenantId);
  const next = validateIcp(input, current.weights);
  const weightsChanged = TRAITS.some((t) => (next.weights[t] ?? 0) !== (current.weights[t] ?? 0));
  const now = Date.now();
  await writeIcp(
    db,
    tenantId,
    next,
    actor,
    { action: "sales.icp.update", metadata: { weights_changed: weightsChanged } },
    weightsChanged
      ? [
          db
            .update(salesScoreModels)
            .set({ status: "superseded", decidedAt: now, decidedBy: actor.id })
            .where(tenantScope(db, tenantId).where(salesScoreModels, eq(salesScoreModels.status, "active"))),
        ]
      : [],
  );
}
