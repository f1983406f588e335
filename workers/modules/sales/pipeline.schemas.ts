import { z } from "@hono/zod-openapi";
import { pageQuerySchema } from "../../platform/pagination";

/** Stages, deals and tasks: request and response schemas (OpenAPI). */

const outcome = z.enum(["open", "won", "lost"]);

export const stageSchema = z
  .object({ id: z.string(), name: z.string(), position: z.number(), probability: z.number(), outcome, created_at: z.string() })
  .openapi("SalesStage");
export const dealSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    lead_id: z.string().nullable(),
    company_id: z.string().nullable(),
    stage_id: z.string(),
    position: z.number(),
    amount_minor: z.number(),
    currency: z.string(),
    owner_id: z.string().nullable(),
    source: z.string().nullable(),
    expected_close_at: z.string().nullable(),
    outcome,
    lost_reason: z.string().nullable(),
    closed_at: z.string().nullable(),
    stage_changed_at: z.string(),
    custom_fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("SalesDeal");
export const boardColumnSchema = stageSchema
  .extend({
    count: z.number().openapi({ description: "Deals in the stage" }),
    amount_minor: z.number().openapi({ description: "Their total amount (mixed currencies are summed as is)" }),
    deals: z.array(dealSchema).openapi({ description: "In column order (position); empty unless `deals=true`" }),
  })
  .openapi("SalesBoardColumn");
export const stagesQuery = z.object({
  deals: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .openapi({ description: "Include each stage's deals (the board)" }),
});

export const stageInput = z
  .object({
    name: z.string().trim().min(1).max(60),
    position: z.number().int().min(0).max(1000).optional(),
    probability: z.number().int().min(0).max(100).optional(),
    outcome: outcome.optional(),
  })
  .openapi("SalesStageInput");

export const dealInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    lead_id: z.string().max(64).nullable().optional(),
    company_id: z.string().max(64).nullable().optional(),
    stage_id: z.string().max(64).optional().openapi({ description: "Default: the first stage" }),
    amount_minor: z.number().int().min(0).max(1e13).optional(),
    currency: z.string().length(3).optional(),
    owner_id: z.string().max(64).nullable().optional(),
    source: z.string().max(50).nullable().optional(),
    expected_close_at: z.iso.datetime({ offset: true }).nullable().optional(),
    lost_reason: z.string().max(500).nullable().optional(),
  })
  .openapi("SalesDealInput");
export const dealMoveInput = z
  .object({
    stage_id: z.string().min(1).max(64),
    position: z.number().int().min(0).max(100_000).optional().openapi({ description: "0-based index in the column; default: last" }),
    lost_reason: z.string().max(500).nullable().optional(),
  })
  .openapi("SalesDealMove");
export const dealListQuery = pageQuerySchema.extend({
  stage_id: z.string().max(64).optional(),
  owner_id: z.string().max(64).optional(),
  lead_id: z.string().max(64).optional(),
  company_id: z.string().max(64).optional(),
  outcome: outcome.optional(),
});

const taskKind = z.enum(["todo", "call", "email", "meeting", "sequence_step", "follow_up"]);
export const taskSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    notes: z.string(),
    kind: taskKind,
    lead_id: z.string().nullable(),
    deal_id: z.string().nullable(),
    owner_id: z.string().nullable(),
    due_at: z.string().nullable(),
    done: z.boolean(),
    done_at: z.string().nullable(),
    overdue: z.boolean().openapi({ description: "Open and due before now" }),
    enrollment_id: z.string().nullable(),
    origin: z.string().nullable(),
    created_by: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("SalesTask");
export const taskInput = z
  .object({
    title: z.string().trim().min(1).max(300),
    notes: z.string().max(10_000).optional(),
    kind: taskKind.optional(),
    lead_id: z.string().max(64).nullable().optional(),
    deal_id: z.string().max(64).nullable().optional(),
    owner_id: z.string().max(64).nullable().optional().openapi({ description: "Default: the caller" }),
    due_at: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .openapi("SalesTaskInput");
export const taskPatch = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    notes: z.string().max(10_000).optional(),
    kind: taskKind.optional(),
    owner_id: z.string().max(64).nullable().optional(),
    due_at: z.iso.datetime({ offset: true }).nullable().optional(),
    done: z.boolean().optional(),
  })
  .openapi("SalesTaskPatch");
export const taskListQuery = pageQuerySchema.extend({
  mine: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .openapi({ description: "Only the caller's tasks" }),
  owner_id: z.string().max(64).optional(),
  lead_id: z.string().max(64).optional(),
  deal_id: z.string().max(64).optional(),
  status: z.enum(["open", "done", "all"]).default("open"),
  overdue: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});
