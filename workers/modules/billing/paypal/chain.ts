import { children, parseTime, pemToDerAll, readTlv, type Tlv } from "./der";

/**
 * X.509 chain verification for PayPal's webhook signing certificate, with WebCrypto only (no
 * dependency): the PEM at PAYPAL-CERT-URL holds the leaf and its intermediates; each certificate
 * must be within its validity window, each issuer must be a CA (basicConstraints cA, keyCertSign,
 * path length) whose name matches and whose key verifies the signature, and the last one must be
 * signed by a pinned root (paypal/roots.ts). Unknown critical extensions are refused (RFC 5280
 * 4.2). Signatures: RSASSA-PKCS1-v1_5 and ECDSA with SHA-256/384/512 (SHA-1 is refused).
 */
export interface Cert {
  tbs: Uint8Array;
  sigAlg: string;
  signature: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: number;
  notAfter: number;
  spki: Uint8Array;
  keyAlg: string;
  curve: string | null;
  ca: boolean;
  pathLen: number | null;
  /** null when the certificate has no keyUsage extension. */
  keyCertSign: boolean | null;
  unknownCritical: string[];
}

function oid(buf: Uint8Array, t: Tlv): string {
  const b = buf.subarray(t.contentStart, t.end);
  const out = [Math.floor(b[0]! / 40), b[0]! % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      out.push(v);
      v = 0;
    }
  }
  return out.join(".");
}

const KNOWN_CRITICAL = new Set(["2.5.29.19", "2.5.29.15", "2.5.29.37", "2.5.29.17", "2.5.29.32"]);

export function parseCert(der: Uint8Array): Cert {
  const top = readTlv(der, 0);
  const [tbsT, algT, sigT] = children(der, top);
  if (!tbsT || !algT || !sigT || sigT.tag !== 0x03) throw new Error("X.509: not a certificate");
  const f = children(der, tbsT);
  const i = f[0]!.tag === 0xa0 ? 1 : 0;
  const validity = children(der, f[i + 3]!);
  const spkiT = f[i + 5]!;
  const spkiAlg = children(der, children(der, spkiT)[0]!);
  const keyAlg = oid(der, spkiAlg[0]!);
  const curve = keyAlg === "1.2.840.10045.2.1" && spkiAlg[1]?.tag === 0x06 ? oid(der, spkiAlg[1]) : null;
  const cert: Cert = {
    tbs: der.slice(tbsT.start, tbsT.end),
    sigAlg: oid(der, children(der, algT)[0]!),
    signature: der.slice(sigT.contentStart + 1, sigT.end),
    issuer: der.slice(f[i + 2]!.start, f[i + 2]!.end),
    subject: der.slice(f[i + 4]!.start, f[i + 4]!.end),
    notBefore: parseTime(der, validity[0]!),
    notAfter: parseTime(der, validity[1]!),
    spki: der.slice(spkiT.start, spkiT.end),
    keyAlg,
    curve,
    ca: false,
    pathLen: null,
    keyCertSign: null,
    unknownCritical: [],
  };
  const extWrap = f.slice(i + 6).find((t) => t.tag === 0xa3);
  if (extWrap) {
    for (const ext of children(der, children(der, extWrap)[0]!)) {
      const parts = children(der, ext);
      const id = oid(der, parts[0]!);
      const critical = parts.length === 3 && parts[1]!.tag === 0x01 && der[parts[1]!.contentStart] !== 0;
      const value = parts[parts.length - 1]!;
      if (id === "2.5.29.19") {
        const bc = children(der, readTlv(der, value.contentStart));
        for (const x of bc) {
          if (x.tag === 0x01) cert.ca = der[x.contentStart] !== 0;
          if (x.tag === 0x02) cert.pathLen = der[x.end - 1]!;
        }
      } else if (id === "2.5.29.15") {
        const bits = readTlv(der, value.contentStart);
        const first = der[bits.contentStart + 1] ?? 0;
        cert.keyCertSign = (first & 0x04) !== 0; // bit 5 of the first byte (MSB = bit 0)
      } else if (critical && !KNOWN_CRITICAL.has(id)) cert.unknownCritical.push(id);
    }
  }
  return cert;
}

