import { z } from "@hono/zod-openapi";
import { conditionSchema } from "./conditions";

/**
 * The versioned workflow definition (the contract in docs/automation.md): a trigger, nodes and edges.
 * Node configs are validated per type by `node-types.ts`; the graph and expressions by `validate.ts`.
 */
export const NODE_TYPES = [
  "trigger",
  "condition",
  "wait",
  "send_message",
  "http_request",
  "update_record",
  "ai",
  "loop",
  "approval",
] as const;
export type NodeType = (typeof NODE_TYPES)[number];
export const NODE_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export const triggerSchema = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("event"),
      event: z.string().min(1).max(100).openapi({ description: "An event type from GET /workflows/events" }),
      filter: conditionSchema.optional().openapi({ description: "Start only when this condition holds on `trigger`" }),
    }),
    z.object({
      type: z.literal("schedule"),
      cron: z.string().min(1).max(100).openapi({ description: "Five-field cron expression, e.g. `0 9 * * 1`", example: "0 9 * * 1" }),
      timezone: z.string().max(64).optional().openapi({ description: "IANA zone the cron is read in (default UTC)" }),
    }),
    z.object({ type: z.literal("webhook") }),
    z.object({ type: z.literal("manual") }),
  ])
  .openapi("WorkflowTrigger");
export type WorkflowTrigger = z.infer<typeof triggerSchema>;

export const nodeSchema = z
  .object({
    id: z.string().regex(NODE_ID_PATTERN, "a letter, then letters, digits, - or _ (at most 64)"),
    type: z.enum(NODE_TYPES),
    name: z.string().trim().min(1).max(120),
    position: z.object({ x: z.number().finite(), y: z.number().finite() }),
    config: z.record(z.string(), z.unknown()).default({}).openapi({ description: "Validated by the node type's config_schema" }),
  })
  .openapi("WorkflowNode");
export type WorkflowNode = z.infer<typeof nodeSchema>;

export const edgeSchema = z
  .object({
    id: z.string().min(1).max(64),
    from: z.string().min(1).max(64),
    to: z.string().min(1).max(64),
    port: z.string().max(32).optional().openapi({ description: 'Which output of `from` ("next" by default)' }),
  })
  .openapi("WorkflowEdge");
export type WorkflowEdge = z.infer<typeof edgeSchema>;

export const definitionSchema = z
  .object({
    trigger: triggerSchema,
    nodes: z.array(nodeSchema).max(100),
    edges: z.array(edgeSchema).max(300),
  })
  .openapi("WorkflowDefinition");
export type WorkflowDefinition = z.infer<typeof definitionSchema>;

/** A new workflow's draft: a manual trigger node and nothing else. */
export const emptyDefinition = (): WorkflowDefinition => ({
  trigger: { type: "manual" },
  nodes: [{ id: "trigger", type: "trigger", name: "Start", position: { x: 0, y: 0 }, config: {} }],
  edges: [],
});
