import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { files } from "../../../schema/files";
import { users } from "../../../schema/identity";
import { auditInsert, type Actor } from "../../platform/audit";
import { containsPattern, tenantScope, type Db } from "../../platform/db";
import { badRequest, conflict, notFound } from "../../platform/errors";
import { iso } from "../../platform/request";
import { meter } from "../billing";
import { publishEventSafely } from "../webhooks";
import { LIMITS, type FilesEnv } from "./config";
import { assertFolder, deleteObjects, type FileRow } from "./ingest";
import { publicUrl, signedUrl, thumbnailExpiry } from "./links";
import { isImageForVariants } from "./sniff";

/** The file manager's files: listing, search, changes, the trash and permanent deletion. */

export type FileWithUploader = FileRow & { uploaderName: string | null };

export async function serializeFile(env: FilesEnv, origin: string, f: FileWithUploader) {
  const thumb =
    !f.trashedAt && isImageForVariants(f.contentType)
      ? (
          await signedUrl(env, origin, f, {
            expiresIn: thumbnailExpiry(),
            variant: { w: 320, h: 320, fit: "cover", format: "webp" },
          })
        ).url
      : null;
  return {
    id: f.id,
    name: f.name,
    folder_id: f.folderId,
    size: f.size,
    content_type: f.contentType,
    sha256: f.sha256,
    tags: f.tags,
    public: f.public,
    status: f.status,
    uploaded_by: f.uploadedBy ? { id: f.uploadedBy, name: f.uploaderName ?? "" } : null,
    duplicate_of: f.duplicateOf,
    created_at: new Date(f.createdAt).toISOString(),
    updated_at: new Date(f.updatedAt).toISOString(),
    trashed_at: iso(f.trashedAt),
    thumbnail_url: thumb,
    public_url: f.public && !f.trashedAt ? publicUrl(origin, f) : null,
  };
}
export type FileJson = Awaited<ReturnType<typeof serializeFile>>;

// Listings may join the identity `users` table for display names (docs/engineering.md).
const withUploader = (db: Db) =>
  db.select({ f: files, uploaderName: users.name }).from(files).leftJoin(users, eq(users.id, files.uploadedBy));
const flat = (r: { f: FileRow; uploaderName: string | null }): FileWithUploader => ({ ...r.f, uploaderName: r.uploaderName });

/** A file manager file of the workspace (trashed ones too); 404 for other workspaces' and modules' files. */
export async function getFile(db: Db, tenantId: string, id: string): Promise<FileWithUploader> {
  const r = await withUploader(db)
    .where(tenantScope(db, tenantId).where(files, eq(files.id, id), isNull(files.module)))
    .get();
  if (!r) throw notFound("File");
  return flat(r);
}

export interface ListQuery {
  folder_id?: string;
  q?: string;
  tag?: string;
  sort?: "name" | "size" | "created_at";
  order?: "asc" | "desc";
  trashed?: boolean;
  cursor?: string;
  limit: number;
}

type SortKey = "name" | "size" | "created_at" | "trashed_at";
const sortCol = (k: SortKey) =>
  k === "name" ? sql`${files.name} collate nocase` : k === "size" ? files.size : k === "trashed_at" ? files.trashedAt : files.createdAt;
const keyOf = (f: FileRow, k: SortKey): string | number =>
  k === "name" ? f.name.toLowerCase() : k === "size" ? f.size : k === "trashed_at" ? (f.trashedAt ?? 0) : f.createdAt;

function encodeCursor(v: string | number, id: string) {
  return btoa(unescape(encodeURIComponent(JSON.stringify([v, id]))))
    .replace(/=+$/, "")
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
}
function decodeCursor(c: string): [string | number, string] {
  try {
    const v = JSON.parse(decodeURIComponent(escape(atob(c.replace(/-/g, "+").replace(/_/g, "/")))));
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === "string" || typeof v[0] === "number") && typeof v[1] === "string")
      return v as [string | number, string];
  } catch {}
  throw badRequest("The cursor is not valid; pass `next_cursor` from a previous page with the same sort and order.");
}

