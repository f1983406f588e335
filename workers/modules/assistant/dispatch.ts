import type { StoredCitation } from "../../../schema/assistant";
import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import type { Env } from "../../platform/env";
import { internalDispatch } from "../../platform/internal-dispatch";
import type { Tool } from "./tools";

/** The caller's credentials, copied onto every tool request: the route sees the same person. */
export interface Caller {
  env: Env;
  exec?: ExecutionContext;
  origin: string;
  authorization: string;
  tenantId: string;
  forwarded: Record<string, string>; // CF-Connecting-IP, User-Agent: the audit rows show the real client
}

export function callerOf(c: Context<AppEnv>, tenantId: string): Caller {
  let exec: ExecutionContext | undefined;
  try {
    exec = c.executionCtx as unknown as ExecutionContext;
  } catch {
    exec = undefined; // tests call without an execution context
  }
  const forwarded: Record<string, string> = {};
  for (const h of ["CF-Connecting-IP", "User-Agent", "X-Forwarded-For"]) {
    const v = c.req.header(h);
    if (v) forwarded[h] = v;
  }
  return { env: c.env, exec, origin: new URL(c.req.url).origin, authorization: c.req.header("Authorization") ?? "", tenantId, forwarded };
}

/** Fills the path template; the rest of the arguments go to the query (GET/DELETE) or the JSON body. */
export function buildRequest(tool: Tool, args: Record<string, unknown>) {
  let path = tool.path;
  const rest: Record<string, unknown> = { ...args };
  for (const p of tool.pathParams) {
    const v = rest[p];
    delete rest[p];
    path = path.replace(`{${p}}`, encodeURIComponent(v === undefined || v === null ? "" : String(v)));
  }
  const query = new URLSearchParams();
  for (const p of tool.queryParams) {
    const v = rest[p];
    delete rest[p];
    if (v !== undefined && v !== null && v !== "") query.set(p, String(v));
  }
  const qs = query.toString();
  const withBody = tool.method !== "GET" && tool.method !== "DELETE";
  return { path: qs ? `${path}?${qs}` : path, body: withBody ? rest : undefined };
}

export async function dispatchTool(caller: Caller, tool: Tool, args: Record<string, unknown>) {
  const { path, body } = buildRequest(tool, args);
  const headers = new Headers({ Authorization: caller.authorization, "X-Tenant-ID": caller.tenantId, ...caller.forwarded });
  if (body !== undefined) headers.set("Content-Type", "application/json");
  const res = await internalDispatch(
    new Request(new URL(path, caller.origin), {
      method: tool.method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    caller.env,
    caller.exec,
  );
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { text: text.slice(0, 500) };
  }
  return { status: res.status, path, body: json };
}

// The dashboard page that shows a record of an API collection (the citation's link).
const SPA_PAGES: [RegExp, (id: string) => string][] = [
  [/^\/api\/v1\/commerce\/orders/, (id) => `/commerce/orders/${id}`],
  [/^\/api\/v1\/commerce\/products/, (id) => `/commerce/products/${id}`],
  [/^\/api\/v1\/releases/, (id) => `/releases/${id}`],
  [/^\/api\/v1\/leads/, (id) => `/sales/leads/${id}`],
  [/^\/api\/v1\/workflows/, (id) => `/workflows/${id}`],
  [/^\/api\/v1\/(invitations|members)/, () => "/team"],
];

function typeOf(path: string): string {
  const seg = path.replace(/^\/api\/v1\//, "").split(/[/?]/)[0] ?? "record";
  return seg.endsWith("s") ? seg.slice(0, -1) : seg;
}

function labelOf(r: Record<string, unknown>): string {
  const number = r.number ?? r.order_number;
  for (const v of [number !== undefined ? `#${number}` : undefined, r.name, r.title, r.email, r.subject, r.id])
    if (typeof v === "string" && v) return v.slice(0, 120);
  return "record";
}

export function hrefFor(path: string, id: string): string {
  for (const [re, f] of SPA_PAGES) if (re.test(path)) return f(id);
  return `/${path.replace(/^\/api\/v1\//, "").split(/[/?]/)[0] ?? ""}`;
}

/** The records a tool answer rests on (up to 10), with their dashboard links. */
export function citationsOf(path: string, body: unknown): StoredCitation[] {
  const items = Array.isArray((body as { data?: unknown })?.data)
    ? ((body as { data: unknown[] }).data as Record<string, unknown>[])
    : body && typeof body === "object" && "id" in body
      ? [body as Record<string, unknown>]
      : [];
  const idOf = (r: Record<string, unknown>) => (typeof r.id === "string" ? r.id : typeof r.user_id === "string" ? r.user_id : null);
  return items
    .filter((r) => r && idOf(r))
    .slice(0, 10)
    .map((r) => ({ type: typeOf(path), id: idOf(r) as string, label: labelOf(r), href: hrefFor(path, idOf(r) as string) }));
}

/** A line for the stream and the transcript (never the whole body). */
export function summarize(status: number, body: unknown): string {
  if (status >= 400) {
    const p = body as { title?: string; detail?: string };
    return `HTTP ${status}: ${p?.detail ?? p?.title ?? "failed"}`.slice(0, 300);
  }
  const data = (body as { data?: unknown[]; next_cursor?: string | null })?.data;
  if (Array.isArray(data)) return `${data.length}${(body as { next_cursor?: string | null }).next_cursor ? "+" : ""} record(s)`;
  if (body && typeof body === "object" && "id" in body) return `${typeOf("")} ${labelOf(body as Record<string, unknown>)}`.trim();
  return `HTTP ${status}`;
}
