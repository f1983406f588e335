import { getConfig, type Env } from "../../platform/env";

/**
 * The files module's optional configuration. None of it is required: without it the embedded
 * defaults run (links signed with a key derived from JWT_SECRET, the embedded malware scanner,
 * the photon WebAssembly image codec).
 *   FILES_SIGNING_SECRET   secret for signed links and upload tickets (≥ 32 chars; default: derived from JWT_SECRET)
 *   FILES_SCANNER_URL      a malware-scanning service (scanner.ts, `httpScanner`); FILES_SCANNER_TOKEN its bearer token
 *   IMAGES                 the Cloudflare Images binding (`[images] binding = "IMAGES"`): image variants are rendered by it
 */
export type FilesEnv = Env & {
  FILES_SIGNING_SECRET?: string;
  FILES_SCANNER_URL?: string;
  FILES_SCANNER_TOKEN?: string;
  IMAGES?: ImagesBinding;
};

const MiB = 1024 * 1024;
export const LIMITS = {
  /** One-request uploads (the body passes through the Worker; Workers accept up to 100 MB bodies). */
  smallUploadMax: 95 * MiB,
  /** The largest file (multipart). */
  fileMax: 5 * 1024 * MiB,
  /** R2: every part but the last ≥ 5 MiB, all the same size; at most 10,000 parts. */
  partMin: 5 * MiB,
  partMax: 100 * MiB,
  partDefault: 10 * MiB,
  maxParts: 10_000,
  /** Bytes read before anything is written: enough for file-type and the EICAR check. */
  headBytes: 64 * 1024,
  trashDays: 30,
  uploadTtlMs: 7 * 86_400_000,
  linkMinSeconds: 60,
  linkMaxSeconds: 604_800,
  thumbnailSeconds: 3600,
  variantMaxSide: 2048,
} as const;

const keys = new WeakMap<object, Promise<CryptoKey>>();
/** The HMAC key for signed links and upload tickets (one per isolate and env). */
export function signingKey(env: FilesEnv): Promise<CryptoKey> {
  let k = keys.get(env);
  if (!k) {
    const secret = env.FILES_SIGNING_SECRET || `files.links:${getConfig(env).JWT_SECRET}`;
    k = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(env, k);
  }
  return k;
}