/** Keyset pagination over (sort column, id) in either direction. */
export async function listFiles(env: FilesEnv, db: Db, origin: string, tenantId: string, q: ListQuery) {
  const trashed = q.trashed ?? false;
  const sortKey: SortKey = q.sort ?? (trashed ? "trashed_at" : "created_at");
  const order = q.order ?? (q.sort === "name" ? "asc" : "desc");
  const col = sortCol(sortKey);
  const conds: (SQL | undefined)[] = [isNull(files.module), trashed ? isNotNull(files.trashedAt) : isNull(files.trashedAt)];
  const term = q.q?.trim();
  if (term) conds.push(sql`${files.name} like ${containsPattern(term)} escape '\\'`);
  else if (!trashed) conds.push(q.folder_id ? eq(files.folderId, q.folder_id) : isNull(files.folderId));
  if (q.tag) conds.push(sql`exists (select 1 from json_each(${files.tags}) where value = ${q.tag})`);
  if (q.cursor) {
    const [v, id] = decodeCursor(q.cursor);
    const cmp = order === "asc" ? gt : lt;
    conds.push(or(sql`${col} ${sql.raw(order === "asc" ? ">" : "<")} ${v}`, and(sql`${col} = ${v}`, cmp(files.id, id))));
  }
  const dir = order === "asc" ? asc : desc;
  const rows = await withUploader(db)
    .where(tenantScope(db, tenantId).where(files, ...conds))
    .orderBy(dir(col as never), dir(files.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit).map(flat);
  const last = page[page.length - 1];
  return {
    data: await Promise.all(page.map((f) => serializeFile(env, origin, f))),
    next_cursor: rows.length > q.limit && last ? encodeCursor(keyOf(last, sortKey), last.id) : null,
  };
}

const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]{0,39}$/u;
export function cleanTags(tags: string[]): string[] {
  const out = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  for (const t of out)
    if (!TAG.test(t))
      throw badRequest(`Tag "${t}" is not valid: letters, digits, space, _ . : - (at most 40).`, {
        errors: [{ path: "tags", message: "invalid tag" }],
      });
  if (out.length > 20) throw badRequest("At most 20 tags per file.", { errors: [{ path: "tags", message: "at most 20" }] });
  return out;
}

export interface FilePatch {
  name?: string;
  folder_id?: string | null;
  tags?: string[];
  public?: boolean;
}
export async function updateFile(db: Db, tenantId: string, id: string, p: FilePatch, actor: Actor): Promise<FileWithUploader> {
  const f = await getFile(db, tenantId, id);
  if (p.folder_id !== undefined) await assertFolder(db, tenantId, p.folder_id);
  const set: Partial<FileRow> = { updatedAt: Date.now() };
  if (p.name !== undefined) set.name = p.name;
  if (p.folder_id !== undefined) set.folderId = p.folder_id;
  if (p.tags !== undefined) set.tags = cleanTags(p.tags);
  if (p.public !== undefined) set.public = p.public;
  const update = db
    .update(files)
    .set(set)
    .where(tenantScope(db, tenantId).where(files, eq(files.id, id)));
  if (p.public !== undefined && p.public !== f.public)
    await db.batch([
      update,
      auditInsert(db, actor, {
        tenantId,
        action: "file.public_changed",
        target: { type: "file", id },
        metadata: { public: p.public, name: f.name },
      }),
    ]);
  else await update;
  return getFile(db, tenantId, id);
}

/** D1 binds at most 100 parameters per statement: id lists go in chunks. */
const CHUNK = 80;
async function inChunks(ids: string[], run: (chunk: string[]) => Promise<number>): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += CHUNK) n += await run(ids.slice(i, i + CHUNK));
  return n;
}

/** To the trash (idempotent). */
export async function trashFiles(db: Db, tenantId: string, ids: string[], actor: Actor): Promise<number> {
  if (ids.length > CHUNK) return inChunks(ids, (c) => trashFiles(db, tenantId, c, actor));
  if (!ids.length) return 0;
  const now = Date.now();
  const [res] = await db.batch([
    db
      .update(files)
      .set({ trashedAt: now, updatedAt: now })
      .where(tenantScope(db, tenantId).where(files, inArray(files.id, ids), isNull(files.trashedAt), isNull(files.module)))
      .returning({ id: files.id }),
    auditInsert(db, actor, {
      tenantId,
      action: "file.trashed",
      target: ids.length === 1 ? { type: "file", id: ids[0] as string } : undefined,
      metadata: { ids },
    }),
  ]);
  return res.length;
}

export async function restoreFiles(db: Db, tenantId: string, ids: string[], actor: Actor): Promise<number> {
  if (ids.length > CHUNK) return inChunks(ids, (c) => restoreFiles(db, tenantId, c, actor));
  if (!ids.length) return 0;
  const now = Date.now();
  // A file whose folder was deleted meanwhile comes back at the root.
  const [res] = await db.batch([
    db
      .update(files)
      .set({
        trashedAt: null,
        updatedAt: now,
        folderId: sql`case when ${files.folderId} in (select id from file_folders where tenant_id = ${tenantId}) then ${files.folderId} else null end`,
      })
      .where(tenantScope(db, tenantId).where(files, inArray(files.id, ids), isNotNull(files.trashedAt), isNull(files.module)))
      .returning({ id: files.id }),
    auditInsert(db, actor, {
      tenantId,
      action: "file.restored",
      target: ids.length === 1 ? { type: "file", id: ids[0] as string } : undefined,
      metadata: { ids },
    }),
  ]);
  return res.length;
}

/**
 * Deletes files for good: bytes and variants from R2, the rows, the storage they held (a negative
 * `storage_bytes` usage event) and a `file.deleted` event each. `onlyTrashed` guards the API path.
 */
