/**
 * Stripe webhook signatures (https://docs.stripe.com/webhooks#verify-manually):
 * header `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=…]`.
 * Verified against every active secret (rotation), in constant time, within a tolerance window.
 */
const enc = new TextEncoder();
export const DEFAULT_TOLERANCE_SECONDS = 300;

async function hmacHex(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(payload)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function equal(a: string, b: string): boolean {
  const ab = enc.encode(a);
  const bb = enc.encode(b);
  if (ab.length !== bb.length) return false;
  return crypto.subtle.timingSafeEqual(ab, bb);
}

/** Builds a `Stripe-Signature` header value, exactly as Stripe (and `stripe.webhooks.generateTestHeaderString`) does. */
export async function signStripePayload(
  payload: string,
  secret: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  return `t=${timestampSeconds},v1=${await hmacHex(secret, `${timestampSeconds}.${payload}`)}`;
}

export type StripeSignatureResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "missing" | "malformed" | "no_match" | "expired" };

export async function verifyStripeSignature(
  payload: string,
  header: string | null | undefined,
  secrets: string[],
  opts: { toleranceSeconds?: number; nowSeconds?: number } = {},
): Promise<StripeSignatureResult> {
  if (!header) return { ok: false, reason: "missing" };
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const i = part.indexOf("=");
    if (i < 1) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k === "t" && /^\d+$/.test(v)) t = Number(v);
    else if (k === "v1" && /^[0-9a-f]{64}$/.test(v)) v1.push(v);
  }
  if (t === null || v1.length === 0) return { ok: false, reason: "malformed" };
  let matched = false;
  for (const secret of secrets) {
    const expected = await hmacHex(secret, `${t}.${payload}`);
    for (const sig of v1) if (equal(expected, sig)) matched = true; // no early exit: timing independent of which matched
  }
  if (!matched) return { ok: false, reason: "no_match" };
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - t) > tolerance) return { ok: false, reason: "expired" };
  return { ok: true, timestamp: t };
}
