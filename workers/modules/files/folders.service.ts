import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { fileFolders, files } from "../../../schema/files";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";

/** Folders of the file manager: a tree per workspace (names unique among siblings). */
export type FolderRow = typeof fileFolders.$inferSelect;
export const serializeFolder = (f: FolderRow) => ({
  id: f.id,
  name: f.name,
  parent_id: f.parentId,
  created_at: new Date(f.createdAt).toISOString(),
});

const MAX_DEPTH = 32;

export async function getFolder(db: Db, tenantId: string, id: string): Promise<FolderRow> {
  const f = await db
    .select()
    .from(fileFolders)
    .where(tenantScope(db, tenantId).where(fileFolders, eq(fileFolders.id, id)))
    .get();
  if (!f) throw notFound("Folder");
  return f;
}

export async function listFolders(db: Db, tenantId: string, parentId?: string): Promise<FolderRow[]> {
  if (parentId) await getFolder(db, tenantId, parentId);
  return db
    .select()
    .from(fileFolders)
    .where(tenantScope(db, tenantId).where(fileFolders, parentId ? eq(fileFolders.parentId, parentId) : isNull(fileFolders.parentId)))
    .orderBy(asc(sql`${fileFolders.name} collate nocase`))
    .limit(1000);
}

async function assertNameFree(db: Db, tenantId: string, parentId: string | null, name: string, exceptId?: string) {
  const same = await db
    .select({ id: fileFolders.id })
    .from(fileFolders)
    .where(
      tenantScope(db, tenantId).where(
        fileFolders,
        parentId ? eq(fileFolders.parentId, parentId) : isNull(fileFolders.parentId),
        sql`${fileFolders.name} = ${name} collate nocase`,
      ),
    );
  if (same.some((s) => s.id !== exceptId)) throw conflict(`A folder named "${name}" already exists here.`, "folder-exists");
}

/** Root first, ending with the folder itself. */
export async function folderPath(db: Db, tenantId: string, id: string): Promise<FolderRow[]> {
  const out: FolderRow[] = [];
  let cur: string | null = id;
  while (cur && out.length < MAX_DEPTH) {
    const f: FolderRow = await getFolder(db, tenantId, cur);
    out.unshift(f);
    cur = f.parentId;
  }
  return out;
}

export async function createFolder(db: Db, tenantId: string, name: string, parentId: string | null): Promise<FolderRow> {
  if (parentId) {
    const depth = (await folderPath(db, tenantId, parentId)).length;
    if (depth >= MAX_DEPTH) throw conflict(`Folders nest at most ${MAX_DEPTH} deep.`, "folder-too-deep");
  }
  await assertNameFree(db, tenantId, parentId, name);
  const now = Date.now();
  const row: FolderRow = { tenantId, id: newId("fld"), name, parentId, createdAt: now, updatedAt: now };
  await db.insert(fileFolders).values(row);
  return row;
}

export async function updateFolder(
  db: Db,
  tenantId: string,
  id: string,
  p: { name?: string; parent_id?: string | null },
): Promise<FolderRow> {
  const f = await getFolder(db, tenantId, id);
  const parentId = p.parent_id !== undefined ? p.parent_id : f.parentId;
  if (p.parent_id) {
    const path = await folderPath(db, tenantId, p.parent_id);
    if (path.some((x) => x.id === id)) throw conflict("A folder cannot move into itself or one of its subfolders.", "folder-cycle");
  }
  await assertNameFree(db, tenantId, parentId, p.name ?? f.name, id);
  await db
    .update(fileFolders)
    .set({ name: p.name ?? f.name, parentId, updatedAt: Date.now() })
    .where(tenantScope(db, tenantId).where(fileFolders, eq(fileFolders.id, id)));
  return getFolder(db, tenantId, id);
}

/** The folder and (recursive) its subfolders go; their files go to the trash. */
export async function deleteFolder(db: Db, tenantId: string, id: string, recursive: boolean, actor: Actor): Promise<void> {
  const root = await getFolder(db, tenantId, id);
  const ids = [root.id];
  for (let i = 0; i < ids.length; i++) {
    const kids = await db
      .select({ id: fileFolders.id })
      .from(fileFolders)
      .where(tenantScope(db, tenantId).where(fileFolders, eq(fileFolders.parentId, ids[i] as string)));
    if (kids.length && !recursive)
      throw conflict("This folder has subfolders; delete them first or pass ?recursive=true.", "folder-not-empty");
    ids.push(...kids.map((k) => k.id));
  }
  const now = Date.now();
  await db.batch([
    db
      .update(files)
      .set({ trashedAt: now, updatedAt: now })
      .where(and(tenantScope(db, tenantId).where(files, inArray(files.folderId, ids), isNull(files.trashedAt)))),
    db.delete(fileFolders).where(tenantScope(db, tenantId).where(fileFolders, inArray(fileFolders.id, ids))),
    auditInsert(db, actor, {
      tenantId,
      action: "folder.deleted",
      target: { type: "folder", id },
      metadata: { name: root.name, folders: ids.length },
    }),
  ]);
}
