/** Schemas both chat APIs (agent inbox and public widget) share, so one message shape is documented once. */
import { z } from "@hono/zod-openapi";
import { SYSTEM_CODES } from "./system-messages";

export const CHAT_LOCALES = ["auto", "en", "es", "de", "fr"] as const;

export const convParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "conv_01jd0000000000000000000000" }),
});
export const citationSchema = z.object({
  title: z.string(),
  url: z.string().nullable().optional(),
  snippet: z.string().nullable().optional(),
});
export const prechatSchema = z.object({
  enabled: z.boolean(),
  name: z.enum(["off", "optional", "required"]),
  email: z.enum(["off", "optional", "required"]),
});
export const messageSchema = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    role: z.enum(["visitor", "agent", "ai", "system"]),
    author_id: z.string().nullable(),
    author_name: z.string().nullable(),
    body: z.string(),
    citations: z.array(citationSchema).nullable(),
    system: z
      .object({ code: z.enum(SYSTEM_CODES), name: z.string().nullable() })
      .nullable()
      .openapi({
        description: "For `system` lines: a code for what happened and the agent's name, so clients can translate the English `body`",
      }),
    created_at: z.string(),
  })
  .openapi("ChatMessage");
