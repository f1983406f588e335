import type { Endpoints, Problem } from "./api-types";
import { getAccessToken, getTenantId, hasRefreshToken, refreshTokens } from "./session";

export type { Endpoints } from "./api-types";
export type Op = keyof Endpoints;
export type Res<K extends Op> = Endpoints[K]["response"];
export type Body<K extends Op> = Endpoints[K]["body"];

type Slot<T, N extends string> = [T] extends [undefined] ? { [P in N]?: undefined } : {} extends T ? { [P in N]?: T } : { [P in N]: T };

export type CallOptions<K extends Op> = Slot<Endpoints[K]["params"], "params"> &
  Slot<Endpoints[K]["query"], "query"> &
  Slot<Endpoints[K]["body"], "body"> & {
    /** Override the workspace (defaults to the one picked in the switcher). */
    tenantId?: string | null;
    /** Skip the Authorization header (public endpoints). */
    anonymous?: boolean;
    signal?: AbortSignal;
  };

/** A problem+json error from the API (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.status = problem.status;
    this.problem = problem;
  }
  /** Message for one field, from a validation problem. */
  field(path: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === path)?.message;
  }
}

function buildUrl(key: string, params?: Record<string, string>, query?: Record<string, unknown>): string {
  const path = key.slice(key.indexOf(" ") + 1).replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`Missing path parameter ${name}`);
    return encodeURIComponent(v);
  });
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

async function send(method: string, url: string, opts: CallOptions<Op>, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const tenant = opts.tenantId === undefined ? getTenantId() : opts.tenantId;
  if (tenant) headers["X-Tenant-ID"] = tenant;
  try {
    return await fetch(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      detail: "Could not reach the server. Check your connection and try again.",
    });
  }
}

/**
 * Typed call: `api("GET /api/v1/members", { query: { limit: 20 } })`. Keys and shapes come from
 * the generated OpenAPI types, so a changed endpoint is a compile error here.
 * A 401 triggers one refresh-and-retry.
 */
export async function api<K extends Op>(
  key: K,
  ...[opts]: {} extends CallOptions<K> ? [CallOptions<K>?] : [CallOptions<K>]
): Promise<Res<K>> {
  const o = (opts ?? {}) as CallOptions<Op>;
  const method = key.slice(0, key.indexOf(" "));
  const url = buildUrl(key, o.params as Record<string, string> | undefined, o.query as Record<string, unknown> | undefined);
  let token = o.anonymous ? null : getAccessToken();
  if (!o.anonymous && !token && hasRefreshToken()) {
    await refreshTokens().catch(() => false);
    token = getAccessToken();
  }
  let res = await send(method, url, o, token);
  if (res.status === 401 && !o.anonymous && hasRefreshToken()) {
    if (await refreshTokens().catch(() => false)) res = await send(method, url, o, getAccessToken());
  }
  if (res.status === 204 || (res.status === 202 && res.headers.get("Content-Length") === "0")) return undefined as Res<K>;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    throw new ApiError(
      data && typeof data === "object" && "title" in data
        ? (data as Problem)
        : { type: "about:blank", title: res.statusText || "Request failed", status: res.status },
    );
  }
  return data as Res<K>;
}

/** A human message for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.problem.detail || e.problem.title;
  if (e instanceof Error) return e.message;
  return "Something went wrong.";
}
