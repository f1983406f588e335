/** The agent inbox API's request/response schemas (also the OpenAPI components). */
import { z } from "@hono/zod-openapi";

export const TAG = ["Chat inbox"];
export const convParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, example: "conv_01jd0000000000000000000000" }) });
export const citationSchema = z.object({ title: z.string(), url: z.string().nullable().optional(), snippet: z.string().nullable().optional() });
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
      .object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable(), user_id: z.string().nullable(), verified: z.boolean(), first_seen_at: z.string(), last_seen_at: z.string(), conversations: z.number().int() })
      .nullable(),
  })
  .openapi("ChatConversationDetail");
export const messageSchema = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    role: z.enum(["visitor", "agent", "ai", "system"]),
    author_id: z.string().nullable(),
    author_name: z.string().nullable(),
    body: z.string(),
    citations: z.array(citationSchema).nullable(),
    created_at: z.string(),
  })
  .openapi("ChatTranscriptMessage");
export const stateSchema = z.object({ id: z.string(), status: z.string(), assignee_id: z.string().nullable(), assignee_name: z.string().nullable(), csat_rating: z.number().int().nullable(), last_seq: z.number().int() });
export const prechatSchema = z.object({ enabled: z.boolean(), name: z.enum(["off", "optional", "required"]), email: z.enum(["off", "optional", "required"]) });
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
export const cannedSchema = z.object({ id: z.string(), shortcut: z.string(), body: z.string(), created_by: z.string(), created_at: z.string() }).openapi("ChatCannedResponse");

export const CHAT_LOCALES = ["auto", "en", "es", "de", "fr"] as const;
