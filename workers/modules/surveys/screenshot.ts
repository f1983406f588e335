/**
 * Feedback screenshots: the type is taken from the bytes (never from the client's claim) and the
 * object lives in R2 under tenant/<id>/feedback/. The dashboard reads it through a short-lived
 * signed URL served by the Worker; the bucket is never public. A files module will take the
 * storage over later: every R2 call of this module is in this file.
 */
import { getConfig, type Env } from "../../platform/env";
import { toBase64, timingSafeEqual } from "../../platform/crypto";
import { validationFailed } from "../../platform/errors";

export const MAX_SCREENSHOT_BYTES = 2 * 1024 * 1024;
export const SCREENSHOT_URL_TTL_MS = 5 * 60_000;

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);
/** PNG or JPEG by magic number; null for anything else (a text file named .png included). */
export function sniffImage(bytes: Uint8Array): { type: "image/png" | "image/jpeg"; ext: "png" | "jpg" } | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { type: "image/png", ext: "png" };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { type: "image/jpeg", ext: "jpg" };
  return null;
}

export interface StoredScreenshot {
  key: string;
  type: string;
  bytes: number;
}

/** Checks and stores an uploaded screenshot; 400 (field `screenshot`) when it is too big or not a PNG/JPEG. */
export async function storeScreenshot(files: R2Bucket, tenantId: string, feedbackId: string, file: Blob): Promise<StoredScreenshot> {
  if (file.size > MAX_SCREENSHOT_BYTES)
    throw validationFailed([{ path: "screenshot", message: "The screenshot is larger than 2 MB; attach a smaller image." }]);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniffImage(bytes);
  if (!kind) throw validationFailed([{ path: "screenshot", message: "The screenshot must be a PNG or JPEG image." }]);
  const key = `tenant/${tenantId}/feedback/${feedbackId}.${kind.ext}`;
  await files.put(key, bytes, { httpMetadata: { contentType: kind.type } });
  return { key, type: kind.type, bytes: bytes.length };
}

export const readScreenshot = (files: R2Bucket, key: string) => files.get(key);
export const deleteScreenshot = (files: R2Bucket, key: string) => files.delete(key);

const b64u = (s: string) => s.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
async function sign(env: Env, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`surveys.screenshot:${getConfig(env).JWT_SECRET}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return b64u(toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload)))));
}

/** A URL that shows one screenshot for a few minutes, for an <img> in the dashboard. */
export async function signedScreenshotPath(env: Env, tenantId: string, feedbackId: string, now = Date.now()): Promise<string> {
  const exp = now + SCREENSHOT_URL_TTL_MS;
  const sig = await sign(env, `${tenantId}/${feedbackId}/${exp}`);
  return `/public/v1/surveys/screenshots/${tenantId}/${feedbackId}?exp=${exp}&sig=${sig}`;
}

export async function verifyScreenshotSignature(
  env: Env,
  tenantId: string,
  feedbackId: string,
  exp: string,
  sig: string,
  now = Date.now(),
) {
  const e = Number(exp);
  if (!Number.isFinite(e) || e < now || e > now + SCREENSHOT_URL_TTL_MS) return false;
  return timingSafeEqual(await sign(env, `${tenantId}/${feedbackId}/${e}`), sig);
}
