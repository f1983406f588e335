import { verifyChain, type Cert } from "./chain";
import { derToPem, parseCertificate, pemToDer, pemToDerAll, selfSignedCertificate } from "./der";

/**
 * PayPal webhook transmission signatures
 * (https://developer.paypal.com/api/rest/webhooks/rest/#link-selfverificationmethod):
 * the signed message is `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the raw body,
 * decimal>`, signed SHA256withRSA with the certificate at PAYPAL-CERT-URL.
 */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3), unsigned. */
export function crc32(data: string | Uint8Array): number {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PaypalTransmission {
  transmissionId: string;
  transmissionTime: string;
  transmissionSig: string;
  certUrl: string;
  authAlgo: string;
}

export function transmissionFromHeaders(h: Headers): PaypalTransmission | null {
  const t = {
    transmissionId: h.get("paypal-transmission-id") ?? "",
    transmissionTime: h.get("paypal-transmission-time") ?? "",
    transmissionSig: h.get("paypal-transmission-sig") ?? "",
    certUrl: h.get("paypal-cert-url") ?? "",
    authAlgo: h.get("paypal-auth-algo") ?? "",
  };
  return t.transmissionId && t.transmissionTime && t.transmissionSig && t.certUrl ? t : null;
}

export const signedMessage = (t: Pick<PaypalTransmission, "transmissionId" | "transmissionTime">, webhookId: string, body: string) =>
  `${t.transmissionId}|${t.transmissionTime}|${webhookId}|${crc32(body)}`;

const b64 = (bytes: Uint8Array) => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** Certificates PayPal signs with live under these hosts (https only). */
export const PAYPAL_CERT_HOSTS = ["api.paypal.com", "api-m.paypal.com", "api.sandbox.paypal.com", "api-m.sandbox.paypal.com"];

export type PaypalVerifyResult =
  | { ok: true }
  | {
      ok: false;
      reason: "missing" | "bad_algo" | "bad_cert_url" | "bad_cert" | "untrusted_cert" | "expired" | "no_match";
      detail?: string;
    };

/**
 * Verifies the transmission signature locally. `loadCert` returns the PEM at the URL (cached by
 * the caller); `maxAgeSeconds` bounds the transmission time to stop replays of old captures.
 * With `trust`, the certificate must chain (through the intermediates in the same PEM) to one of
 * those roots — see chain.ts; without it (the in-process simulator only) its key is used as is.
 */
export async function verifyPaypalTransmission(
  body: string,
  t: PaypalTransmission | null,
  webhookId: string,
  loadCert: (url: string) => Promise<string>,
  opts: { maxAgeSeconds?: number; now?: number; allowCertUrl?: (u: URL) => boolean; trust?: Cert[] } = {},
): Promise<PaypalVerifyResult> {
  if (!t) return { ok: false, reason: "missing" };
  if (t.authAlgo && t.authAlgo !== "SHA256withRSA") return { ok: false, reason: "bad_algo" };
  let url: URL;
  try {
    url = new URL(t.certUrl);
  } catch {
    return { ok: false, reason: "bad_cert_url" };
  }
  const allowed = opts.allowCertUrl ? opts.allowCertUrl(url) : url.protocol === "https:" && PAYPAL_CERT_HOSTS.includes(url.hostname);
  if (!allowed) return { ok: false, reason: "bad_cert_url" };
  const now = opts.now ?? Date.now();
  const sent = Date.parse(t.transmissionTime);
  if (!Number.isFinite(sent) || Math.abs(now - sent) > (opts.maxAgeSeconds ?? 300) * 1000) return { ok: false, reason: "expired" };
  let key: CryptoKey;
  try {
    const pem = await loadCert(t.certUrl);
    if (opts.trust) {
      const chain = await verifyChain(pemToDerAll(pem), opts.trust, now);
      if (!chain.ok) return { ok: false, reason: "untrusted_cert", detail: chain.reason };
    }
    const cert = parseCertificate(pemToDer(pem));
    if (now < cert.notBefore || now > cert.notAfter) return { ok: false, reason: "bad_cert" };
    key = await crypto.subtle.importKey("spki", cert.spki, RSA, false, ["verify"]);
  } catch {
    return { ok: false, reason: "bad_cert" };
  }
  let sig: Uint8Array;
  try {
    sig = unb64(t.transmissionSig);
  } catch {
    return { ok: false, reason: "no_match" };
  }
  const ok = await crypto.subtle.verify(RSA, key, sig, new TextEncoder().encode(signedMessage(t, webhookId, body)));
  return ok ? { ok: true } : { ok: false, reason: "no_match" };
}

/** A signing identity (RSA key + self-signed certificate), as the simulator and tests use. */
export interface PaypalSigner {
  keys: CryptoKeyPair;
  certPem: string;
}
export async function createPaypalSigner(commonName = "Weft payment simulator (PayPal)"): Promise<PaypalSigner> {
  const keys = (await crypto.subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  return { keys, certPem: derToPem(await selfSignedCertificate(keys, commonName)) };
}

/** Headers PayPal would send for `body`. */
export async function signPaypalPayload(
  signer: PaypalSigner,
  body: string,
  webhookId: string,
  certUrl: string,
  at = Date.now(),
): Promise<Record<string, string>> {
  const t = { transmissionId: crypto.randomUUID(), transmissionTime: new Date(at).toISOString() };
  const sig = new Uint8Array(
    await crypto.subtle.sign(RSA, signer.keys.privateKey, new TextEncoder().encode(signedMessage(t, webhookId, body))),
  );
  return {
    "PAYPAL-TRANSMISSION-ID": t.transmissionId,
    "PAYPAL-TRANSMISSION-TIME": t.transmissionTime,
    "PAYPAL-TRANSMISSION-SIG": b64(sig),
    "PAYPAL-CERT-URL": certUrl,
    "PAYPAL-AUTH-ALGO": "SHA256withRSA",
  };
}
