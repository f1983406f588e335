import { importJWK, SignJWT, type JWK } from "jose";
import { call, ProviderError, type SendResult } from "./http";

/**
 * Web Push with message encryption (RFC 8291, "aes128gcm" content coding of RFC 8188) and VAPID
 * (RFC 8292), on WebCrypto only.
 */
const enc = new TextEncoder();

export function b64uEncode(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
export function b64uDecode(value: string): Uint8Array {
  const b64 = value.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
};

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8));
}

export interface SenderKeys {
  privateKey: CryptoKey;
  publicRaw: Uint8Array;
}

/** A fresh ephemeral ECDH key pair per message (RFC 8291 §3.1). */
export async function ephemeralKeys(): Promise<SenderKeys> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicRaw: new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer) };
}

/** Imports a known P-256 private key (d) + its public point (tests reproduce RFC 8291 Appendix A with it). */
export async function importSenderKeys(dB64u: string, publicB64u: string): Promise<SenderKeys> {
  const pub = b64uDecode(publicB64u);
  const jwk = { kty: "EC", crv: "P-256", d: dB64u, x: b64uEncode(pub.slice(1, 33)), y: b64uEncode(pub.slice(33, 65)), ext: true };
  const privateKey = await crypto.subtle.importKey("jwk", jwk, { name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
  return { privateKey, publicRaw: pub };
}

export const RECORD_SIZE = 4096;

/**
 * Encrypts one push message body: header (salt ‖ rs ‖ idlen ‖ keyid = sender public key) followed
 * by a single aes128gcm record (plaintext ‖ 0x02 delimiter).
 */
export async function encryptPushPayload(
  plaintext: Uint8Array,
  subscription: { p256dh: string; auth: string },
  opts: { salt?: Uint8Array; sender?: SenderKeys } = {},
): Promise<Uint8Array> {
  const uaPublic = b64uDecode(subscription.p256dh);
  const authSecret = b64uDecode(subscription.auth);
  if (uaPublic.length !== 65 || uaPublic[0] !== 4)
    throw new ProviderError("rejected", "webpush: p256dh is not an uncompressed P-256 point");
  if (authSecret.length !== 16) throw new ProviderError("rejected", "webpush: auth secret must be 16 bytes");
  if (plaintext.length > RECORD_SIZE - 17 - 86) throw new ProviderError("rejected", "webpush: payload too large for one record");
  const salt = opts.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const sender = opts.sender ?? (await ephemeralKeys());

  const uaKey = await crypto.subtle.importKey("raw", uaPublic, { name: "ECDH", namedCurve: "P-256" }, false, []);
  const ecdhSecret = new Uint8Array(
    await crypto.subtle.deriveBits({ name: "ECDH", public: uaKey } as unknown as SubtleCryptoDeriveKeyAlgorithm, sender.privateKey, 256),
  );
  // RFC 8291 §3.3: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" ‖ 0 ‖ ua_public ‖ as_public, 32)
  const ikm = await hkdf(authSecret, ecdhSecret, concat(enc.encode("WebPush: info\0"), uaPublic, sender.publicRaw), 32);
  // RFC 8188 §2.2/2.3: CEK and NONCE from the salt.
  const cek = await hkdf(salt, ikm, enc.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, enc.encode("Content-Encoding: nonce\0"), 12);
  const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const record = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, key, concat(plaintext, new Uint8Array([2]))));

  const header = new Uint8Array(16 + 4 + 1 + sender.publicRaw.length);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, RECORD_SIZE);
  header[20] = sender.publicRaw.length;
  header.set(sender.publicRaw, 21);
  return concat(header, record);
}

export interface VapidKeys {
  publicKey: string;
  privateJwk: JWK;
} // publicKey: base64url uncompressed point

export async function generateVapidKeys(): Promise<VapidKeys> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicRaw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const privateJwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JWK;
  return { publicKey: b64uEncode(publicRaw), privateJwk };
}

/** RFC 8292: `Authorization: vapid t=<ES256 JWT for the push service origin>, k=<public key>`. */
export async function vapidAuthorization(
  endpoint: string,
  keys: VapidKeys,
  subject: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  const key = await importJWK({ ...keys.privateJwk, alg: "ES256" }, "ES256");
  const jwt = await new SignJWT({ sub: subject })
    .setProtectedHeader({ typ: "JWT", alg: "ES256" })
    .setAudience(new URL(endpoint).origin)
    .setExpirationTime(nowSeconds + 12 * 3600)
    .sign(key);
  return `vapid t=${jwt}, k=${keys.publicKey}`;
}

export interface PushSubscriptionKeys {
  endpoint: string;
  p256dh: string;
  auth: string;
}
export interface PushMessage {
  title: string;
  body: string;
  url?: string | null;
  tag?: string;
  ttlSeconds?: number;
  urgency?: "very-low" | "low" | "normal" | "high";
}

/** Sends one push message to one subscription. 404/410 mean the subscription is gone. */
export async function sendWebPush(sub: PushSubscriptionKeys, msg: PushMessage, keys: VapidKeys, subject: string): Promise<SendResult> {
  const payload = enc.encode(JSON.stringify({ title: msg.title, body: msg.body, url: msg.url ?? null, tag: msg.tag ?? null }));
  const body = await encryptPushPayload(payload, sub);
  const req = new Request(sub.endpoint, {
    method: "POST",
    headers: {
      Authorization: await vapidAuthorization(sub.endpoint, keys, subject),
      "Content-Encoding": "aes128gcm",
      "Content-Type": "application/octet-stream",
      TTL: String(msg.ttlSeconds ?? 86_400),
      Urgency: msg.urgency ?? "normal",
      ...(msg.tag ? { Topic: msg.tag.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 32) } : {}),
    },
    body,
  });
  try {
    const { res, text } = await call("webpush", req);
    return { providerMessageId: res.headers.get("Location") ?? "", status: res.status, response: text };
  } catch (e) {
    if (e instanceof ProviderError && (e.status === 404 || e.status === 410))
      throw new ProviderError("rejected", "webpush: subscription expired", e.status, e.response);
    throw e;
  }
}
