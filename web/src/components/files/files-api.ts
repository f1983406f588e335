import { ApiError } from "../../lib/api";
import { getAccessToken, getTenantId, hasRefreshToken, refreshTokens } from "../../lib/session";
import type {
  BulkAction,
  FileItem,
  FilePage,
  FilesUsage,
  Folder,
  LinkResult,
  MultipartUpload,
  SortKey,
  UploadPart,
  UploadStatus,
} from "./types";

async function call<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  let t = getAccessToken();
  if (!t && hasRefreshToken()) {
    await refreshTokens().catch(() => false);
    t = getAccessToken();
  }
  const h: Record<string, string> = { Accept: "application/json, application/problem+json" };
  if (t) h.Authorization = `Bearer ${t}`;
  const tenant = getTenantId();
  if (tenant) h["X-Tenant-ID"] = tenant;
  if (body !== undefined) h["Content-Type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(`/api/v1/files${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      detail: "Could not reach the server. Check your connection and try again.",
    });
  }
  if (res.status === 401 && !retried && hasRefreshToken() && (await refreshTokens().catch(() => false)))
    return call(method, path, body, true);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok)
    throw new ApiError(data?.title ? data : { type: "about:blank", title: res.statusText || "Request failed", status: res.status });
  return data as T;
}

const qs = (o: Record<string, string | number | boolean | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};

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

/** The files endpoints the page uses (contract: docs/files-api.md). */
export const filesApi = {
  list: (query: ListQuery) => call<FilePage>("GET", qs({ ...query })),
  get: (id: string) => call<FileItem>("GET", `/${encodeURIComponent(id)}`),
  update: (id: string, body: { name?: string; folder_id?: string | null; tags?: string[]; public?: boolean }) =>
    call<FileItem>("PATCH", `/${encodeURIComponent(id)}`, body),
  trash: (id: string) => call<void>("DELETE", `/${encodeURIComponent(id)}`),
  restore: (id: string) => call<FileItem>("POST", `/${encodeURIComponent(id)}/restore`),
  deleteForever: (id: string) => call<void>("DELETE", `/${encodeURIComponent(id)}?permanent=true`),
  bulk: (body: { action: BulkAction; ids: string[]; folder_id?: string | null; tags?: string[] }) =>
    call<{ updated: number }>("POST", "/bulk", body),
  link: (id: string, body: { expires_in: number; disposition: "inline" | "attachment" }) =>
    call<LinkResult>("POST", `/${encodeURIComponent(id)}/links`, body),
  usage: () => call<FilesUsage>("GET", "/usage"),
  folders: (parentId: string | null) => call<{ data: Folder[] }>("GET", `/folders${qs({ parent_id: parentId })}`),
  folderPath: (id: string) => call<{ data: Folder[] }>("GET", `/folders/${encodeURIComponent(id)}/path`),
  createFolder: (body: { name: string; parent_id?: string | null }) => call<Folder>("POST", "/folders", body),
  updateFolder: (id: string, body: { name?: string; parent_id?: string | null }) =>
    call<Folder>("PATCH", `/folders/${encodeURIComponent(id)}`, body),
  deleteFolder: (id: string, recursive = false) =>
    call<void>("DELETE", `/folders/${encodeURIComponent(id)}${recursive ? "?recursive=true" : ""}`),
  startUpload: (body: { name: string; size: number; folder_id?: string | null; tags?: string[] }) =>
    call<MultipartUpload>("POST", "/uploads", body),
  uploadStatus: (uploadId: string) => call<UploadStatus>("GET", `/uploads/${encodeURIComponent(uploadId)}`),
  completeUpload: (uploadId: string) => call<FileItem>("POST", `/uploads/${encodeURIComponent(uploadId)}/complete`),
  abortUpload: (uploadId: string) => call<void>("DELETE", `/uploads/${encodeURIComponent(uploadId)}`),
};

export type { UploadPart };
