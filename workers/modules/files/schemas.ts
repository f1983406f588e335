import { z } from "@hono/zod-openapi";
import { LIMITS } from "./config";

const hasControl = (s: string) => Array.from(s).some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
export const fileName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine(
    (s) => !hasControl(s) && !/[\\/]/.test(s) && s !== "." && s !== "..",
    "must not contain slashes, control characters or be . / ..",
  );
const id = z.string().min(1).max(64);
const tags = z.array(z.string().max(40)).max(20);

export const fileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    folder_id: z.string().nullable(),
    size: z.number().int(),
    content_type: z.string().openapi({ description: "Sniffed from the bytes" }),
    sha256: z.string(),
    tags: z.array(z.string()),
    public: z.boolean(),
    status: z.enum(["ready"]),
    uploaded_by: z.object({ id: z.string(), name: z.string() }).nullable(),
    duplicate_of: z.string().nullable().openapi({ description: "The oldest other file of the workspace with the same SHA-256" }),
    created_at: z.string(),
    updated_at: z.string(),
    trashed_at: z.string().nullable(),
    thumbnail_url: z.string().nullable().openapi({ description: "Signed (~1 h) 320×320 WebP thumbnail, images only" }),
    public_url: z.string().nullable(),
  })
  .openapi("File");

export const folderSchema = z
  .object({ id: z.string(), name: z.string(), parent_id: z.string().nullable(), created_at: z.string() })
  .openapi("FileFolder");

export const listQuery = z.object({
  folder_id: id.optional(),
  q: z.string().max(200).optional().openapi({ description: "Name contains (every folder)" }),
  tag: z.string().max(40).optional(),
  sort: z.enum(["name", "size", "created_at"]).optional(),
  order: z.enum(["asc", "desc"]).optional(),
  trashed: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const smallUploadQuery = z.object({
  name: fileName,
  folder_id: id.optional(),
  tags: z.string().max(900).optional().openapi({ description: "Comma-separated" }),
});

export const patchInput = z
  .object({ name: fileName.optional(), folder_id: id.nullable().optional(), tags: tags.optional(), public: z.boolean().optional() })
  .openapi("UpdateFile");

export const bulkInput = z
  .object({
    action: z.enum(["trash", "restore", "delete", "move", "tag", "untag"]),
    ids: z.array(id).min(1).max(100),
    folder_id: id.nullable().optional(),
    tags: tags.optional(),
  })
  .openapi("FilesBulk");

export const folderInput = z.object({ name: fileName, parent_id: id.nullable().optional() }).openapi("CreateFileFolder");
export const folderPatch = z.object({ name: fileName.optional(), parent_id: id.nullable().optional() }).openapi("UpdateFileFolder");

export const createUploadInput = z
  .object({
    name: fileName,
    size: z.number().int().min(1).max(LIMITS.fileMax),
    folder_id: id.nullable().optional(),
    tags: tags.optional(),
    part_size: z.number().int().min(LIMITS.partMin).max(LIMITS.partMax).optional(),
  })
  .openapi("CreateMultipartUpload");
export const uploadCreatedSchema = z
  .object({ upload_id: z.string(), file_id: z.string(), part_size: z.number().int(), part_count: z.number().int() })
  .openapi("MultipartUploadCreated");
export const partSchema = z.object({ part_number: z.number().int(), etag: z.string(), size: z.number().int() }).openapi("UploadedPart");
export const uploadSchema = z
  .object({
    upload_id: z.string(),
    file_id: z.string(),
    name: z.string(),
    size: z.number().int(),
    part_size: z.number().int(),
    part_count: z.number().int(),
    parts: z.array(partSchema),
  })
  .openapi("MultipartUpload");

export const linkInput = z
  .object({
    expires_in: z.number().int().min(LIMITS.linkMinSeconds).max(LIMITS.linkMaxSeconds).default(3600),
    disposition: z.enum(["inline", "attachment"]).default("inline"),
  })
  .openapi("CreateFileLink");
export const linkSchema = z.object({ url: z.string(), expires_at: z.string() }).openapi("FileLink");

export const ticketInput = z
  .object({
    max_size: z.number().int().min(1).max(LIMITS.smallUploadMax),
    content_types: z
      .array(z.string().regex(/^(\*\/\*|[a-z0-9.+-]+\/(\*|[a-z0-9.+-]+))$/i, "a MIME type or pattern like image/*"))
      .min(1)
      .max(20),
    folder_id: id.nullable().optional(),
    expires_in: z.number().int().min(60).max(3600).default(900),
  })
  .openapi("CreateUploadTicket");
export const ticketSchema = z.object({ ticket: z.string(), expires_at: z.string() }).openapi("UploadTicket");

export const settingsSchema = z
  .object({
    allowed_types: z
      .array(z.string().regex(/^(\*\/\*|[a-z0-9.+-]+\/(\*|[a-z0-9.+-]+))$/i, "a MIME type or pattern like image/*"))
      .min(1)
      .max(50),
    max_file_size: z.number().int().min(1).max(LIMITS.fileMax),
  })
  .openapi("FileSettings");

export const usageSchema = z
  .object({
    storage_bytes: z.number(),
    storage_limit: z.number().nullable(),
    bandwidth_bytes: z.number(),
    bandwidth_limit: z.number().nullable(),
    files: z.number().int(),
    trashed_files: z.number().int(),
  })
  .openapi("FileUsage");

export const variantQuery = z.object({
  w: z.coerce.number().int().min(1).max(10_000).optional(),
  h: z.coerce.number().int().min(1).max(10_000).optional(),
  fit: z.enum(["cover", "contain", "scale-down"]).optional(),
  format: z.enum(["webp", "avif", "jpeg", "png"]).optional(),
  q: z.coerce.number().int().min(1).max(100).optional(),
});
export const signedQuery = variantQuery.extend({ exp: z.string().max(20), disp: z.string().max(20), sig: z.string().max(100) });

export const publicUploadQuery = z.object({ key: z.string().max(200), ticket: z.string().max(4096), name: fileName });
export const publicUploadSchema = z
  .object({ id: z.string(), name: z.string(), size: z.number().int(), content_type: z.string(), sha256: z.string() })
  .openapi("PublicUploadedFile");
