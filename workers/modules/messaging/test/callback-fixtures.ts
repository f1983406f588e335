import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { outboxMessages } from "../../../../schema/messaging";
import { signPayload } from "../../../platform/standard-webhooks";
import { toBase64 } from "../../../platform/crypto";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { BASE, uniqueEmail, type TestUser } from "../../../../test/helpers";

/** Fixtures for the providers' delivery-callback tests: sent rows to move on, raw posts, and the providers' signers. */
const db = () => getDb(env.DB);

/** A message the provider has accepted (as the consumer leaves it), for callbacks to move on. */
export async function sentRow(
  u: TestUser,
  provider: string,
  providerMessageId: string,
  channel: "email" | "sms" = "email",
  recipient = uniqueEmail("cb"),
) {
  const id = newId("msg");
  const now = Date.now();
  await db().insert(outboxMessages).values({
    id,
    tenantId: u.tenantId,
    channel,
    recipient,
    template: "messaging.test",
    data: {},
    category: "transactional",
    status: "sent",
    provider,
    providerMessageId,
    attempts: 1,
    sentAt: now,
    createdAt: now,
    updatedAt: now,
  });
  return { id, recipient };
}
export const statusOf = async (id: string) => (await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get())!;

/** Posts a raw body with headers (call() JSON-encodes bodies, callbacks need the exact bytes). */
export async function post(path: string, body: string, headers: Record<string, string>) {
  const res = await exports.default.fetch(BASE + path, { method: "POST", headers: { "CF-Connecting-IP": "10.200.0.1", ...headers }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
export const pathOf = (url: string) => new URL(url).pathname;

export async function svix(secret: string, event: unknown, opts: { id?: string; ts?: number } = {}) {
  const body = JSON.stringify(event);
  const id = opts.id ?? `msg_${crypto.randomUUID()}`;
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      "Content-Type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(ts),
      "svix-signature": await signPayload(secret, id, ts, body),
    },
  };
}

// ---- SendGrid: ECDSA P-256 over timestamp + body, DER signature, SPKI public key ---------------

/** Raw r‖s (WebCrypto) → ASN.1 DER, the form SendGrid sends. */
function rawToDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.slice(i);
    if (v[0]! & 0x80) v = Uint8Array.from([0, ...v]);
    return Uint8Array.from([0x02, v.length, ...v]);
  };
  const r = int(raw.slice(0, 32));
  const s = int(raw.slice(32));
  return Uint8Array.from([0x30, r.length + s.length, ...r, ...s]);
}

export async function sendgridKeys() {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  return {
    publicKey: toBase64(spki),
    sign: async (timestamp: string, body: string) =>
      toBase64(
        rawToDer(
          new Uint8Array(
            await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, new TextEncoder().encode(timestamp + body)),
          ),
        ),
      ),
  };
}
