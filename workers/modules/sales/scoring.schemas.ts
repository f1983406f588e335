import { z } from "@hono/zod-openapi";
import { pageQuerySchema } from "../../platform/pagination";

// Shapes only; the meaning checks (known size bands and traits, exclusion syntax, weight ranges) are
// the service's, answered with 422 and the failing fields (scoring.service.ts validateIcp).
const entry = z.string().trim().min(1).max(100);
const list = z.array(entry).max(100);

export const icpInput = z
  .object({
    industries: list.openapi({
      description: "Matched on whole words, case-insensitive: 'software' matches 'Computer Software'",
      example: ["Software"],
    }),
    sizes: list.openapi({ description: "Company size bands: 1-10, 11-50, 51-200, 201-1000, 1001-5000, 5000+", example: ["51-200"] }),
    titles: list.openapi({
      description: "Title keywords, matched on whole words ('VP' matches 'VP Sales', not 'MVP')",
      example: ["VP", "Head of"],
    }),
    regions: list.openapi({
      description: "ISO country codes, region names, or groups (EU, Europe, DACH, Nordics, North America, LATAM, APAC…)",
      example: ["US", "DACH"],
    }),
    required: list.openapi({
      description: "Traits a lead must have to score above 0: industry, size, title, region, has_phone, has_email, has_linkedin",
    }),
    excluded: list.openapi({
      description:
        "Rules that score a lead 0: `unsubscribed`, `bounced`, or `<field>:<value>` with field industry, country, region, domain, title, size, tag",
      example: ["domain:gmail.com", "industry:gambling"],
    }),
    engagement_caps: z
      .object({ open: z.number().int().min(0).max(100), site_visit: z.number().int().min(0).max(100) })
      .optional()
      .openapi({ description: "How many opens / site visits count (points per one × at most this many); default 5 and 5" }),
    weights: z
      .record(z.string(), z.number())
      .optional()
      .openapi({
        description: "Points per trait (integers −100…100); keys not given keep their current value",
        example: { industry: 25, title: 25 },
      }),
  })
  .openapi("SalesIcpInput");

const traitSchema = z.object({
  key: z.string(),
  label: z.string(),
  weight: z.number().int(),
  per: z.enum(["trait", "each"]).openapi({ description: "'each': points per open/visit, up to `cap`" }),
  cap: z.number().int(),
  max_points: z.number().int(),
});

export const icpSchema = z
  .object({
    industries: z.array(z.string()),
    sizes: z.array(z.string()),
    titles: z.array(z.string()),
    regions: z.array(z.string()),
    required: z.array(z.string()),
    excluded: z.array(z.string()),
    engagement_caps: z.object({ open: z.number().int(), site_visit: z.number().int() }),
    weights: z.record(z.string(), z.number()),
    traits: z.array(traitSchema).openapi({ description: "Every trait with its points, in display order" }),
    version: z.number().int(),
    is_default: z.boolean().openapi({ description: "No ICP saved yet: these are the defaults leads are scored with" }),
    active_model_id: z.string().nullable(),
    updated_by: z.string().nullable(),
    updated_at: z.string().nullable(),
    rescoring: z.object({
      stale: z.number().int().openapi({ description: "Leads not yet scored under the current ICP and weights (or changed since)" }),
      total: z.number().int(),
      pending: z.boolean().openapi({ description: "The cron is still working through this workspace's leads" }),
    }),
    site_visits_source: z
      .string()
      .openapi({ description: "Where site visits come from (analytics page views matched by email, plus visits recorded by hand)" }),
  })
  .openapi("SalesIcp");

export const scoreLineSchema = z.object({ trait: z.string(), label: z.string(), points: z.number() });

export const leadScoreSchema = z
  .object({
    lead_id: z.string(),
    score: z.number().int().nullable(),
    unclamped: z.number().nullable().openapi({ description: "The lines' sum; the score is this clamped to 0–100" }),
    clamped: z.boolean(),
    lines: z.array(scoreLineSchema),
    scored_at: z.string().nullable(),
    icp_version: z.number().int(),
  })
  .openapi("SalesLeadScore");

export const rescoreInput = z
  .object({
    all: z.boolean().default(true).openapi({ description: "Re-score every lead (true), or only stale ones (false)" }),
    max: z
      .number()
      .int()
      .min(0)
      .max(20_000)
      .default(2_000)
      .openapi({ description: "Leads to score now, in this request; the cron continues" }),
  })
  .openapi("SalesRescoreInput");

export const rescoreSchema = z
  .object({
    rescored: z.number().int(),
    remaining: z.number().int(),
    elapsed_ms: z.number(),
    leads_per_s: z
      .number()
      .nullable()
      .openapi({ description: "rescored / elapsed (reading, scoring and writing); null if nothing was scored" }),
  })
  .openapi("SalesRescore");

const metricsSchema = z.object({
  data: z.string().openapi({ description: "What the figures were measured on" }),
  log_loss_before: z.number(),
  log_loss_after: z.number(),
  accuracy_before: z.number(),
  accuracy_after: z.number(),
  held_out: z
    .object({
      folds: z.number().int(),
      log_loss_before: z.number(),
      log_loss_after: z.number(),
      accuracy_before: z.number(),
      accuracy_after: z.number(),
    })
    .nullable(),
  kept: z.array(z.string()).openapi({ description: "Traits with no variation in the outcomes: weights kept as they were" }),
  lambda: z.number(),
});

export const scoreModelSchema = z
  .object({
    id: z.string(),
    status: z.enum(["proposed", "active", "superseded", "rejected", "reverted"]),
    weights: z.record(z.string(), z.number()),
    previous_weights: z.record(z.string(), z.number()),
    coefficients: z.record(z.string(), z.number()),
    intercept: z.number(),
    wins: z.number().int(),
    losses: z.number().int(),
    metrics: metricsSchema,
    created_by: z.string().nullable(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("SalesScoreModel");

export const modelsQuery = pageQuerySchema;
