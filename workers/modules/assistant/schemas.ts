import { z } from "@hono/zod-openapi";
import { ACTION_STATUSES, ASSISTANT_LOCALES, TOOL_KINDS } from "../../../schema/assistant";
import { pageQuerySchema } from "../../platform/pagination";

// The assistant's API contract (docs/automation.md, "Assistant"): the SPA is built against these shapes.
export const localeSchema = z.enum(ASSISTANT_LOCALES);

export const conversationInput = z
  .object({ title: z.string().trim().min(1).max(200).optional(), locale: localeSchema.optional() })
  .openapi("AssistantConversationInput");
export const conversationRename = z
  .object({ title: z.string().trim().min(1).max(200) })
  .strict()
  .openapi("AssistantConversationRename");
export const conversationListQuery = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional().openapi({ description: "Part of the title" }),
});
export const messageInput = z
  .object({ content: z.string().trim().min(1).max(4000), locale: localeSchema.optional() })
  .openapi("AssistantMessageInput");
export const confirmInput = z
  .object({ typed: z.string().max(500).optional().openapi({ description: "A destructive action's confirm_phrase, typed" }) })
  .openapi("AssistantConfirmInput");

export const citationSchema = z.object({ type: z.string(), id: z.string(), label: z.string(), href: z.string() });
export const toolCallSchema = z.object({
  id: z.string(),
  tool: z.string(),
  method: z.string(),
  path: z.string(),
  kind: z.enum(TOOL_KINDS),
  args: z.record(z.string(), z.unknown()),
  status: z.enum(["ok", "error", "refused"]),
  http_status: z.number().int().nullable(),
  summary: z.string(),
});
export const actionSchema = z
  .object({
    id: z.string(),
    conversation_id: z.string(),
    message_id: z.string(),
    tool: z.string(),
    method: z.string(),
    path: z.string(),
    kind: z.enum(["write", "destructive"]),
    args: z.record(z.string(), z.unknown()),
    summary: z.string(),
    confirm_phrase: z.string().nullable(),
    status: z.enum(ACTION_STATUSES),
    http_status: z.number().int().nullable(),
    result: z.unknown(),
    expires_at: z.string(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("AssistantAction");
export const messageSchema = z
  .object({
    id: z.string(),
    role: z.enum(["user", "assistant"]),
    content: z.string(),
    locale: localeSchema,
    provider: z.string().nullable(),
    model: z.string().nullable(),
    local: z.boolean(),
    created_at: z.string(),
    tool_calls: z.array(toolCallSchema),
    citations: z.array(citationSchema),
    actions: z.array(actionSchema),
  })
  .openapi("AssistantMessage");
export const conversationSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    locale: localeSchema,
    created_by: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    message_count: z.number().int(),
  })
  .openapi("AssistantConversation");
export const conversationDetailSchema = conversationSchema
  .extend({ messages: z.array(messageSchema) })
  .openapi("AssistantConversationDetail");
export const confirmResultSchema = z
  .object({ status: z.enum(["done", "failed"]), result: z.unknown(), summary: z.string(), http_status: z.number().int() })
  .openapi("AssistantConfirmResult");
export const toolSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    kind: z.enum(TOOL_KINDS),
    method: z.string(),
    path: z.string(),
    permission: z.string().nullable(),
  })
  .openapi("AssistantTool");
