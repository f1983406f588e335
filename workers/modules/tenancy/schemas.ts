import { z } from "@hono/zod-openapi";
import { ROLES } from "../../../schema/tenancy";
import { SLUG_PATTERN } from "./tenants.service";

export const roleSchema = z.enum(ROLES).openapi({ description: "owner > admin > member > viewer" });
export const slugSchema = z
  .string()
  .regex(SLUG_PATTERN, "Use 3–40 lower-case letters, digits or hyphens, starting and ending with a letter or digit")
  .openapi({ example: "acme-inc" });
export const nameSchema = z.string().trim().min(1, "Enter a name").max(100, "Use at most 100 characters");

export const workspaceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    role: roleSchema.nullable().openapi({ description: "Your role; null when calling with an API key" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Workspace");

export const memberSchema = z
  .object({ user_id: z.string(), email: z.string(), name: z.string(), role: roleSchema, joined_at: z.string() })
  .openapi("Member");

/** Documents an extra problem+json response (409, 410…) of a route. */
