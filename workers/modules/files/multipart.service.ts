import { asc, eq, lt as sqlLt } from "drizzle-orm";
import { fileUploadParts, fileUploads, files } from "../../../schema/files";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest, conflict, notFound, Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { LIMITS, type FilesEnv } from "./config";
import {
  afterStored,
  assertFolder,
  assertStorageQuota,
  duplicateOf,
  hex,
  malware,
  objectKey,
  readHead,
  replay,
  typeMismatch,
  type FileRow,
} from "./ingest";
import { scannerFor } from "./scanner";
import { getPolicy, tooLarge, typeAllowed, typeNotAllowed } from "./settings.service";
import { claimedType, contradicts, sniffType } from "./sniff";

/**
 * Large files as R2 multipart uploads. R2 needs every part but the last to be the same size and
 * ≥ 5 MiB; the binding cannot list the parts of an upload, so each stored part is recorded in D1
 * — the list a client resumes from after a dropped connection.
 */
export type UploadRow = typeof fileUploads.$inferSelect;

export interface CreateUpload {
  name: string;
  size: number;
  folder_id?: string | null;
  tags?: string[];
  part_size?: number;
}

export async function createUpload(
  env: FilesEnv,
  db: Db,
  tenantId: string,
  input: CreateUpload,
  uploadedBy: string | null,
  origin: string,
) {
  const policy = await getPolicy(db, tenantId);
  const max = Math.min(policy.maxFileSize, LIMITS.fileMax);
  if (input.size > max) throw tooLarge(input.size, max);
  const claimed = claimedType(null, input.name);
  if (claimed && !typeAllowed(policy.allowedTypes, claimed)) throw typeNotAllowed(claimed, policy.allowedTypes);
  await assertFolder(db, tenantId, input.folder_id);
  await assertStorageQuota(env, db, tenantId, input.size, origin);
  const MiB = 1024 * 1024;
  const needed = Math.ceil(input.size / LIMITS.maxParts / MiB) * MiB;
  const partSize = Math.max(input.part_size ?? LIMITS.partDefault, needed, LIMITS.partMin);
  if (partSize > LIMITS.partMax)
    throw badRequest(`part_size must be at most ${LIMITS.partMax} bytes.`, { errors: [{ path: "part_size", message: "too large" }] });
  const partCount = Math.max(1, Math.ceil(input.size / partSize));
  const fileId = newId("fil");
  const key = objectKey(tenantId, fileId);
  const mpu = await env.FILES.createMultipartUpload(key);
  const row: UploadRow = {
    tenantId,
    id: newId("upl"),
    fileId,
    r2Key: key,
    r2UploadId: mpu.uploadId,
    name: input.name,
    size: input.size,
    partSize,
    partCount,
    folderId: input.folder_id ?? null,
    tags: input.tags ?? [],
    uploadedBy,
    contentType: null,
    createdAt: Date.now(),
  };
  await db.insert(fileUploads).values(row);
  return { upload_id: row.id, file_id: fileId, part_size: partSize, part_count: partCount };
}

export async function getUpload(db: Db, tenantId: string, id: string): Promise<UploadRow> {
  const u = await db
    .select()
    .from(fileUploads)
    .where(tenantScope(db, tenantId).where(fileUploads, eq(fileUploads.id, id)))
    .get();
  if (!u || u.createdAt < Date.now() - LIMITS.uploadTtlMs) throw notFound("Upload");
  return u;
}

const partsOf = (db: Db, tenantId: string, uploadId: string) =>
  db
    .select()
    .from(fileUploadParts)
    .where(tenantScope(db, tenantId).where(fileUploadParts, eq(fileUploadParts.uploadId, uploadId)))
    .orderBy(asc(fileUploadParts.partNumber));

export async function describeUpload(db: Db, tenantId: string, id: string) {
  const u = await getUpload(db, tenantId, id);
  const parts = await partsOf(db, tenantId, id);
  return {
    upload_id: u.id,
    file_id: u.fileId,
    name: u.name,
    size: u.size,
    part_size: u.partSize,
    part_count: u.partCount,
    parts: parts.map((p) => ({ part_number: p.partNumber, etag: p.etag, size: p.size })),
  };
}

export const expectedPartSize = (u: UploadRow, n: number) => (n < u.partCount ? u.partSize : u.size - u.partSize * (u.partCount - 1));

