import type { Context } from "hono";
import type { Role } from "../../../schema/tenancy";
import type { AppEnv } from "../../platform/context";

/**
 * The highest role the caller may grant or touch. Users: their own role. API keys carry scopes,
 * not a role; they act at admin level so a leaked key can never mint or remove owners.
 */
export function callerRole(c: Context<AppEnv>): Role {
  return c.get("tenant").role ?? "admin";
}
