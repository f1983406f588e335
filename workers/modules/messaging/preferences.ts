import { and, eq, inArray } from "drizzle-orm";
import { messagePreferences } from "../../../schema/messaging";
import { fromBase64, timingSafeEqual, toBase64 } from "../../platform/crypto";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { iso } from "../../platform/request";
import { canOptOut } from "./categories";

/** Whether the recipient opted out of this category on this channel (or on every channel). */
export async function isOptedOut(db: Db, tenantId: string | null, recipient: string, category: string, channel: string): Promise<boolean> {
  const q = optOutQuery(db, tenantId, recipient, category, channel);
  return q ? (await q).some((r) => r.optedOut) : false;
}

/** The preference rows that decide isOptedOut() (null when the category cannot be opted out of), so it can join a batch. */
export function optOutQuery(db: Db, tenantId: string | null, recipient: string, category: string, channel: string) {
  if (!tenantId || !canOptOut(category)) return null;
  return db
    .select({ optedOut: messagePreferences.optedOut })
    .from(messagePreferences)
    .where(
      tenantScope(db, tenantId).where(
        messagePreferences,
        eq(messagePreferences.recipient, recipient.toLowerCase()),
        inArray(messagePreferences.category, [category, "*"]),
        inArray(messagePreferences.channel, [channel, "*"]),
      ),
    );
}

export async function setPreference(
  db: Db,
  tenantId: string,
  p: { recipient: string; category: string; channel: string; optedOut: boolean; source: string },
) {
  if (p.optedOut && !canOptOut(p.category))
    throw badRequest(`Recipients cannot opt out of ${p.category} messages; they are needed to use the service.`);
  const row = {
    tenantId,
    recipient: p.recipient.trim().toLowerCase(),
    category: p.category,
    channel: p.channel,
    optedOut: p.optedOut,
    source: p.source,
    updatedAt: Date.now(),
  };
  await db
    .insert(messagePreferences)
    .values(row)
    .onConflictDoUpdate({
      target: [messagePreferences.tenantId, messagePreferences.recipient, messagePreferences.category, messagePreferences.channel],
      set: { optedOut: row.optedOut, source: row.source, updatedAt: row.updatedAt },
    });
  return serializePreference(row);
}

type PrefRow = typeof messagePreferences.$inferSelect;
export const serializePreference = (r: PrefRow) => ({
  recipient: r.recipient,
  category: r.category,
  channel: r.channel,
  opted_out: r.optedOut,
  source: r.source,
  updated_at: iso(r.updatedAt)!,
});

export async function listPreferences(db: Db, tenantId: string, recipient: string) {
  const rows = await db
    .select()
    .from(messagePreferences)
    .where(and(tenantScope(db, tenantId).where(messagePreferences), eq(messagePreferences.recipient, recipient.trim().toLowerCase())));
  return { data: rows.map(serializePreference) };
}

// ---- Signed unsubscribe links (RFC 8058 one-click) -------------------------------------------

export interface UnsubscribeClaims {
  t: string;
  r: string;
  c: string;
  l?: string;
} // tenant, recipient, category, list

const b64u = (s: string) => s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64u = (s: string) => s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);

/** `purpose` separates link kinds: an unsubscribe token is not a preference-centre token and vice versa. */
async function mac(signingKey: string, payload: string, purpose: "unsubscribe" | "preferences" = "unsubscribe"): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`${purpose}:${signingKey}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return b64u(toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload)))));
}

/** A token that needs no database row: HMAC over the claims. It does not expire (RFC 8058 links must keep working). */
export async function unsubscribeToken(signingKey: string, claims: UnsubscribeClaims): Promise<string> {
  const payload = b64u(toBase64(new TextEncoder().encode(JSON.stringify(claims))));
  return `${payload}.${await mac(signingKey, payload)}`;
}

export async function verifyUnsubscribeToken(signingKey: string, token: string): Promise<UnsubscribeClaims | null> {
  const [payload, sig] = token.split(".");
  if (!payload || !sig || token.length > 2000) return null;
  if (!timingSafeEqual(sig, await mac(signingKey, payload))) return null;
  try {
    const claims = JSON.parse(new TextDecoder().decode(fromBase64(unb64u(payload)))) as UnsubscribeClaims;
    return typeof claims.t === "string" && typeof claims.r === "string" && typeof claims.c === "string" ? claims : null;
  } catch {
    return null;
  }
}

// ---- Signed preference-centre links (in every workspace email) -------------------------------

export interface PreferenceClaims {
  t: string;
  r: string;
} // tenant, recipient email

/** Same scheme as the unsubscribe token (HMAC over base64url claims, no expiry), its own purpose key. */
export async function preferencesToken(signingKey: string, claims: PreferenceClaims): Promise<string> {
  const payload = b64u(toBase64(new TextEncoder().encode(JSON.stringify({ t: claims.t, r: claims.r }))));
  return `${payload}.${await mac(signingKey, payload, "preferences")}`;
}

export async function verifyPreferencesToken(signingKey: string, token: string): Promise<PreferenceClaims | null> {
  const [payload, sig, extra] = token.split(".");
  if (!payload || !sig || extra !== undefined || token.length > 2000) return null;
  if (!timingSafeEqual(sig, await mac(signingKey, payload, "preferences"))) return null;
  try {
    const claims = JSON.parse(new TextDecoder().decode(fromBase64(unb64u(payload)))) as PreferenceClaims;
    return typeof claims.t === "string" && typeof claims.r === "string" ? { t: claims.t, r: claims.r } : null;
  } catch {
    return null;
  }
}
