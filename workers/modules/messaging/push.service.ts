import { and, desc, eq } from "drizzle-orm";
import type { JWK } from "jose";
import { messagingSettings, pushSubscriptions } from "../../../schema/messaging";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { iso } from "../../platform/request";
import { messagingConfig } from "./config";
import { b64uDecode, generateVapidKeys, type VapidKeys } from "./providers/webpush";

/** The workspace's VAPID key pair, created on first use; the private key is sealed at rest. */
export async function vapidKeys(db: Db, env: Env, tenantId: string): Promise<VapidKeys> {
  const cfg = messagingConfig(env);
  const row = await db.select().from(messagingSettings).where(eq(messagingSettings.tenantId, tenantId)).get();
  if (row)
    return { publicKey: row.vapidPublicKey, privateJwk: JSON.parse(await decryptSecret(row.vapidPrivateKey, cfg.encryptionKey)) as JWK };
  const keys = await generateVapidKeys();
  const now = Date.now();
  await db
    .insert(messagingSettings)
    .values({
      tenantId,
      vapidPublicKey: keys.publicKey,
      vapidPrivateKey: await encryptSecret(JSON.stringify(keys.privateJwk), cfg.encryptionKey),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  // Two first requests racing: whichever row won is the key pair.
  const won = await db.select().from(messagingSettings).where(eq(messagingSettings.tenantId, tenantId)).get();
  return { publicKey: won!.vapidPublicKey, privateJwk: JSON.parse(await decryptSecret(won!.vapidPrivateKey, cfg.encryptionKey)) as JWK };
}

type SubRow = typeof pushSubscriptions.$inferSelect;
const serialize = (s: SubRow) => ({
  id: s.id,
  endpoint_origin: new URL(s.endpoint).origin,
  user_agent: s.userAgent,
  created_at: iso(s.createdAt)!,
});

export async function saveSubscription(
  db: Db,
  tenantId: string,
  userId: string,
  sub: { endpoint: string; keys: { p256dh: string; auth: string } },
  userAgent: string | null,
) {
  let url: URL;
  try {
    url = new URL(sub.endpoint);
  } catch {
    throw badRequest("`endpoint` must be the push service URL from PushSubscription.toJSON().");
  }
  if (url.protocol !== "https:") throw badRequest("Push endpoints are https URLs.");
  const decode = (v: string) => {
    try {
      return b64uDecode(v);
    } catch {
      return new Uint8Array(0); // not base64url: rejected below (a 400, not a 500)
    }
  };
  const p256dh = decode(sub.keys.p256dh);
  if (p256dh.length !== 65 || p256dh[0] !== 4) throw badRequest("`keys.p256dh` must be the base64url uncompressed P-256 public key.");
  if (decode(sub.keys.auth).length !== 16) throw badRequest("`keys.auth` must be the base64url 16-byte auth secret.");
  const row: SubRow = {
    tenantId,
    id: newId("psub"),
    userId,
    endpoint: sub.endpoint,
    p256dh: sub.keys.p256dh,
    auth: sub.keys.auth,
    userAgent,
    createdAt: Date.now(),
  };
  await db
    .insert(pushSubscriptions)
    .values(row)
    .onConflictDoUpdate({
      target: [pushSubscriptions.tenantId, pushSubscriptions.endpoint],
      set: { userId, p256dh: row.p256dh, auth: row.auth, userAgent },
    });
  const saved = await db
    .select()
    .from(pushSubscriptions)
    .where(tenantScope(db, tenantId).where(pushSubscriptions, eq(pushSubscriptions.endpoint, sub.endpoint)))
    .get();
  return serialize(saved!);
}

export async function deleteSubscription(db: Db, tenantId: string, userId: string, id: string) {
  const res = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.tenantId, tenantId), eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.id, id)))
    .returning({ id: pushSubscriptions.id });
  if (!res.length) throw notFound("Push subscription");
}

export async function listSubscriptions(db: Db, tenantId: string, userId: string) {
  const rows = await db
    .select()
    .from(pushSubscriptions)
    .where(tenantScope(db, tenantId).where(pushSubscriptions, eq(pushSubscriptions.userId, userId)))
    .orderBy(desc(pushSubscriptions.createdAt));
  return rows.map(serialize);
}

export async function subscriptionsOf(db: Db, tenantId: string, userId: string): Promise<SubRow[]> {
  return db
    .select()
    .from(pushSubscriptions)
    .where(tenantScope(db, tenantId).where(pushSubscriptions, eq(pushSubscriptions.userId, userId)));
}

export async function dropSubscription(db: Db, tenantId: string, id: string) {
  await db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.tenantId, tenantId), eq(pushSubscriptions.id, id)));
}
