import { ApiError } from "../../lib/api";
import { getAccessToken, getTenantId, hasRefreshToken, refreshTokens } from "../../lib/session";
import type { FileItem, Folder, LinkResult } from "./types";

/**
 * Calls of the files API that the typed `api()` client cannot make: raw-body uploads with
 * progress (XMLHttpRequest reports upload progress, fetch does not) and fetches of signed links.
 * Same auth, tenant header and problem+json errors as lib/api.
 */

async function token(): Promise<string | null> {
  let t = getAccessToken();
  if (!t && hasRefreshToken()) {
    await refreshTokens().catch(() => false);
    t = getAccessToken();
  }
  return t;
}

async function authHeaders(): Promise<Record<string, string>> {
  const h: Record<string, string> = { Accept: "application/json, application/problem+json" };
  const t = await token();
  if (t) h.Authorization = `Bearer ${t}`;
  const tenant = getTenantId();
  if (tenant) h["X-Tenant-ID"] = tenant;
  return h;
}

const networkError = (detail: string) => new ApiError({ type: "about:blank", title: "Network error", status: 0, detail });

/** Set on errors from a cancelled request, so callers can tell "cancelled" from "failed". */
export class Cancelled extends Error {
  constructor() {
    super("Cancelled");
    this.name = "Cancelled";
  }
}

export interface XhrHandle<T> {
  promise: Promise<T>;
  abort: () => void;
}

/** One XHR with a raw body and upload progress (bytes sent). Retries once after a 401 with fresh tokens. */
export function sendRaw<T>(method: string, url: string, body: Blob, onProgress: (sent: number) => void): XhrHandle<T> {
  let xhr: XMLHttpRequest | null = null;
  let aborted = false;
  const attempt = async (retried: boolean): Promise<T> => {
    const h = await authHeaders();
    if (aborted) throw new Cancelled();
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const x = new XMLHttpRequest();
      xhr = x;
      x.open(method, url);
      for (const [k, v] of Object.entries(h)) x.setRequestHeader(k, v);
      x.setRequestHeader("Content-Type", body.type || "application/octet-stream");
      x.upload.onprogress = (e) => onProgress(e.loaded);
      x.onload = () => resolve({ status: x.status, text: x.responseText });
      x.onerror = () => reject(networkError("The upload was interrupted."));
      x.onabort = () => reject(new Cancelled());
      x.send(body);
    });
    if (res.status === 401 && !retried && hasRefreshToken() && (await refreshTokens().catch(() => false))) return attempt(true);
    let data: unknown = null;
    try {
      data = res.text ? JSON.parse(res.text) : null;
    } catch {
      /* not JSON */
    }
    if (res.status < 200 || res.status >= 300) {
      throw new ApiError(
        data && typeof data === "object" && "title" in data
          ? (data as ApiError["problem"])
          : { type: "about:blank", title: "Upload failed", status: res.status },
      );
    }
    return data as T;
  };
  return {
    promise: attempt(false),
    abort: () => {
      aborted = true;
      xhr?.abort();
    },
  };
}

const qs = (o: Record<string, string | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v) p.set(k, v);
  return p.toString();
};

/** Small upload: the raw bytes in one request (the server sniffs the type from them). */
export function uploadSmall(
  file: Blob & { name: string },
  opts: { folderId: string | null; tags: string[] },
  onProgress: (sent: number) => void,
) {
  const url = `/api/v1/files?${qs({ name: file.name, folder_id: opts.folderId ?? undefined, tags: opts.tags.join(",") || undefined })}`;
  return sendRaw<FileItem>("POST", url, file, onProgress);
}

/** Bytes of a signed link, for text previews (first `max` bytes only, by a Range request). */
export async function fetchText(url: string, max = 64 * 1024, signal?: AbortSignal): Promise<{ text: string; truncated: boolean }> {
  const res = await fetch(url, { headers: { Range: `bytes=0-${max - 1}` }, signal });
  if (!res.ok) throw networkError(`The file could not be loaded (${res.status}).`);
  const buf = await res.arrayBuffer();
  const total = Number(res.headers.get("Content-Range")?.split("/")[1] ?? buf.byteLength);
  return { text: new TextDecoder().decode(buf.slice(0, max)), truncated: total > max || buf.byteLength > max };
}

export type { FileItem, Folder, LinkResult };
