import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import { Problem, tooManyRequests } from "../../platform/errors";
import { clientIp } from "../../platform/request";
import { resolvePublishableKey } from "../../platform/publishable-keys";
import { chatEnv } from "./env";
import { getSettings, type ChatSettingsRow } from "./settings.service";

export const originRefused = (detail: string) => new Problem(403, "chat-origin-refused", "Origin not allowed", detail);

/**
 * The site origin a public chat request acts for. A browser always sends `Origin` on these
 * requests (CORS, WebSocket); a missing one is refused. When the request comes from Weft's own
 * widget iframe (Origin = this Worker's origin), the embedding site's origin travels in
 * `X-Weft-Embed-Origin` / `embed_origin` — the iframe is only rendered inside that origin because
 * its page carries `frame-ancestors <origin>`.
 */
export function siteOrigin(c: Context<AppEnv>): string | null {
  const origin = c.req.header("Origin");
  const self = new URL(c.req.url).origin;
  const app = c.env.APP_URL?.replace(/\/$/, "");
  // Browsers omit Origin on same-origin GETs; `Sec-Fetch-Site` (which page scripts cannot set) says
  // such a request comes from a page on Weft's own origin, i.e. the widget iframe.
  const fromWeft = origin ? origin === self || origin === app : c.req.header("Sec-Fetch-Site") === "same-origin";
  if (fromWeft) return c.req.header("X-Weft-Embed-Origin") ?? c.req.query("embed_origin") ?? null;
  if (!origin || origin === "null") return null;
  return origin;
}

export interface PublicChat {
  db: Db;
  tenantId: string;
  keyId: string;
  origin: string;
  settings: ChatSettingsRow;
  ip: string;
}

/** Publishable key + origin allow-list + per-IP limit, on every public chat request and upgrade. */
export async function publicChat(c: Context<AppEnv>): Promise<PublicChat> {
  const ip = clientIp(c);
  const { success } = await chatEnv(c.env).RL_CHAT_IP.limit({ key: `ip:${ip}` });
  if (!success) throw tooManyRequests(10);
  const key = c.req.header("X-Weft-Key") ?? c.req.query("key");
  if (!key) throw originRefused("Pass the workspace's publishable key (`X-Weft-Key` header or `key` parameter).");
  const origin = siteOrigin(c);
  if (!origin) throw originRefused("The request has no Origin; chat requests are accepted only from a browser on an allowed site.");
  const db = getDb(c.env.DB);
  const pk = await resolvePublishableKey(db, key, origin);
  if (!pk) throw originRefused(`This publishable key is unknown, revoked, or not allowed on ${origin}.`);
  return { db, tenantId: pk.tenantId, keyId: pk.keyId, origin, settings: await getSettings(db, pk.tenantId), ip };
}

export function visitorToken(c: Context<AppEnv>): string | null {
  const h = c.req.header("Authorization");
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1] ?? c.req.query("token") ?? null;
}
