/** The agent inbox API's request/response schemas (also the OpenAPI components). */
import { z } from "@hono/zod-openapi";
import { prechatSchema } from "./schemas";

export const TAG = ["Chat inbox"];
export const conversationSchema = z
  .object({
    id: z.string(),
    status: z.enum(["open", "waiting", "assigned", "closed"]),
    assignee_id: z.string().nullable(),
    visitor_id: z.string(),
    visitor_name: z.string().nullable(),
    visitor_email: z.string().nullable(),
    user_id: z.string().nullable(),
    page_url: z.string().nullable(),
    prechat: z.record(z.string(), z.string()).nullable(),
    last_message: z.string().nullable(),
    last_message_at: z.string(),
    message_count: z.number().int(),
    unread: z.number().int(),
    csat_rating: z.number().int().nullable(),
    csat_comment: z.string().nullable(),
    closed_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ChatConversation");
export const conversationDetailSchema = conversationSchema
  .extend({
    visitor: z
      .object({
        id: z.string(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        user_id: z.string().nullable(),
        verified: z.boolean(),
        first_seen_at: z.string(),
        last_seen_at: z.string(),
        conversations: z.number().int(),
      })
      .nullable(),
  })
  .openapi("ChatConversationDetail");
export const stateSchema = z.object({
  id: z.string(),
  status: z.string(),
  assignee_id: z.string().nullable(),
  assignee_name: z.string().nullable(),
  csat_rating: z.number().int().nullable(),
  last_seq: z.number().int(),
});
export const settingsSchema = z
  .object({
    color: z.string(),
    position: z.enum(["right", "left"]),
    theme: z.enum(["auto", "light", "dark"]),
    locale: z.string(),
    title: z.string().nullable(),
    logo_url: z.string().nullable(),
    greeting: z.string(),
    prechat: prechatSchema,
    ai_enabled: z.boolean(),
    notify_email: z.string().nullable(),
    identity_required: z.boolean(),
    has_identity_secret: z.boolean(),
    updated_at: z.string().nullable(),
  })
  .openapi("ChatSettings");
export const cannedSchema = z
  .object({ id: z.string(), shortcut: z.string(), body: z.string(), created_by: z.string(), created_at: z.string() })
  .openapi("ChatCannedResponse");
