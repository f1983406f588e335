import { fromBase64, timingSafeEqual, toBase64 } from "./crypto";

/**
 * Standard Webhooks (https://www.standardwebhooks.com/): secrets are `whsec_` + base64 of random
 * bytes; `webhook-signature` is a space-separated list of `v1,<base64 HMAC-SHA256>` over
 * `${webhook-id}.${webhook-timestamp}.${body}`, keyed with the base64-decoded secret.
 * Signs the platform's outbound webhooks (modules/webhooks) and verifies providers' callbacks that
 * use the same scheme (Resend's Svix signatures, modules/messaging).
 */
export const SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(24)));
}

function secretBytes(secret: string): Uint8Array {
  return fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
}

export async function signPayload(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secretBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three headers of one delivery attempt; during a secret rotation both secrets sign. */
export async function signatureHeaders(
  secrets: string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<{ "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string }> {
  const sigs = await Promise.all(secrets.map((s) => signPayload(s, id, timestampSeconds, body)));
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": sigs.join(" ") };
}

/** Receiver-side check (what a tenant's endpoint does); used by tests and the docs example. */
export async function verifySignature(
  secret: string,
  headers: { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string },
  body: string,
  opts: { nowSeconds?: number; toleranceSeconds?: number } = {},
): Promise<boolean> {
  const ts = Number(headers["webhook-timestamp"]);
  if (!Number.isInteger(ts)) return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = (await signPayload(secret, headers["webhook-id"], ts, body)).slice(3);
  return headers["webhook-signature"].split(" ").some((part) => {
    const [version, sig] = part.split(",");
    return version === "v1" && !!sig && timingSafeEqual(sig, expected);
  });
}
