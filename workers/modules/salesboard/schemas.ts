import { z } from "@hono/zod-openapi";

/** Response shapes of GET /salesboard (amounts in minor units; rates 0–1 or null when nothing to divide by). */
const rateOrNull = z.number().nullable();
const dealGroup = {
  open_count: z.number().int(),
  open_value_minor: z.number().int(),
  won_count: z.number().int(),
  won_value_minor: z.number().int(),
  lost_count: z.number().int(),
  win_rate: rateOrNull,
};

const insight = z
  .object({
    rule: z.string().openapi({ description: "step_dropoff, rep_meetings_per_email, stage_stall, weekday_replies, source_win_rate" }),
    severity: z.enum(["info", "warning", "critical"]),
    title: z.string(),
    detail: z.string(),
    numbers: z.array(
      z.object({
        label: z.string(),
        value: z.number().nullable(),
        unit: z.enum(["percent", "days", "count", "ratio"]),
        numerator: z.number().optional(),
        denominator: z.number().optional(),
      }),
    ),
    ref: z.object({
      sequence_id: z.string().optional(),
      step_position: z.number().int().optional(),
      user_id: z.string().nullable().optional(),
      stage_id: z.string().optional(),
      source: z.string().optional(),
    }),
  })
  .openapi("SalesboardInsight");

export const boardSchema = z
  .object({
    computed_at: z.string().openapi({ description: "When these figures were computed (ISO)" }),
    fresh_until: z.string().openapi({ description: "The cached board is served until then, unless refreshed" }),
    cached: z.boolean().openapi({ description: "true: served from the cache; false: computed for this request" }),
    elapsed_ms: z.number().int().openapi({ description: "How long the computation took" }),
    filters: z.object({
      period: z.string(),
      owner: z.string().nullable(),
      source: z.string().nullable(),
      sequence: z.string().nullable(),
    }),
    period: z.object({ from: z.string(), to: z.string(), interval: z.enum(["day", "week", "month"]) }),
    currency: z.string(),
    mixed_currencies: z.boolean().openapi({ description: "Deals in more than one currency: amounts are summed as they are" }),
    kpis: z.object({
      open_deals: z.number().int(),
      open_value_minor: z.number().int(),
      weighted_forecast_minor: z.number().int().openapi({ description: "Σ open amount × the stage's probability" }),
      won_count: z.number().int(),
      won_value_minor: z.number().int(),
      lost_count: z.number().int(),
      win_rate: rateOrNull,
      avg_cycle_days: z.number().nullable().openapi({ description: "Mean days from a deal's creation to its win (won in the period)" }),
      emails_sent: z.number().int(),
      replies: z.number().int(),
      positive_replies: z.number().int(),
      reply_rate: rateOrNull,
      meetings: z.number().int(),
      meeting_rate: rateOrNull.openapi({ description: "Meetings that followed a sequence email / sequence emails sent" }),
    }),
    pipeline: z.array(
      z.object({
        stage_id: z.string(),
        name: z.string(),
        position: z.number().int(),
        probability: z.number().int(),
        count: z.number().int(),
        value_minor: z.number().int(),
        weighted_minor: z.number().int(),
        reached: z.number().int(),
        conversion_to_next: rateOrNull,
        median_days: z.number().nullable(),
        durations: z.number().int(),
      }),
    ),
    funnel: z.array(
      z.object({
        stage: z.enum(["leads", "contacted", "replied", "meeting", "won"]),
        label: z.string(),
        count: z.number().int(),
        rate_from_previous: rateOrNull,
      }),
    ),
    by_owner: z.array(z.object({ owner_id: z.string().nullable(), name: z.string(), ...dealGroup })),
    by_source: z.array(z.object({ source: z.string().nullable(), ...dealGroup })),
    trend: z.array(
      z.object({
        start: z.string(),
        deals_created: z.number().int(),
        won_count: z.number().int(),
        won_value_minor: z.number().int(),
        lost_count: z.number().int(),
        emails_sent: z.number().int(),
        replies: z.number().int(),
        calls: z.number().int(),
        meetings: z.number().int(),
      }),
    ),
    reps: z.array(
      z.object({
        user_id: z.string().nullable(),
        name: z.string(),
        emails_sent: z.number().int(),
        replies: z.number().int(),
        calls: z.number().int(),
        meetings: z.number().int(),
        notes: z.number().int(),
        tasks_done: z.number().int(),
        meetings_per_email: rateOrNull,
      }),
    ),
    steps: z.array(
      z.object({
        sequence_id: z.string(),
        sequence_name: z.string(),
        step_id: z.string(),
        position: z.number().int(),
        sends: z.number().int(),
        replies: z.number().int(),
        positive_replies: z.number().int(),
        meetings: z.number().int(),
        reply_rate: rateOrNull,
        positive_rate: rateOrNull,
        meeting_rate: rateOrNull,
      }),
    ),
    weekdays: z.array(z.object({ weekday: z.number().int(), sends: z.number().int(), replies: z.number().int(), reply_rate: rateOrNull })),
    insights: z.array(insight),
    insights_waiting: z.array(z.object({ rule: z.string(), reason: z.string() })),
    options: z.object({
      owners: z.array(z.object({ id: z.string(), name: z.string() })),
      sources: z.array(z.string()),
      sequences: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
    }),
  })
  .openapi("Salesboard");
