import { fromBase64, timingSafeEqual, toBase64 } from "../../platform/crypto";
import { getConfig, type Env } from "../../platform/env";

/**
 * The digest's opt-out link: `<base64url(tenant id \n user id)>.<base64url HMAC-SHA256>` under a key
 * of its own purpose (derived from the platform's signing secret). No expiry: an old digest's link
 * still works. It can only ever turn one member's digest off.
 */
const b64u = (s: string) => s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64u = (s: string) => s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);

async function mac(env: Env, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`insights-digest-optout:${getConfig(env).JWT_SECRET}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return b64u(toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload)))));
}

export async function optOutToken(env: Env, tenantId: string, userId: string): Promise<string> {
  const payload = b64u(toBase64(new TextEncoder().encode(`${tenantId}\n${userId}`)));
  return `${payload}.${await mac(env, payload)}`;
}

export async function verifyOptOutToken(env: Env, token: string): Promise<{ tenantId: string; userId: string } | null> {
  if (token.length > 500) return null;
  const [payload, sig, extra] = token.split(".");
  if (!payload || !sig || extra !== undefined) return null;
  if (!timingSafeEqual(sig, await mac(env, payload))) return null;
  try {
    const [tenantId, userId, rest] = new TextDecoder().decode(fromBase64(unb64u(payload))).split("\n");
    return tenantId && userId && rest === undefined ? { tenantId, userId } : null;
  } catch {
    return null;
  }
}
