import { z } from "@hono/zod-openapi";
import { conditionSchema } from "./conditions";
import type { NodeType } from "./definition";

/**
 * Each node type's config schema, outputs and palette metadata. `GET /workflows/node-types` serves
 * these with `config_schema` generated from the zod schema, so the builder renders forms from them
 * and hard-codes none.
 */
const retries = z
  .object({
    limit: z.number().int().min(0).max(10).default(2),
    delay_seconds: z.number().int().min(0).max(3600).default(5),
    backoff: z.enum(["constant", "linear", "exponential"]).default("exponential"),
  })
  .openapi({ description: "Retries of this step before its error port (or the run fails)" });
const timeoutSeconds = z.number().int().min(1).max(900).optional().openapi({ description: "Per attempt (default 60 s)" });
const ROLES = ["owner", "admin", "member", "viewer"] as const;

export const RECORD_TYPES = ["lead", "order", "member", "ticket"] as const;

export const nodeConfigSchemas = {
  trigger: z.object({}),
  condition: z.object({ condition: conditionSchema }),
  wait: z.object({
    mode: z.enum(["duration", "until"]).default("duration"),
    amount: z.number().int().min(1).max(100_000).optional().openapi({ description: "With mode duration" }),
    unit: z.enum(["seconds", "minutes", "hours", "days"]).default("minutes"),
    until: z.string().max(500).optional().openapi({ description: "With mode until: an ISO time or an expression giving one" }),
  }),
  send_message: z.object({
    channel: z.enum(["email", "in_app"]).default("email"),
    to: z.string().min(1).max(500).openapi({ description: "Email address or member id (in_app), with {{ expressions }}" }),
    subject: z.string().min(1).max(300),
    body: z.string().min(1).max(20_000),
    retries: retries.optional(),
    timeout_seconds: timeoutSeconds,
  }),
  http_request: z.object({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
    url: z.string().min(1).max(2000).openapi({ description: "https URL, with {{ expressions }}" }),
    headers: z.record(z.string(), z.string().max(2000)).default({}).openapi({ description: "Values may use {{ secrets.NAME }}" }),
    body: z.string().max(50_000).optional(),
    response_mapping: z
      .record(z.string(), z.string().max(200))
      .default({})
      .openapi({ description: "Output name → path in the response (`status`, `body.id`, `headers.etag`)" }),
    retries: retries.optional(),
    timeout_seconds: timeoutSeconds,
  }),
  update_record: z.object({
    record: z.enum(RECORD_TYPES),
    record_id: z
      .string()
      .min(1)
      .max(500)
      .openapi({ description: "With {{ expressions }}, e.g. {{ trigger.data.lead_id }}; a member is its user id" }),
    changes: z.record(z.string(), z.unknown()).openapi({
      description:
        "lead: status, owner_id, add_tags, remove_tags; order: status (fulfilled | cancelled), note; member: role (never the last owner, at most the publisher's role); ticket: status (open | answered | closed), assignee_id",
    }),
    retries: retries.optional(),
    timeout_seconds: timeoutSeconds,
  }),
  ai: z.object({
    prompt: z.string().min(1).max(20_000),
    system: z.string().max(5_000).optional(),
    output_schema: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "JSON Schema (object with properties/required) the answer must match: the output is the parsed object" }),
    max_tokens: z.number().int().min(16).max(4_000).default(600),
    retries: retries.optional(),
    timeout_seconds: timeoutSeconds,
  }),
  loop: z.object({
    items: z.string().min(1).max(500).openapi({ description: "An expression giving an array, e.g. {{ trigger.data.items }}" }),
    max_items: z.number().int().min(1).max(500).default(100),
  }),
  approval: z.object({
    title: z.string().min(1).max(200),
    message: z.string().max(5_000).default(""),
    approver_roles: z.array(z.enum(ROLES)).max(4).default([]),
    approver_user_ids: z.array(z.string().max(64)).max(20).default([]),
    timeout_hours: z
      .number()
      .min(0.01)
      .max(24 * 30)
      .default(72),
    escalate_after_hours: z
      .number()
      .min(0.01)
      .max(24 * 30)
      .optional(),
    escalation_user_ids: z.array(z.string().max(64)).max(20).default([]),
  }),
} satisfies Record<NodeType, z.ZodType>;

export type NodeConfig<T extends NodeType> = z.infer<(typeof nodeConfigSchemas)[T]>;
export type RetryConfig = z.infer<typeof retries>;

interface NodeTypeMeta {
  label: string;
  category: "trigger" | "logic" | "action" | "human";
  description: string;
  outputs: string[];
}
export const NODE_TYPE_META: Record<NodeType, NodeTypeMeta> = {
  trigger: { label: "Trigger", category: "trigger", description: "Where the run starts (the workflow's trigger)", outputs: ["next"] },
  condition: { label: "Condition", category: "logic", description: "Branch on a condition", outputs: ["true", "false"] },
  wait: { label: "Wait", category: "logic", description: "Pause for a duration or until a time", outputs: ["next"] },
  send_message: { label: "Send message", category: "action", description: "Email or in-app message through messaging", outputs: ["next"] },
  http_request: { label: "HTTP request", category: "action", description: "Call an API (secrets from the vault)", outputs: ["next"] },
  update_record: {
    label: "Update record",
    category: "action",
    description: "Change a lead, an order, a member's role or a ticket",
    outputs: ["next"],
  },
  ai: { label: "AI", category: "action", description: "A prompt through the AI gateway, optional structured output", outputs: ["next"] },
  loop: { label: "Loop", category: "logic", description: "Run the `each` branch for every item, then `done`", outputs: ["each", "done"] },
  approval: {
    label: "Approval",
    category: "human",
    description: "Pause until someone approves or rejects (in-app and email)",
    outputs: ["approved", "rejected", "timeout"],
  },
};

/** Ports an edge may leave `type` from: its outputs, plus "error" for nodes that can fail. */
export function portsOf(type: NodeType): string[] {
  const outs = NODE_TYPE_META[type].outputs;
  return type === "trigger" || type === "condition" || type === "loop" || type === "wait" ? outs : [...outs, "error"];
}

export function nodeTypeList() {
  return (Object.keys(NODE_TYPE_META) as NodeType[]).map((type) => ({
    type,
    ...NODE_TYPE_META[type],
    outputs: portsOf(type),
    config_schema: z.toJSONSchema(nodeConfigSchemas[type], { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
  }));
}
