import { api } from "../../lib/api";
import type { BulkAction, SortKey } from "./types";

export interface ListQuery {
  folder_id?: string;
  q?: string;
  tag?: string;
  sort?: SortKey;
  order?: "asc" | "desc";
  trashed?: boolean;
  cursor?: string;
  limit?: number;
}

/** The JSON endpoints of the files API the page uses, typed from the OpenAPI document (uploads with progress are in client.ts). */
export const filesApi = {
  list: ({ trashed, ...query }: ListQuery) => api("GET /api/v1/files", { query: { ...query, trashed: trashed ? "true" : undefined } }),
  get: (id: string) => api("GET /api/v1/files/{id}", { params: { id } }),
  update: (id: string, body: { name?: string; folder_id?: string | null; tags?: string[]; public?: boolean }) =>
    api("PATCH /api/v1/files/{id}", { params: { id }, body }),
  trash: (id: string) => api("DELETE /api/v1/files/{id}", { params: { id } }),
  restore: (id: string) => api("POST /api/v1/files/{id}/restore", { params: { id } }),
  deleteForever: (id: string) => api("DELETE /api/v1/files/{id}", { params: { id }, query: { permanent: "true" } }),
  bulk: (body: { action: BulkAction; ids: string[]; folder_id?: string | null; tags?: string[] }) =>
    api("POST /api/v1/files/bulk", { body }),
  link: (id: string, body: { expires_in: number; disposition: "inline" | "attachment" }) =>
    api("POST /api/v1/files/{id}/links", { params: { id }, body }),
  usage: () => api("GET /api/v1/files/usage"),
  folders: (parentId: string | null) => api("GET /api/v1/files/folders", { query: { parent_id: parentId ?? undefined } }),
  folderPath: (id: string) => api("GET /api/v1/files/folders/{id}/path", { params: { id } }),
  createFolder: (body: { name: string; parent_id?: string | null }) => api("POST /api/v1/files/folders", { body }),
  updateFolder: (id: string, body: { name?: string; parent_id?: string | null }) =>
    api("PATCH /api/v1/files/folders/{id}", { params: { id }, body }),
  deleteFolder: (id: string, recursive = false) =>
    api("DELETE /api/v1/files/folders/{id}", { params: { id }, query: { recursive: recursive ? "true" : undefined } }),
  startUpload: (body: { name: string; size: number; folder_id?: string | null; tags?: string[] }) =>
    api("POST /api/v1/files/uploads", { body }),
  uploadStatus: (uploadId: string) => api("GET /api/v1/files/uploads/{upload_id}", { params: { upload_id: uploadId } }),
  completeUpload: (uploadId: string) => api("POST /api/v1/files/uploads/{upload_id}/complete", { params: { upload_id: uploadId } }),
  abortUpload: (uploadId: string) => api("DELETE /api/v1/files/uploads/{upload_id}", { params: { upload_id: uploadId } }),
};
