/**
 * Requests to the assistant engine (docs/automation.md, "Assistant"): JSON calls with the session's
 * token and workspace (one refresh-and-retry on 401, problem+json → ApiError like lib/api), and the
 * message stream, read from `fetch` as server-sent events.
 */
import { ApiError } from "../../lib/api";
import { getAccessToken, getTenantId, hasRefreshToken, refreshTokens } from "../../lib/session";
import type { ActionOutcome, AssistantLocale, Citation, ConversationSummary, StreamEvent, ToolKind, ToolStatus } from "./types";

const BASE = "/api/v1/assistant";

async function once(method: string, url: string, body: unknown, accept: string, signal?: AbortSignal) {
  const headers: Record<string, string> = { Accept: accept };
  const token = getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const tenant = getTenantId();
  if (tenant) headers["X-Tenant-ID"] = tenant;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError({ type: "about:blank", title: "Network error", status: 0, detail: "Could not reach the server." });
  }
}

async function request(
  method: string,
  path: string,
  body?: unknown,
  accept = "application/json, application/problem+json",
  signal?: AbortSignal,
) {
  if (!getAccessToken() && hasRefreshToken()) await refreshTokens().catch(() => false);
  const url = `${BASE}${path}`;
  let res = await once(method, url, body, accept, signal);
  if (res.status === 401 && hasRefreshToken() && (await refreshTokens().catch(() => false))) {
    res = await once(method, url, body, accept, signal);
  }
  if (!res.ok) throw await problem(res);
  return res;
}

async function problem(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  try {
    return new ApiError(JSON.parse(text));
  } catch {
    return new ApiError({ type: "about:blank", title: res.statusText || "Request failed", status: res.status });
  }
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A saved message as GET /conversations/{id} returns it. */
export interface SavedMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  locale: AssistantLocale;
  provider: string | null;
  model: string | null;
  local: boolean;
  created_at: string;
  tool_calls: {
    id: string;
    tool: string;
    method: string;
    path: string;
    kind: ToolKind;
    args: unknown;
    status: ToolStatus;
    http_status: number | null;
    summary: string;
  }[];
  citations: Citation[];
  actions: SavedAction[];
}
export interface SavedAction {
  id: string;
  tool: string;
  method: string;
  path: string;
  kind: "write" | "destructive";
  args: unknown;
  summary: string;
  confirm_phrase: string | null;
  status: "proposed" | "done" | "failed" | "cancelled" | "expired";
  http_status: number | null;
  result: unknown;
  expires_at: string;
}
export interface ConversationDetail extends ConversationSummary {
  messages: SavedMessage[];
}

export const assistantApi = {
  list: (q: string, cursor?: string | null) => {
    const qs = new URLSearchParams({ limit: "20" });
    if (q) qs.set("q", q);
    if (cursor) qs.set("cursor", cursor);
    return json<{ data: ConversationSummary[]; next_cursor: string | null }>("GET", `/conversations?${qs}`);
  },
  get: (id: string) => json<ConversationDetail>("GET", `/conversations/${encodeURIComponent(id)}`),
  create: (title?: string) => json<ConversationSummary>("POST", "/conversations", title ? { title } : {}),
  rename: (id: string, title: string) => json<ConversationSummary>("PATCH", `/conversations/${encodeURIComponent(id)}`, { title }),
  remove: (id: string) => json<void>("DELETE", `/conversations/${encodeURIComponent(id)}`),
  confirm: (actionId: string, typed?: string) =>
    json<ActionOutcome>("POST", `/actions/${encodeURIComponent(actionId)}/confirm`, typed === undefined ? {} : { typed }),
  cancel: (actionId: string) => json<unknown>("POST", `/actions/${encodeURIComponent(actionId)}/cancel`, {}),
};

/** POST a message and yield the reply's events as they arrive (SSE frames: `data: {json}` + blank line). */
export async function* sendMessage(
  conversationId: string,
  content: string,
  locale: AssistantLocale,
  signal?: AbortSignal,
): AsyncGenerator<StreamEvent> {
  const res = await request(
    "POST",
    `/conversations/${encodeURIComponent(conversationId)}/messages`,
    { content, locale },
    "text/event-stream, application/problem+json",
    signal,
  );
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value.replace(/\r\n/g, "\n");
    for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
      const event = parseFrame(buf.slice(0, i));
      buf = buf.slice(i + 2);
      if (event) yield event;
    }
  }
  const tail = parseFrame(buf);
  if (tail) yield tail;
}

function parseFrame(frame: string): StreamEvent | null {
  const data = frame
    .split("\n")
    .filter((l) => l.startsWith("data:"))
    .map((l) => l.slice(5).replace(/^ /, ""))
    .join("\n");
  if (!data) return null;
  try {
    return JSON.parse(data) as StreamEvent;
  } catch {
    return null;
  }
}
