import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { resolvePublishableKey } from "../../platform/publishable-keys";
import { enforceRateLimit } from "../../platform/ratelimit";
import { clientIp } from "../../platform/request";

export const originRefused = (detail: string) => new Problem(403, "surveys-origin-refused", "Origin not allowed", detail);

/** The key travels in the query (`key=`), so a CORS preflight — which carries no header values — can be checked too. */
export const keyOf = (c: Context<AppEnv>) => c.req.query("key") ?? c.req.header("X-Weft-Key") ?? "";

// One lookup per request, shared by the CORS middleware and the handler.
const resolved = new WeakMap<Request, Promise<{ tenantId: string; keyId: string } | null>>();
export function resolveSite(c: Context<AppEnv>) {
  let p = resolved.get(c.req.raw);
  if (!p) {
    p = resolvePublishableKey(getDb(c.env.DB), keyOf(c), c.req.header("Origin") ?? null);
    resolved.set(c.req.raw, p);
  }
  return p;
}

export interface PublicSurveys {
  db: Db;
  tenantId: string;
  origin: string;
}

/** Per-IP limit on every public survey request, before any D1 read (the CORS check resolves the key). */
export async function limitSurveysByIp(c: Context<AppEnv>, next: () => Promise<void>) {
  await enforceRateLimit(c, "RL_IP", `surveys:${clientIp(c)}`);
  await next();
}

/** Publishable key + Origin on the key's allow-list: every public survey request (after limitSurveysByIp). */
export async function publicSurveys(c: Context<AppEnv>): Promise<PublicSurveys> {
  const origin = c.req.header("Origin");
  if (!keyOf(c)) throw originRefused("Pass the workspace's publishable key as the `key` parameter.");
  if (!origin || origin === "null")
    throw originRefused("The request has no Origin; survey requests are accepted only from a browser on an allowed site.");
  const pk = await resolveSite(c);
  if (!pk) throw originRefused(`This publishable key is unknown, revoked, or not allowed on ${origin}.`);
  return { db: getDb(c.env.DB), tenantId: pk.tenantId, origin };
}
