import { and, asc, eq, isNull } from "drizzle-orm";
import { fileFolders, files } from "../../../schema/files";
import { getDb, tenantScope, type Db } from "../../platform/db";
import { badRequest, notFound, Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { checkQuota, meter, quotaExceeded } from "../billing";
import { publishEventSafely } from "../webhooks";
import { LIMITS, type FilesEnv } from "./config";
import { scannerFor, type ScanVerdict } from "./scanner";
import { getPolicy, tooLarge, typeAllowed, typeNotAllowed } from "./settings.service";
import { claimedType, contradicts, sniffType } from "./sniff";

/**
 * Every way bytes become a file goes through here (small uploads, upload tickets, other modules;
 * multipart shares the checks): limits and quota before any byte is written, the type sniffed from
 * the first bytes, the malware scanner, then one streaming pass that writes R2 and hashes SHA-256.
 */
export type FileRow = typeof files.$inferSelect;

export const objectKey = (tenantId: string, fileId: string) => `tenant/${tenantId}/files/${fileId}/original`;
export const filePrefix = (tenantId: string, fileId: string) => `tenant/${tenantId}/files/${fileId}/`;

export const malware = (v: ScanVerdict) =>
  new Problem(
    422,
    "malware-detected",
    "File refused by the malware scanner",
    `The ${v.scanner} scanner flagged this file (${v.signature ?? "unknown"}).`,
    {
      scanner: v.scanner,
      signature: v.signature ?? null,
    },
  );
export const typeMismatch = (claimed: string, sniffed: string) =>
  new Problem(
    415,
    "type-mismatch",
    "File content does not match its type",
    `The file claims to be ${claimed} but its bytes are ${sniffed}.`,
    {
      claimed_type: claimed,
      content_type: sniffed,
    },
  );

export async function assertFolder(db: Db, tenantId: string, folderId: string | null | undefined): Promise<void> {
  if (!folderId) return;
  const f = await db
    .select({ id: fileFolders.id })
    .from(fileFolders)
    .where(tenantScope(db, tenantId).where(fileFolders, eq(fileFolders.id, folderId)))
    .get();
  if (!f) throw notFound("Folder");
}

/** 402 before anything is written when `bytes` more would exceed the plan's storage. */
export async function assertStorageQuota(env: FilesEnv, db: Db, tenantId: string, bytes: number, origin: string): Promise<void> {
  const q = await checkQuota(db, env.DB, tenantId, "storage_bytes", bytes);
  if (!q.allowed) throw quotaExceeded({ ...q, meter: "storage_bytes" }, bytes, origin);
}

export interface Head {
  head: Uint8Array;
  chunks: Uint8Array[];
  reader: ReadableStreamDefaultReader<Uint8Array>;
}
/** Reads up to `n` bytes from the front of a stream, keeping them for the write that follows. */
export async function readHead(body: ReadableStream<Uint8Array>, n: number = LIMITS.headBytes): Promise<Head> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let got = 0;
  while (got < n) {
    const r = await reader.read();
    if (r.done) break;
    chunks.push(r.value);
    got += r.value.byteLength;
  }
  const head = new Uint8Array(Math.min(got, n));
  let off = 0;
  for (const c of chunks) {
    if (off >= head.length) break;
    const take = c.subarray(0, head.length - off);
    head.set(take, off);
    off += take.length;
  }
  return { head, chunks, reader };
}

/** The whole stream again (the head's chunks, then the rest), with exactly `length` bytes or an error. */
export function replay(h: Head, length: number): ReadableStream<Uint8Array> {
  const queued = [...h.chunks];
  const source = new ReadableStream<Uint8Array>({
    async pull(ctl) {
      const next = queued.shift();
      if (next) return ctl.enqueue(next);
      const r = await h.reader.read();
      if (r.done) ctl.close();
      else ctl.enqueue(r.value);
    },
    cancel: (reason) => h.reader.cancel(reason),
  });
  return source.pipeThrough(new FixedLengthStream(length));
}

const lengthMismatch = () => badRequest("The body's length does not match its Content-Length (or the declared part size).");

/** Writes a stream to R2 while hashing it; returns the SHA-256 (hex). */
export async function putHashed(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>, contentType: string): Promise<string> {
  const [toR2, toHash] = body.tee();
  const digest = new crypto.DigestStream("SHA-256");
  const [, sum] = await Promise.all([
    bucket.put(key, toR2, { httpMetadata: { contentType } }),
    toHash.pipeTo(digest).then(() => digest.digest),
  ]).catch((e: unknown) => {
    throw /length|FixedLengthStream|too (?:few|many|long|short)/i.test(String(e)) ? lengthMismatch() : e;
  });
  return hex(sum);
}

export const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The oldest other live file of the workspace with these bytes. */
export async function duplicateOf(db: Db, tenantId: string, sha256: string, exceptId: string): Promise<string | null> {
  const rows = await db
    .select({ id: files.id })
    .from(files)
    .where(tenantScope(db, tenantId).where(files, eq(files.sha256, sha256), isNull(files.trashedAt), isNull(files.module)))
    .orderBy(asc(files.createdAt))
    .limit(2);
  return rows.find((r) => r.id !== exceptId)?.id ?? null;
}

