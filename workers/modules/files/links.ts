import { toBase64, fromBase64 } from "../../platform/crypto";
import { LIMITS, signingKey, type FilesEnv } from "./config";

/**
 * Signed links: `/f/<file id>?exp=<unix s>&disp=<inline|attachment>&sig=<HMAC-SHA256>` over the
 * file's R2 key (which starts with its workspace), the expiry and the disposition, so a signature
 * made for one file (or one workspace) never opens another. Verification is WebCrypto's HMAC
 * verify (constant time). Variant parameters (w, h, fit, format, q) are outside the signature:
 * anyone holding a link may ask for any size of that one image.
 */
export type Disposition = "inline" | "attachment";
const b64u = (b: Uint8Array) => toBase64(b).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const fromB64u = (s: string) => fromBase64(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
const payload = (key: string, exp: number, disp: Disposition) => new TextEncoder().encode(`${key}\n${exp}\n${disp}`);

export async function signLink(env: FilesEnv, r2Key: string, exp: number, disp: Disposition): Promise<string> {
  return b64u(new Uint8Array(await crypto.subtle.sign("HMAC", await signingKey(env), payload(r2Key, exp, disp))));
}

export type LinkCheck = "ok" | "invalid" | "expired";
export async function verifyLink(
  env: FilesEnv,
  r2Key: string,
  exp: string,
  disp: string,
  sig: string,
  nowMs = Date.now(),
): Promise<LinkCheck> {
  const e = Number(exp);
  if (!/^\d{1,12}$/.test(exp) || (disp !== "inline" && disp !== "attachment") || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return "invalid";
  let mac: Uint8Array;
  try {
    mac = fromB64u(sig);
  } catch {
    return "invalid";
  }
  const ok = await crypto.subtle.verify("HMAC", await signingKey(env), mac, payload(r2Key, e, disp));
  if (!ok) return "invalid";
  return e * 1000 < nowMs ? "expired" : "ok";
}

export interface VariantParams {
  w?: number;
  h?: number;
  fit?: "cover" | "contain" | "scale-down";
  format?: "webp" | "avif" | "jpeg" | "png";
  q?: number;
}

export function variantQuery(v: VariantParams | undefined): string {
  if (!v) return "";
  const parts = Object.entries(v)
    .filter(([, x]) => x !== undefined)
    .map(([k, x]) => `&${k}=${encodeURIComponent(String(x))}`);
  return parts.join("");
}

export async function signedUrl(
  env: FilesEnv,
  origin: string,
  file: { id: string; r2Key: string },
  opts: { expiresIn?: number; disposition?: Disposition; variant?: VariantParams; now?: number } = {},
): Promise<{ url: string; expiresAt: number }> {
  const disp = opts.disposition ?? "inline";
  const exp = Math.floor((opts.now ?? Date.now()) / 1000) + (opts.expiresIn ?? LIMITS.thumbnailSeconds);
  const sig = await signLink(env, file.r2Key, exp, disp);
  return {
    url: `${origin.replace(/\/$/, "")}/f/${file.id}?exp=${exp}&disp=${disp}&sig=${sig}${variantQuery(opts.variant)}`,
    expiresAt: exp * 1000,
  };
}

export const publicUrl = (origin: string, file: { id: string; name: string }) =>
  `${origin.replace(/\/$/, "")}/f/p/${file.id}/${encodeURIComponent(file.name)}`;

/** Thumbnails: an hour-long link, rounded to the hour so a page of files keeps stable URLs (browser cache). */
export function thumbnailExpiry(now = Date.now()): number {
  const hour = 3600;
  return (Math.floor(now / 1000 / hour) + 2) * hour - Math.floor(now / 1000);
}
