// Public entry of the files module: the only file other modules import (see docs/engineering.md).
// Modules that keep files (feedback screenshots, product images, attachments…) store them here,
// never by writing R2 keys themselves.
import { and, eq, inArray } from "drizzle-orm";
import { files } from "../../../schema/files";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { notFound } from "../../platform/errors";
import type { FilesEnv } from "./config";
import { purgeFiles } from "./files.service";
import { ingest } from "./ingest";
import { signedUrl as sign, type Disposition, type VariantParams } from "./links";

export interface FileMeta {
  id: string;
  tenantId: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  module: string | null;
  createdAt: number;
}
const meta = (f: typeof files.$inferSelect): FileMeta => ({
  id: f.id,
  tenantId: f.tenantId,
  name: f.name,
  size: f.size,
  contentType: f.contentType,
  sha256: f.sha256,
  module: f.module,
  createdAt: f.createdAt,
});

export interface StoreFileInput {
  tenantId: string;
  name: string;
  bytes: Uint8Array | ArrayBuffer;
  /** The module keeping the file ("surveys"…): its files stay out of the file manager. */
  module: string;
  /** Narrower than the workspace's settings, e.g. ["image/png", "image/jpeg"]. */
  allowedTypes?: string[];
  maxSize?: number;
  uploadedBy?: string | null;
  /** For the 402's upgrade link (default APP_URL). */
  origin?: string;
}

/** Stores bytes with every upload check (type sniffing, limits, scanner, storage quota). Throws the same problems. */
export async function storeFile(env: Env, input: StoreFileInput): Promise<FileMeta> {
  const bytes = input.bytes instanceof Uint8Array ? input.bytes : new Uint8Array(input.bytes);
  const f = await ingest(env as FilesEnv, {
    tenantId: input.tenantId,
    name: input.name,
    body: new Blob([bytes]).stream(),
    length: bytes.byteLength,
    module: input.module,
    allowedTypes: input.allowedTypes,
    maxSize: input.maxSize,
    uploadedBy: input.uploadedBy ?? null,
    origin: input.origin ?? env.APP_URL,
  });
  return meta(f);
}

async function row(env: Env, tenantId: string, fileId: string) {
  const f = await getDb(env.DB)
    .select()
    .from(files)
    .where(and(eq(files.tenantId, tenantId), eq(files.id, fileId)))
    .get();
  if (!f) throw notFound("File");
  return f;
}

export async function getFileMeta(env: Env, tenantId: string, fileId: string): Promise<FileMeta> {
  return meta(await row(env, tenantId, fileId));
}

/** A signed URL (absolute when `origin` is given, else on APP_URL) that opens the file until it expires. */
export async function signedFileUrl(
  env: Env,
  o: { tenantId: string; fileId: string; expiresIn?: number; disposition?: Disposition; origin?: string; variant?: VariantParams },
): Promise<{ url: string; expiresAt: number }> {
  const f = await row(env, o.tenantId, o.fileId);
  return sign(env as FilesEnv, o.origin ?? env.APP_URL, f, { expiresIn: o.expiresIn, disposition: o.disposition, variant: o.variant });
}

/**
 * A signed file link (`/f/…`) moved onto `origin`: the signature covers the file, expiry and
 * disposition, not the host, so a link minted on APP_URL (what e-mails need) works on the origin a
 * page is being served from (a dev proxy, a custom host). Other URLs are returned unchanged.
 */
export function fileLinkOn(url: string, origin: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  return u.pathname.startsWith("/f/") ? `${origin.replace(/\/$/, "")}${u.pathname}${u.search}` : url;
}

/**
 * Metadata and a signed link for many files at once — one query for a whole list (the portal's
 * shared files), where a getFileMeta + signedFileUrl pair per row cost two reads each. Ids that
 * name no file of the workspace are left out of the map.
 */
export async function signedFiles(
  env: Env,
  tenantId: string,
  fileIds: string[],
  o: { expiresIn?: number; disposition?: Disposition; origin?: string } = {},
): Promise<Map<string, { meta: FileMeta; url: string; expiresAt: number }>> {
  const ids = [...new Set(fileIds)];
  const out = new Map<string, { meta: FileMeta; url: string; expiresAt: number }>();
  if (!ids.length) return out;
  const rows = await getDb(env.DB)
    .select()
    .from(files)
    .where(and(eq(files.tenantId, tenantId), inArray(files.id, ids)));
  for (const f of rows) {
    const link = await sign(env as FilesEnv, o.origin ?? env.APP_URL, f, { expiresIn: o.expiresIn, disposition: o.disposition });
    out.set(f.id, { meta: meta(f), ...link });
  }
  return out;
}

/** The stored bytes (null if gone). */
export async function readFile(env: Env, tenantId: string, fileId: string): Promise<R2ObjectBody | null> {
  return env.FILES.get((await row(env, tenantId, fileId)).r2Key);
}

/** Deletes at once (no trash): bytes, variants, row; frees the storage quota. No-op when already gone. */
export async function deleteFile(env: Env, tenantId: string, fileId: string): Promise<void> {
  await purgeFiles(env as FilesEnv, getDb(env.DB), tenantId, [fileId], { type: "system", id: null, ip: null, userAgent: null }, false);
}

export type { Disposition, VariantParams } from "./links";
