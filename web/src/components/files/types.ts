/**
 * Shapes of the files API (docs/files-api.md). Hand-written until the backend's routes are in the
 * OpenAPI document; then they come from lib/api-types.
 */
export interface FileItem {
  id: string;
  name: string;
  folder_id: string | null;
  size: number;
  content_type: string;
  sha256: string;
  tags: string[];
  public: boolean;
  status: "ready";
  uploaded_by: { id: string; name: string } | null;
  duplicate_of: string | null;
  created_at: string;
  updated_at: string;
  trashed_at: string | null;
  thumbnail_url: string | null;
  public_url: string | null;
}
export interface Folder {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: string;
}
export interface FilePage {
  data: FileItem[];
  next_cursor: string | null;
}
export interface LinkResult {
  url: string;
  expires_at: string;
}
export interface FilesUsage {
  storage_bytes: number;
  storage_limit: number | null;
  bandwidth_bytes: number;
  bandwidth_limit: number | null;
  files: number;
  trashed_files: number;
}
export interface MultipartUpload {
  upload_id: string;
  file_id: string;
  part_size: number;
  part_count: number;
}
export interface UploadPart {
  part_number: number;
  etag: string;
  size: number;
}
export interface UploadStatus {
  upload_id: string;
  file_id: string;
  name: string;
  size: number;
  part_size: number;
  parts: UploadPart[];
}
export type SortKey = "name" | "size" | "created_at";
export type BulkAction = "trash" | "restore" | "delete" | "move" | "tag" | "untag";
