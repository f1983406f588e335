import { z } from "@hono/zod-openapi";
import { pageQuerySchema } from "../../platform/pagination";
import { METRIC_IDS } from "./metrics";
import { SUGGESTION_IDS } from "./suggestions.service";

export const metricId = z.enum(METRIC_IDS).openapi({ example: "orders_refunded" });

export const alertSchema = z
  .object({
    id: z.string(),
    metric: z.string(),
    label: z.string(),
    unit: z.string(),
    link: z.string(),
    day: z.string().openapi({ example: "2026-12-06" }),
    direction: z.enum(["up", "down"]),
    value: z.number(),
    median: z.number(),
    mad: z.number(),
    usual_low: z.number(),
    usual_high: z.number(),
    history_days: z.number().int(),
    summary: z.string(),
    status: z.enum(["open", "acknowledged"]),
    acknowledged_by: z.string().nullable(),
    acknowledged_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("InsightAlert");

export const alertsQuery = pageQuerySchema.extend({
  metric: metricId.optional(),
  status: z.enum(["open", "acknowledged"]).optional(),
});

export const metricSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    unit: z.string(),
    bad_direction: z.enum(["up", "down", "both"]),
    min_change: z.number(),
    link: z.string(),
  })
  .openapi("InsightMetric");

export const seriesQuery = z.object({ days: z.coerce.number().int().min(7).max(120).default(56) });
export const seriesSchema = z
  .object({
    metric: metricSchema,
    points: z.array(
      z.object({
        day: z.string(),
        value: z.number().nullable().openapi({ description: "null: no snapshot that day" }),
        median: z.number().nullable(),
        usual_low: z.number().nullable(),
        usual_high: z.number().nullable(),
        anomalous: z.boolean(),
      }),
    ),
  })
  .openapi("InsightSeries");

export const suggestionSchema = z
  .object({
    id: z.string(),
    severity: z.enum(["warning", "info"]),
    text: z.string(),
    numbers: z.record(z.string(), z.number()),
    link: z.string(),
    link_label: z.string(),
  })
  .openapi("InsightSuggestion");

export const suggestionParam = z.object({
  id: z.enum(SUGGESTION_IDS).openapi({ param: { name: "id", in: "path" }, example: "invoices_failed" }),
});
export const dismissInput = z.object({ days: z.number().int().min(1).max(90).default(7) }).openapi("DismissSuggestion");
export const dismissSchema = z.object({ id: z.string(), hidden_until: z.string() });

export const settingsSchema = z
  .object({
    digest_enabled: z.boolean(),
    frequency: z.enum(["daily", "weekly"]),
    weekday: z.number().int().openapi({ description: "0 = Sunday … 6 = Saturday (weekly only)" }),
    hour: z.number().int(),
    timezone: z.string(),
    alerts_enabled: z.boolean(),
    next_digest_at: z.string().nullable(),
    me_subscribed: z.boolean().openapi({ description: "Whether the signed-in member receives the digest" }),
  })
  .openapi("InsightSettings");

export const settingsInput = z
  .object({
    digest_enabled: z.boolean().optional(),
    frequency: z.enum(["daily", "weekly"]).optional(),
    weekday: z.number().int().min(0).max(6).optional(),
    hour: z.number().int().min(0).max(23).optional(),
    timezone: z.string().min(1).max(64).optional(),
    alerts_enabled: z.boolean().optional(),
  })
  .openapi("UpdateInsightSettings");

export const subscriptionInput = z.object({ subscribed: z.boolean() }).openapi("InsightDigestSubscription");
export const previewSchema = z.object({ sent_to: z.string(), period_start: z.string(), period_end: z.string(), figures: z.number().int() });