/** After a file row exists: storage meter and the `file.uploaded` event. */
export async function afterStored(env: FilesEnv, db: Db, f: FileRow): Promise<void> {
  await Promise.all([meterStored(env, f), announce(env, db, f)]);
}
const meterStored = (env: FilesEnv, f: FileRow) =>
  meter(env, {
    tenantId: f.tenantId,
    meter: "storage_bytes",
    quantity: f.size,
    eventId: `file:${f.id}:stored`,
    userId: f.uploadedBy,
  });
async function announce(env: FilesEnv, db: Db, f: FileRow) {
  if (!f.module)
    await publishEventSafely(db, env.OUTBOX, {
      tenantId: f.tenantId,
      type: "file.uploaded",
      eventId: `evt_file_uploaded_${f.id}`,
      data: { file_id: f.id, name: f.name, size: f.size, content_type: f.contentType, sha256: f.sha256, folder_id: f.folderId },
    });
}

export interface IngestInput {
  tenantId: string;
  name: string;
  folderId?: string | null;
  tags?: string[];
  body: ReadableStream<Uint8Array>;
  length: number;
  /** The client's Content-Type header (checked against the bytes, never trusted). */
  declaredType?: string | null;
  uploadedBy?: string | null;
  module?: string | null;
  /** Narrower limits on top of the workspace's (upload tickets, modules, the small-upload cap). */
  allowedTypes?: string[];
  maxSize?: number;
  /** Origin for the 402's upgrade link. */
  origin: string;
}

/**
 * Bodies up to this size are read into memory in one native call and hashed before the write (the
 * SHA-256 blocklist then refuses before anything is stored); larger ones stream through R2 and
 * the hash in one pass (a Worker has 128 MB of memory).
 */
const BUFFER_MAX = 16 * 1024 * 1024;

export async function ingest(env: FilesEnv, input: IngestInput): Promise<FileRow> {
  const db = getDb(env.DB);
  if (input.length <= 0) throw badRequest("The file is empty.");
  // The checks that need no bytes, at once; the size limit answers first.
  const [policy, folderCheck, quotaCheck] = await Promise.allSettled([
    getPolicy(db, input.tenantId),
    assertFolder(db, input.tenantId, input.folderId),
    assertStorageQuota(env, db, input.tenantId, input.length, input.origin),
  ]);
  if (policy.status === "rejected") throw policy.reason;
  const max = Math.min(policy.value.maxFileSize, input.maxSize ?? Number.POSITIVE_INFINITY);
  if (input.length > max) throw tooLarge(input.length, max);
  if (folderCheck.status === "rejected") throw folderCheck.reason;
  if (quotaCheck.status === "rejected") throw quotaCheck.reason;

  const buffered = input.length <= BUFFER_MAX;
  let h: Head | null = null;
  let bytes: Uint8Array | null = null;
  if (buffered) {
    bytes = new Uint8Array(await new Response(input.body).arrayBuffer());
    if (bytes.byteLength !== input.length) throw lengthMismatch();
  } else h = await readHead(input.body);
  const head = bytes ? bytes.subarray(0, LIMITS.headBytes) : (h as Head).head;
  const type = await sniffType(head, input.name);
  const claimed = claimedType(input.declaredType, input.name);
  const refuse = async (p: Problem) => {
    await h?.reader.cancel().catch(() => {});
    throw p;
  };
  const allowed = policy.value.allowedTypes;
  if (claimed && contradicts(claimed, type)) return refuse(typeMismatch(claimed, type));
  if (!typeAllowed(allowed, type)) return refuse(typeNotAllowed(type, allowed));
  if (input.allowedTypes && !typeAllowed(input.allowedTypes, type)) return refuse(typeNotAllowed(type, input.allowedTypes));
  const scanner = scannerFor(env);
  const headVerdict = await scanner.scanHead(head);
  if (!headVerdict.clean) return refuse(malware(headVerdict));

  const id = newId("fil");
  const key = objectKey(input.tenantId, id);
  let sha256: string;
  if (bytes) {
    const whole = bytes;
    sha256 = hex(await crypto.subtle.digest("SHA-256", whole));
    const verdict = await scanner.scanStored({ sha256, size: input.length, read: async () => new Blob([whole]).stream() });
    if (!verdict.clean) throw malware(verdict);
    await env.FILES.put(key, whole, { httpMetadata: { contentType: type } });
  } else {
    sha256 = await putHashed(env.FILES, key, replay(h as Head, input.length), type);
    const verdict = await scanner.scanStored({ sha256, size: input.length, read: async () => (await env.FILES.get(key))?.body ?? null });
    if (!verdict.clean) {
      await env.FILES.delete(key);
      throw malware(verdict);
    }
  }
  const now = Date.now();
  const row: FileRow = {
    tenantId: input.tenantId,
    id,
    name: input.name,
    folderId: input.folderId ?? null,
    r2Key: key,
    size: input.length,
    contentType: type,
    sha256,
    tags: input.tags ?? [],
    public: false,
    status: "ready",
    uploadedBy: input.uploadedBy ?? null,
    module: input.module ?? null,
    duplicateOf: input.module ? null : await duplicateOf(db, input.tenantId, sha256, id),
    trashedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(files).values(row);
  await afterStored(env, db, row);
  return row;
}

/** Deletes a file's objects (the original and its cached variants). */
export async function deleteObjects(bucket: R2Bucket, tenantId: string, fileId: string): Promise<void> {
  const prefix = filePrefix(tenantId, fileId);
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor });
    if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

export const liveFile = (db: Db, tenantId: string, id: string) =>
  db
    .select()
    .from(files)
    .where(and(eq(files.tenantId, tenantId), eq(files.id, id)))
    .get();
