/**
 * Requests for the Sales AI pages (sales, outreach, ai-safety). Their endpoints are built in the same
 * round as these pages (docs/sales.md), so they are called by path with the shapes in ./types rather
 * than through the generated `api()` keys: a page compiles before its endpoint lands in api-types.
 * Errors are the same ApiError (problem+json) as `api()`, with one refresh-and-retry on 401.
 */
import { ApiError } from "../../lib/api";
import { getAccessToken, getTenantId, hasRefreshToken, refreshTokens } from "../../lib/session";

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

type Query = Record<string, string | number | boolean | null | undefined | string[]>;

function url(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) {
      if (v.length) qs.set(k, v.join(","));
    } else qs.set(k, String(v));
  }
  const s = qs.toString();
  return `/api/v1${path}${s ? `?${s}` : ""}`;
}

async function fetchOnce(method: string, href: string, body: BodyInit | undefined, type: string | undefined) {
  const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
  const token = getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const tenant = getTenantId();
  if (tenant) headers["X-Tenant-ID"] = tenant;
  if (type) headers["Content-Type"] = type;
  try {
    return await fetch(href, { method, headers, body });
  } catch {
    throw new ApiError({ type: "about:blank", title: "Network error", status: 0, detail: "Could not reach the server." });
  }
}

/** A raw request (CSV download, file upload) with the session's token and workspace. */
export async function rawSales(method: string, path: string, opts: { query?: Query; body?: BodyInit; type?: string } = {}) {
  if (!getAccessToken() && hasRefreshToken()) await refreshTokens().catch(() => false);
  const href = url(path, opts.query);
  let res = await fetchOnce(method, href, opts.body, opts.type);
  if (res.status === 401 && hasRefreshToken() && (await refreshTokens().catch(() => false))) {
    res = await fetchOnce(method, href, opts.body, opts.type);
  }
  return res;
}

/** JSON in, JSON out: `call<Lead>("GET", "/sales/leads/lead_1")`. */
export async function call<T>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  opts: { query?: Query; body?: unknown } = {},
) {
  const res = await rawSales(method, path, {
    query: opts.query,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    type: opts.body === undefined ? undefined : "application/json",
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    throw new ApiError(
      data && typeof data === "object" && "title" in data
        ? (data as ApiError["problem"])
        : { type: "about:blank", title: res.statusText || "Request failed", status: res.status },
    );
  }
  return data as T;
}

/** True when the endpoint is not there yet (this round's parts are still building it). */
export const notBuilt = (e: unknown) => e instanceof ApiError && (e.status === 404 || e.status === 405) && !e.problem.detail;

/** Saves a CSV response as a file. */
export async function downloadCsv(path: string, query: Query, fileName: string) {
  const res = await rawSales("GET", path, { query });
  if (!res.ok) throw new ApiError({ type: "about:blank", title: `Export failed (${res.status})`, status: res.status });
  const blob = await res.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
