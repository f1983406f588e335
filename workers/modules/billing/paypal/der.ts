/**
 * Just enough DER (X.509) to read a certificate's public key and validity, and to build the
 * self-signed certificate the local payment simulator signs PayPal-style webhooks with.
 */
export interface Tlv {
  tag: number;
  start: number; // offset of the tag byte
  contentStart: number;
  end: number; // offset after the content
}

export function readTlv(buf: Uint8Array, at: number): Tlv {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error("DER: unsupported length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > buf.length) throw new Error("DER: truncated");
  return { tag, start: at, contentStart: p, end: p + len };
}

export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.contentStart; p < parent.end; ) {
    const t = readTlv(buf, p);
    out.push(t);
    p = t.end;
  }
  return out;
}

export function parseTime(buf: Uint8Array, t: Tlv): number {
  const s = new TextDecoder().decode(buf.subarray(t.contentStart, t.end));
  const m =
    t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new Error("DER: bad time");
  let y = Number(m[1]);
  if (t.tag === 0x17) y += y < 50 ? 2000 : 1900;
  return Date.UTC(y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** SubjectPublicKeyInfo bytes and validity window of an X.509 certificate. */
export function parseCertificate(der: Uint8Array): { spki: Uint8Array; notBefore: number; notAfter: number } {
  const cert = readTlv(der, 0);
  const tbs = children(der, cert)[0]!;
  const f = children(der, tbs);
  const i = f[0]!.tag === 0xa0 ? 1 : 0; // optional [0] version
  const validity = children(der, f[i + 3]!);
  const spki = f[i + 5]!;
  return { spki: der.slice(spki.start, spki.end), notBefore: parseTime(der, validity[0]!), notAfter: parseTime(der, validity[1]!) };
}

export function pemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error("No certificate in PEM");
  return Uint8Array.from(atob(m[1]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}
/** Every CERTIFICATE block of a PEM bundle (leaf first, as PayPal's cert URL serves them). */
export function pemToDerAll(pem: string): Uint8Array[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) =>
    Uint8Array.from(atob(m[1]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0)),
  );
}

export function derToPem(der: Uint8Array): string {
  let s = "";
  for (const b of der) s += String.fromCharCode(b);
  const b64 = btoa(s).replace(/(.{64})/g, "$1\n");
  return `-----BEGIN CERTIFICATE-----\n${b64.trim()}\n-----END CERTIFICATE-----\n`;
}

// --- encoding (simulator and tests) ---
function len(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | bytes.length, ...bytes];
}
const tlv = (tag: number, content: Uint8Array) => Uint8Array.from([tag, ...len(content.length), ...content]);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const seq = (...parts: Uint8Array[]) => tlv(0x30, cat(...parts));
const SHA256_RSA = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
const NULL = Uint8Array.from([0x05, 0x00]);
const CN = Uint8Array.from([0x06, 0x03, 0x55, 0x04, 0x03]);
const utc = (ms: number) => tlv(0x17, new TextEncoder().encode(`${new Date(ms).toISOString().replace(/[-:T]/g, "").slice(2, 14)}Z`));

const BASIC_CONSTRAINTS = Uint8Array.from([0x06, 0x03, 0x55, 0x1d, 0x13]);
const TRUE = Uint8Array.from([0x01, 0x01, 0xff]);

/**
 * An RSA certificate (SHA256withRSA) for `subjectCN`'s public key, signed by the issuer's private
 * key. `ca` adds a critical basicConstraints cA=true extension. For the simulator and for tests
 * that build a CA → intermediate → leaf chain.
 */
export async function issueCertificate(o: {
  subjectKey: CryptoKey;
  subjectCN: string;
  issuerKey: CryptoKey;
  issuerCN: string;
  ca?: boolean;
  days?: number;
  now?: number;
  notBefore?: number;
}): Promise<Uint8Array> {
  const now = o.now ?? Date.now();
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", o.subjectKey)) as ArrayBuffer);
  const name = (cn: string) => seq(tlv(0x31, seq(CN, tlv(0x0c, new TextEncoder().encode(cn)))));
  const alg = seq(SHA256_RSA, NULL);
  const serial = tlv(0x02, Uint8Array.from([0x01, ...crypto.getRandomValues(new Uint8Array(8))]));
  const ext = o.ca ? [tlv(0xa3, seq(seq(BASIC_CONSTRAINTS, TRUE, tlv(0x04, seq(TRUE)))))] : [];
  const validity = seq(utc(o.notBefore ?? now - 60_000), utc(now + (o.days ?? 365) * 86_400_000));
  const tbs = seq(tlv(0xa0, tlv(0x02, Uint8Array.from([2]))), serial, alg, name(o.issuerCN), validity, name(o.subjectCN), spki, ...ext);
  const sig = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", o.issuerKey, tbs));
  return seq(tbs, alg, tlv(0x03, cat(Uint8Array.from([0]), sig)));
}

/** A self-signed RSA certificate (SHA256withRSA) for `commonName`, valid for `days`. */
export async function selfSignedCertificate(keys: CryptoKeyPair, commonName: string, days = 365, now = Date.now()): Promise<Uint8Array> {
  return issueCertificate({
    subjectKey: keys.publicKey,
    subjectCN: commonName,
    issuerKey: keys.privateKey,
    issuerCN: commonName,
    days,
    now,
  });
}