export async function putPart(
  env: FilesEnv,
  db: Db,
  tenantId: string,
  id: string,
  n: number,
  body: ReadableStream<Uint8Array> | null,
  length: number | null,
) {
  const u = await getUpload(db, tenantId, id);
  if (!Number.isInteger(n) || n < 1 || n > u.partCount)
    throw badRequest(`Part numbers run from 1 to ${u.partCount}.`, { errors: [{ path: "n", message: `1..${u.partCount}` }] });
  const want = expectedPartSize(u, n);
  if (!body || length !== want)
    throw badRequest(`Part ${n} must be exactly ${want} bytes (Content-Length ${length ?? "missing"}).`, {
      errors: [{ path: "body", message: `expected ${want} bytes` }],
      expected_size: want,
    });
  let stream: ReadableStream<Uint8Array>;
  let contentType = u.contentType;
  if (n === 1) {
    // The first bytes decide the type and meet the scanner before anything of the file is stored.
    const h = await readHead(body);
    const policy = await getPolicy(db, tenantId);
    const type = await sniffType(h.head, u.name);
    const claimed = claimedType(null, u.name);
    let refusal: Problem | null = null;
    if (claimed && contradicts(claimed, type)) refusal = typeMismatch(claimed, type);
    else if (!typeAllowed(policy.allowedTypes, type)) refusal = typeNotAllowed(type, policy.allowedTypes);
    else {
      const v = await scannerFor(env).scanHead(h.head);
      if (!v.clean) refusal = malware(v);
    }
    if (refusal) {
      await h.reader.cancel().catch(() => {});
      throw refusal;
    }
    contentType = type;
    stream = replay(h, want);
  } else {
    stream = body.pipeThrough(new FixedLengthStream(want));
  }
  const mpu = env.FILES.resumeMultipartUpload(u.r2Key, u.r2UploadId);
  const part = await mpu.uploadPart(n, stream).catch((e: unknown) => {
    const msg = String(e);
    if (/length/i.test(msg)) throw badRequest(`Part ${n} must be exactly ${want} bytes.`);
    // The client went away mid-part (a dropped connection): nothing was stored; it resumes by sending the part again.
    if (/connection lost|disconnected|aborted/i.test(msg))
      throw new Problem(400, "upload-interrupted", "Upload interrupted", `Part ${n} did not arrive in full; send it again.`);
    throw e;
  });
  const now = Date.now();
  await db.batch([
    db
      .insert(fileUploadParts)
      .values({ tenantId, uploadId: id, partNumber: n, etag: part.etag, size: want, createdAt: now })
      .onConflictDoUpdate({
        target: [fileUploadParts.tenantId, fileUploadParts.uploadId, fileUploadParts.partNumber],
        set: { etag: part.etag, size: want, createdAt: now },
      }),
    db
      .update(fileUploads)
      .set({ contentType })
      .where(tenantScope(db, tenantId).where(fileUploads, eq(fileUploads.id, id))),
  ]);
  return { part_number: n, etag: part.etag, size: want };
}

const forget = (db: Db, tenantId: string, id: string) =>
  db.batch([
    db.delete(fileUploadParts).where(tenantScope(db, tenantId).where(fileUploadParts, eq(fileUploadParts.uploadId, id))),
    db.delete(fileUploads).where(tenantScope(db, tenantId).where(fileUploads, eq(fileUploads.id, id))),
  ]);

export async function abortUpload(env: FilesEnv, db: Db, tenantId: string, id: string): Promise<void> {
  const u = await getUpload(db, tenantId, id);
  await env.FILES.resumeMultipartUpload(u.r2Key, u.r2UploadId)
    .abort()
    .catch(() => {}); // already gone at R2: nothing to discard
  await forget(db, tenantId, id);
}

export async function completeUpload(env: FilesEnv, db: Db, tenantId: string, id: string, origin: string): Promise<FileRow> {
  const u = await getUpload(db, tenantId, id);
  const parts = await partsOf(db, tenantId, id);
  const have = new Set(parts.map((p) => p.partNumber));
  const missing = Array.from({ length: u.partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
  if (missing.length)
    throw new Problem(409, "parts-missing", "Parts missing", `Send parts ${missing.slice(0, 20).join(", ")} before completing.`, {
      missing,
    });
  await assertStorageQuota(env, db, tenantId, u.size, origin);
  const mpu = env.FILES.resumeMultipartUpload(u.r2Key, u.r2UploadId);
  await mpu.complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
  // The hash of the whole file: one streaming read of the assembled object (DigestStream is native).
  const obj = await env.FILES.get(u.r2Key);
  if (!obj) throw conflict("The upload's object is gone; start the upload again.", "upload-gone");
  const digest = new crypto.DigestStream("SHA-256");
  await obj.body.pipeTo(digest);
  const sha256 = hex(await digest.digest);
  const verdict = await scannerFor(env).scanStored({
    sha256,
    size: u.size,
    read: async () => (await env.FILES.get(u.r2Key))?.body ?? null,
  });
  if (!verdict.clean) {
    await env.FILES.delete(u.r2Key);
    await forget(db, tenantId, id);
    throw malware(verdict);
  }
  const now = Date.now();
  const row: FileRow = {
    tenantId,
    id: u.fileId,
    name: u.name,
    folderId: u.folderId,
    r2Key: u.r2Key,
    size: u.size,
    contentType: u.contentType ?? "application/octet-stream",
    sha256,
    tags: u.tags,
    public: false,
    status: "ready",
    uploadedBy: u.uploadedBy,
    module: null,
    duplicateOf: await duplicateOf(db, tenantId, sha256, u.fileId),
    trashedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(files).values(row),
    db.delete(fileUploadParts).where(tenantScope(db, tenantId).where(fileUploadParts, eq(fileUploadParts.uploadId, id))),
    db.delete(fileUploads).where(tenantScope(db, tenantId).where(fileUploads, eq(fileUploads.id, id))),
  ]);
  await afterStored(env, db, row);
  return row;
}

/** Daily: forget uploads older than R2 keeps incomplete multipart uploads (7 days). */
export async function forgetStaleUploads(env: FilesEnv, db: Db, now: number): Promise<number> {
  const stale = await db
    .select({ tenantId: fileUploads.tenantId, id: fileUploads.id, key: fileUploads.r2Key, up: fileUploads.r2UploadId })
    .from(fileUploads)
    .where(sqlLt(fileUploads.createdAt, now - LIMITS.uploadTtlMs))
    .limit(200);
  for (const s of stale) {
    await env.FILES.resumeMultipartUpload(s.key, s.up)
      .abort()
      .catch(() => {});
    await forget(db, s.tenantId, s.id);
  }
  return stale.length;
}