const HASH: Record<string, { kind: "rsa" | "ecdsa"; hash: string }> = {
  "1.2.840.113549.1.1.11": { kind: "rsa", hash: "SHA-256" },
  "1.2.840.113549.1.1.12": { kind: "rsa", hash: "SHA-384" },
  "1.2.840.113549.1.1.13": { kind: "rsa", hash: "SHA-512" },
  "1.2.840.10045.4.3.2": { kind: "ecdsa", hash: "SHA-256" },
  "1.2.840.10045.4.3.3": { kind: "ecdsa", hash: "SHA-384" },
  "1.2.840.10045.4.3.4": { kind: "ecdsa", hash: "SHA-512" },
};
const CURVES: Record<string, { name: string; size: number }> = {
  "1.2.840.10045.3.1.7": { name: "P-256", size: 32 },
  "1.3.132.0.34": { name: "P-384", size: 48 },
  "1.3.132.0.35": { name: "P-521", size: 66 },
};

/** ECDSA signatures in X.509 are DER SEQUENCE { r, s }; WebCrypto wants r ‖ s at the curve size. */
function ecdsaRaw(sig: Uint8Array, size: number): Uint8Array {
  const [r, s] = children(sig, readTlv(sig, 0));
  const out = new Uint8Array(size * 2);
  for (const [k, t] of [r!, s!].entries()) {
    let v = sig.subarray(t.contentStart, t.end);
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    if (v.length > size) throw new Error("ECDSA: integer too long");
    out.set(v, k * size + size - v.length);
  }
  return out;
}

/** Is `cert` signed by the key of `issuer`? */
export async function signedBy(cert: Cert, issuer: Cert): Promise<boolean> {
  const alg = HASH[cert.sigAlg];
  if (!alg) return false;
  try {
    if (alg.kind === "rsa") {
      if (issuer.keyAlg !== "1.2.840.113549.1.1.1") return false;
      const key = await crypto.subtle.importKey("spki", issuer.spki, { name: "RSASSA-PKCS1-v1_5", hash: alg.hash }, false, ["verify"]);
      return await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, cert.signature, cert.tbs);
    }
    const curve = issuer.curve ? CURVES[issuer.curve] : undefined;
    if (!curve) return false;
    const key = await crypto.subtle.importKey("spki", issuer.spki, { name: "ECDSA", namedCurve: curve.name }, false, ["verify"]);
    return await crypto.subtle.verify({ name: "ECDSA", hash: alg.hash }, key, ecdsaRaw(cert.signature, curve.size), cert.tbs);
  } catch {
    return false;
  }
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export type ChainResult = { ok: true; leaf: Cert; depth: number } | { ok: false; reason: string };

const anchorCache = new Map<string, Cert[]>();
/** Parsed trust anchors of a PEM bundle (cached per bundle text). */
export function trustAnchors(pem: string): Cert[] {
  let hit = anchorCache.get(pem);
  if (!hit) {
    hit = pemToDerAll(pem).map(parseCert);
    anchorCache.set(pem, hit);
  }
  return hit;
}

/** Verifies that the bundle's first certificate chains, through the following ones, to one of `roots`. */
export async function verifyChain(bundle: Uint8Array[], roots: Cert[], now = Date.now()): Promise<ChainResult> {
  if (!bundle.length) return { ok: false, reason: "no certificate" };
  if (!roots.length) return { ok: false, reason: "no trust anchors configured" };
  let certs: Cert[];
  try {
    certs = bundle.map(parseCert);
  } catch {
    return { ok: false, reason: "unparsable certificate" };
  }
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i]!;
    if (now < c.notBefore || now > c.notAfter) return { ok: false, reason: `certificate ${i} outside its validity` };
    if (c.unknownCritical.length) return { ok: false, reason: `certificate ${i} has unknown critical extensions` };
    if (i === 0 && c.ca) return { ok: false, reason: "the signing certificate is a CA certificate" };
    if (i > 0) {
      if (!c.ca || c.keyCertSign === false) return { ok: false, reason: `certificate ${i} is not a CA` };
      if (c.pathLen !== null && i - 1 > c.pathLen) return { ok: false, reason: `certificate ${i} path length exceeded` };
    }
    for (const root of roots) {
      if (same(root.subject, c.issuer) && (await signedBy(c, root))) return { ok: true, leaf: certs[0]!, depth: i + 1 };
    }
    const next = certs[i + 1];
    if (!next) return { ok: false, reason: "no path to a trusted root" };
    if (!same(c.issuer, next.subject)) return { ok: false, reason: `certificate ${i} is not issued by the next one` };
    if (!(await signedBy(c, next))) return { ok: false, reason: `certificate ${i} signature does not verify` };
  }
  return { ok: false, reason: "no path to a trusted root" };
}
