import { fromBase64, timingSafeEqual, toBase64 } from "../../../platform/crypto";
import { verifySignature } from "../../../platform/standard-webhooks";

/**
 * Signature checks of providers' delivery callbacks, each exactly as the provider documents it.
 * All of them run on the raw body before anything is parsed.
 */

/** Resend signs with Svix = Standard Webhooks (`svix-id`, `svix-timestamp`, `svix-signature`, `whsec_` secret). */
export function verifyResend(
  secret: string,
  h: { id: string | undefined; timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds?: number,
): Promise<boolean> {
  if (!h.id || !h.timestamp || !h.signature) return Promise.resolve(false);
  return verifySignature(secret, { "webhook-id": h.id, "webhook-timestamp": h.timestamp, "webhook-signature": h.signature }, body, {
    nowSeconds,
    toleranceSeconds: 300,
  });
}

/** ECDSA signature in ASN.1 DER (SEQUENCE of two INTEGERs) → the raw r‖s form WebCrypto verifies. */
export function derToRawSignature(der: Uint8Array, size = 32): Uint8Array | null {
  let i = 0;
  const readLen = () => {
    let len = der[i++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | der[i++]!;
    }
    return len;
  };
  if (der[i++] !== 0x30) return null;
  readLen();
  const out = new Uint8Array(size * 2);
  for (const part of [0, 1]) {
    if (der[i++] !== 0x02) return null;
    const len = readLen();
    let int = der.slice(i, i + len);
    i += len;
    while (int.length > size && int[0] === 0) int = int.slice(1);
    if (int.length > size) return null;
    out.set(int, part * size + (size - int.length));
  }
  return out;
}

/**
 * SendGrid Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is a base64 DER ECDSA P-256
 * SHA-256 signature over `timestamp + body`, verified with the public key (base64 SPKI) shown
 * in SendGrid's Mail Settings.
 */
export async function verifySendGrid(
  publicKeyBase64: string,
  signature: string | undefined,
  timestamp: string | undefined,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > 600) return false;
  try {
    const key = await crypto.subtle.importKey(
      "spki",
      fromBase64(publicKeyBase64.replace(/-----[^-]+-----|\s/g, "")),
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    const raw = derToRawSignature(fromBase64(signature));
    if (!raw) return false;
    return await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, raw, new TextEncoder().encode(timestamp + body));
  } catch {
    return false;
  }
}

/** Postmark calls the webhook URL with the HTTP Basic credentials embedded in it. */
export function verifyBasicAuth(header: string | undefined, user: string, password: string): boolean {
  if (!header?.startsWith("Basic ")) return false;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(fromBase64(header.slice(6).trim()));
  } catch {
    return false;
  }
  return timingSafeEqual(decoded, `${user}:${password}`);
}

/** Twilio: base64 HMAC-SHA1 (auth token) of the full URL followed by each POST parameter, sorted by name, as name+value. */
export async function twilioSignature(authToken: string, url: string, params: URLSearchParams): Promise<string> {
  const data =
    url +
    [...params.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => k + v)
      .join("");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(authToken), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  return toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data))));
}

export async function verifyTwilio(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: URLSearchParams,
): Promise<boolean> {
  if (!signature) return false;
  return timingSafeEqual(signature, await twilioSignature(authToken, url, params));
}
