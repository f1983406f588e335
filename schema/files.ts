import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const FILE_STATUSES = ["ready"] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/**
 * A stored file of a workspace (modules/files). The bytes live in R2 at `r2_key`
 * (`tenant/<tenant>/files/<file id>/original`); cached image variants sit beside it under
 * `tenant/<tenant>/files/<file id>/v/…` so a permanent delete removes the whole prefix.
 * `content_type` is sniffed from the bytes, never taken from the client. `module` names the module
 * that keeps the file through the files module's public entry (e.g. "surveys" for feedback
 * screenshots); those files are not shown in the file manager (null = a file manager file).
 * `trashed_at` set = in the trash; the daily cron purges files trashed more than 30 days ago.
 */
export const files = sqliteTable(
  "files",
  {
    tenantId: tenantId(),
    id: id(),
    name: text("name").notNull(),
    folderId: text("folder_id"),
    r2Key: text("r2_key").notNull(),
    size: integer("size").notNull(),
    contentType: text("content_type").notNull(),
    sha256: text("sha256").notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    public: integer("public", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: FILE_STATUSES }).notNull().default("ready"),
    uploadedBy: text("uploaded_by"), // user id; null for API keys, upload tickets and modules
    module: text("module"),
    duplicateOf: text("duplicate_of"), // the older file of this workspace with the same SHA-256
    trashedAt: timestamp("trashed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("files_tenant_folder_created_idx").on(t.tenantId, t.folderId, t.createdAt),
    index("files_tenant_folder_name_idx").on(t.tenantId, t.folderId, t.name),
    index("files_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("files_tenant_sha_idx").on(t.tenantId, t.sha256),
    index("files_tenant_trashed_idx").on(t.tenantId, t.trashedAt),
    // The one cross-tenant read: the daily purge of files trashed > 30 days ago (like
    // release_notes_due_idx). Partial, so it holds only trashed files.
    index("files_trash_due_idx").on(t.trashedAt).where(sql`trashed_at is not null`),
  ],
);

/** Folders of the file manager; `parent_id` null = at the root. */
export const fileFolders = sqliteTable(
  "file_folders",
  {
    tenantId: tenantId(),
    id: id(),
    name: text("name").notNull(),
    parentId: text("parent_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("file_folders_tenant_parent_name_idx").on(t.tenantId, t.parentId, t.name)],
);

/**
 * An R2 multipart upload in progress. The Workers R2 binding cannot list a multipart upload's
 * parts, so the parts stored so far are recorded in `file_upload_parts` (that is what a client
 * resumes from). `file_id` is reserved at creation and becomes the file's id on completion.
 * Rows older than 7 days are dropped by the daily cron (R2 aborts incomplete uploads after 7 days).
 */
export const fileUploads = sqliteTable(
  "file_uploads",
  {
    tenantId: tenantId(),
    id: id(),
    fileId: text("file_id").notNull(),
    r2Key: text("r2_key").notNull(),
    r2UploadId: text("r2_upload_id").notNull(),
    name: text("name").notNull(),
    size: integer("size").notNull(),
    partSize: integer("part_size").notNull(),
    partCount: integer("part_count").notNull(),
    folderId: text("folder_id"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    uploadedBy: text("uploaded_by"),
    /** The content type sniffed from part 1 (null until part 1 is stored). */
    contentType: text("content_type"),
    createdAt: createdAt(),
  },
  (t) => [index("file_uploads_tenant_created_idx").on(t.tenantId, t.createdAt)],
);

export const fileUploadParts = sqliteTable(
  "file_upload_parts",
  {
    tenantId: tenantId(),
    uploadId: text("upload_id").notNull(),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.uploadId, t.partNumber] })],
);

/** Per-workspace upload policy (no row = the defaults in modules/files/settings.service.ts). */
export const fileSettings = sqliteTable("file_settings", {
  tenantId: text("tenant_id").primaryKey(),
  allowedTypes: text("allowed_types", { mode: "json" }).$type<string[]>().notNull(),
  maxFileSize: integer("max_file_size").notNull(),
  updatedAt: updatedAt(),
});
