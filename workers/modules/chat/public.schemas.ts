// The public chat API's shared OpenAPI pieces: its tag, the publishable-key header, the widget config, visitor and conversation schemas.
import { z } from "@hono/zod-openapi";
import { prechatSchema } from "./schemas";
import { serializeConversation } from "./conversations.service";

export const TAG = ["Chat (public)"];
export const keyHeader = z.object({
  "X-Weft-Key": z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: "X-Weft-Key", in: "header" }, description: "Publishable key (or `key` query parameter)" }),
});

export const configSchema = z
  .object({
    tenant: z.object({ id: z.string(), name: z.string() }),
    title: z.string(),
    logo_url: z.string().nullable(),
    color: z.string(),
    position: z.enum(["right", "left"]),
    theme: z.enum(["auto", "light", "dark"]),
    locale: z.string(),
    greeting: z.string(),
    prechat: prechatSchema,
    ai_enabled: z.boolean(),
    ai_engine: z.string().openapi({ description: "`local` = the embedded extractive answerer (no LLM configured)" }),
    identity_required: z.boolean(),
    agents_online: z.number().int(),
    max_message_chars: z.number().int(),
  })
  .openapi("ChatWidgetConfig");

export const visitorSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  user_id: z.string().nullable(),
  verified: z.boolean(),
});
export const publicConversationSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    last_message: z.string().nullable(),
    last_message_at: z.string(),
    message_count: z.number().int(),
    csat_rating: z.number().int().nullable(),
    created_at: z.string(),
  })
  .openapi("ChatVisitorConversation");
export const publicView = (r: Parameters<typeof serializeConversation>[0]) => {
  const s = serializeConversation(r);
  return {
    id: s.id,
    status: s.status,
    last_message: s.last_message,
    last_message_at: s.last_message_at,
    message_count: s.message_count,
    csat_rating: s.csat_rating,
    created_at: s.created_at,
  };
};