export async function purgeFiles(
  env: FilesEnv,
  db: Db,
  tenantId: string,
  ids: string[],
  actor: Actor,
  onlyTrashed = true,
): Promise<number> {
  if (ids.length > CHUNK) return inChunks(ids, (c) => purgeFiles(env, db, tenantId, c, actor, onlyTrashed));
  if (!ids.length) return 0;
  const rows = await db
    .select()
    .from(files)
    .where(tenantScope(db, tenantId).where(files, inArray(files.id, ids), onlyTrashed ? isNotNull(files.trashedAt) : undefined));
  for (const f of rows) await deleteObjects(env.FILES, tenantId, f.id);
  if (!rows.length) return 0;
  const gone = rows.map((f) => f.id);
  await db.batch([
    db.delete(files).where(tenantScope(db, tenantId).where(files, inArray(files.id, gone))),
    db
      .update(files)
      .set({ duplicateOf: null })
      .where(tenantScope(db, tenantId).where(files, inArray(files.duplicateOf, gone))),
    ...rows.map((f) =>
      auditInsert(db, actor, {
        tenantId,
        action: "file.deleted",
        target: { type: "file", id: f.id },
        metadata: { name: f.name, size: f.size, sha256: f.sha256 },
      }),
    ),
  ]);
  for (const f of rows) {
    await meter(env, { tenantId, meter: "storage_bytes", quantity: -f.size, eventId: `file:${f.id}:deleted` });
    if (!f.module)
      await publishEventSafely(db, env.OUTBOX, {
        tenantId,
        type: "file.deleted",
        eventId: `evt_file_deleted_${f.id}`,
        data: { file_id: f.id, name: f.name, size: f.size },
      });
  }
  return rows.length;
}

export async function deleteFile(env: FilesEnv, db: Db, tenantId: string, id: string, permanent: boolean, actor: Actor): Promise<void> {
  const f = await getFile(db, tenantId, id);
  if (!permanent) {
    await trashFiles(db, tenantId, [id], actor);
    return;
  }
  if (!f.trashedAt) throw conflict("Only files in the trash can be deleted for good; move it to the trash first.", "not-in-trash");
  await purgeFiles(env, db, tenantId, [id], actor);
}

export interface BulkInput {
  action: "trash" | "restore" | "delete" | "move" | "tag" | "untag";
  ids: string[];
  folder_id?: string | null;
  tags?: string[];
}
export async function bulk(env: FilesEnv, db: Db, tenantId: string, b: BulkInput, actor: Actor): Promise<number> {
  const ids = [...new Set(b.ids)];
  if (ids.length > CHUNK) return inChunks(ids, (c) => bulk(env, db, tenantId, { ...b, ids: c }, actor));
  switch (b.action) {
    case "trash":
      return trashFiles(db, tenantId, ids, actor);
    case "restore":
      return restoreFiles(db, tenantId, ids, actor);
    case "delete":
      return purgeFiles(env, db, tenantId, ids, actor);
    case "move": {
      if (b.folder_id === undefined)
        throw badRequest("`folder_id` is required to move (null = the root).", { errors: [{ path: "folder_id", message: "required" }] });
      await assertFolder(db, tenantId, b.folder_id);
      const res = await db
        .update(files)
        .set({ folderId: b.folder_id, updatedAt: Date.now() })
        .where(tenantScope(db, tenantId).where(files, inArray(files.id, ids), isNull(files.trashedAt), isNull(files.module)))
        .returning({ id: files.id });
      return res.length;
    }
    case "tag":
    case "untag": {
      const tags = cleanTags(b.tags ?? []);
      if (!tags.length) throw badRequest("`tags` is required.", { errors: [{ path: "tags", message: "required" }] });
      const rows = await db
        .select({ id: files.id, tags: files.tags })
        .from(files)
        .where(tenantScope(db, tenantId).where(files, inArray(files.id, ids), isNull(files.module)));
      const now = Date.now();
      const updates = rows.map((r) => {
        const next = b.action === "tag" ? cleanTags([...r.tags, ...tags]) : r.tags.filter((t) => !tags.includes(t));
        return db
          .update(files)
          .set({ tags: next, updatedAt: now })
          .where(tenantScope(db, tenantId).where(files, eq(files.id, r.id)));
      });
      const [first, ...rest] = updates;
      if (first) await db.batch([first, ...rest]);
      return rows.length;
    }
  }
}

/** Counts for the usage endpoint. */
export async function fileCounts(db: Db, tenantId: string): Promise<{ files: number; trashed: number }> {
  const r = await db
    .select({
      live: sql<number>`sum(case when ${files.trashedAt} is null then 1 else 0 end)`,
      trashed: sql<number>`sum(case when ${files.trashedAt} is not null then 1 else 0 end)`,
    })
    .from(files)
    .where(tenantScope(db, tenantId).where(files, isNull(files.module)))
    .get();
  return { files: Number(r?.live ?? 0), trashed: Number(r?.trashed ?? 0) };
}

export const TRASH_MS = LIMITS.trashDays * 86_400_000;
