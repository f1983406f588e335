import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { unauthorized } from "../../platform/errors";
import { resolvePublishableKey } from "../../platform/publishable-keys";
import { problemDoc } from "../../platform/router";

/** The workspace of the presented publishable key (X-Publishable-Key or ?key=), used from one of its allowed origins. */
export async function shopOf(c: Context<AppEnv>): Promise<string> {
  const key = c.req.header("X-Publishable-Key") ?? c.req.query("key") ?? "";
  const resolved = await resolvePublishableKey(getDb(c.env.DB), key, c.req.header("Origin") ?? null);
  if (!resolved) throw unauthorized("A valid publishable key, used from one of its allowed origins, is required.");
  return resolved.tenantId;
}

export const unauthorizedDoc = { 401: problemDoc("Missing or unknown publishable key, or an Origin it does not allow") };
