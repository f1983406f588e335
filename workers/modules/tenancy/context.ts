import type { Context } from "hono";
import type { Role } from "../../../schema/tenancy";
import type { AppEnv } from "../../platform/context";

/** The current workspace id (set by the tenant access middleware). */
export function tenantIdOf(c: Context<AppEnv>): string {
  return c.get("tenant").id;
}

/**
 * The highest role the caller may grant or touch. Users: their own role. API keys carry scopes,
 * not a role; they act at admin level so a leaked key can never mint or remove owners.
 */
export function callerRole(c: Context<AppEnv>): Role {
  return c.get("tenant").role ?? "admin";
}
