import { ApiError } from "../../lib/api";
import { getAccessToken, getTenantId, hasRefreshToken, refreshTokens } from "../../lib/session";

/** Knowledge / AI endpoints (typed locally; same auth, tenant header and problem+json errors as lib/api). */
export interface Source {
  id: string;
  kind: "file" | "faq" | "url";
  title: string;
  collection: string;
  mime_type: string;
  url: string | null;
  size_bytes: number;
  status: "queued" | "indexing" | "ready" | "failed";
  progress: number;
  error: string | null;
  version: number;
  chunk_count: number;
  indexed_at: string | null;
  created_at: string;
  updated_at: string;
  faq?: { question: string; answer: string } | null;
}
export interface Retrieved {
  chunk_id: string;
  source_id: string;
  source_title: string;
  source_kind: string;
  source_url: string | null;
  collection: string;
  heading_path: string[];
  position: number;
  text: string;
  scores: { fts: number | null; fts_rank: number | null; vector: number | null; vector_rank: number | null; fused: number };
  relevance: number;
}
export interface SearchResult {
  data: Retrieved[];
  mode: string;
  embedder: { id: string; label: string; local: boolean };
  index: { backend: string; label: string; rebuilding: boolean; vector_leg: boolean };
  timings: { fts_ms: number; vector_ms: number; total_ms: number };
}
export interface IndexStatus {
  backend: string;
  backend_label: string;
  embedder: string;
  embedder_label: string;
  dimensions: number;
  local: boolean;
  recorded: { model: string; dimensions: number; generation: number } | null;
  rebuild_required: boolean;
  rebuilding: boolean;
  collections: { name: string; sources: number; chunks: number }[];
}
export interface Citation {
  n: number;
  chunk_id: string;
  source_id: string;
  source_title: string;
  heading_path: string[];
  url: string | null;
}
export type AskEvent =
  | { type: "token"; text: string }
  | ({ type: "citation" } & Citation)
  | {
      type: "done";
      provider: string;
      model: string;
      grounded: boolean;
      local: boolean;
      fallback: boolean;
      usage: { input_tokens: number; output_tokens: number };
    }
  | { type: "error"; code: string; message: string };
export type Provider = "openai" | "anthropic" | "workers-ai" | "local";
export interface AiSettings {
  chain: { provider: Provider; model: string }[];
  temperature: number;
  max_output_tokens: number;
  persona: string;
  redact_pii: boolean;
  timeout_ms: number;
  updated_at: string | null;
  providers: { provider: Provider; configured: boolean; key_source: string | null; local: boolean; default_model: string }[];
  keys: {
    provider: string;
    hint: string;
    base_url: string | null;
    last_tested_at: string | null;
    last_test_ok: boolean | null;
    last_test_error: string | null;
  }[];
  breakers: { provider: string; failures: number; open_until: string | null; last_error: string | null }[];
}
export interface AiUsage {
  days: number;
  totals: { calls: number; errors: number; fallbacks: number; input_tokens: number; output_tokens: number };
  daily: {
    day: string;
    provider: string;
    calls: number;
    errors: number;
    fallbacks: number;
    input_tokens: number;
    output_tokens: number;
    avg_latency_ms: number;
  }[];
}
export interface AiCall {
  id: string;
  operation: string;
  provider: string;
  model: string;
  status: "ok" | "error";
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  fallback: boolean;
  redactions: number;
  attempts: { provider: string; outcome: string; ms: number }[];
  error: string | null;
  created_at: string;
}

async function token(): Promise<string | null> {
  let t = getAccessToken();
  if (!t && hasRefreshToken()) {
    await refreshTokens().catch(() => false);
    t = getAccessToken();
  }
  return t;
}

async function headers(extra: Record<string, string> = {}) {
  const h: Record<string, string> = { Accept: "application/json, application/problem+json", ...extra };
  const t = await token();
  if (t) h.Authorization = `Bearer ${t}`;
  const tenant = getTenantId();
  if (tenant) h["X-Tenant-ID"] = tenant;
  return h;
}

async function problem(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  try {
    return new ApiError(JSON.parse(text));
  } catch {
    return new ApiError({ type: "about:blank", title: res.statusText || "Request failed", status: res.status });
  }
}

export async function kapi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const h = await headers(body !== undefined ? { "Content-Type": "application/json" } : {});
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      detail: "Could not reach the server. Check your connection and try again.",
    });
  }
  if (!res.ok) throw await problem(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Multipart upload with progress (XMLHttpRequest reports upload progress; fetch does not). */
export async function uploadFile(file: File, collection: string, onProgress: (pct: number) => void): Promise<Source> {
  const h = await headers();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/knowledge/sources/files");
    for (const [k, v] of Object.entries(h)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status === 201) resolve(body as Source);
      else reject(new ApiError((body as never) ?? { type: "about:blank", title: "Upload failed", status: xhr.status }));
    };
    xhr.onerror = () =>
      reject(new ApiError({ type: "about:blank", title: "Network error", status: 0, detail: "The upload was interrupted." }));
    const form = new FormData();
    form.append("file", file);
    form.append("collection", collection);
    xhr.send(form);
  });
}

/** POST /ai/ask as a stream of normalised events (server-sent events over fetch). */
export async function* ask(question: string, collection?: string, signal?: AbortSignal): AsyncGenerator<AskEvent> {
  const res = await fetch("/api/v1/ai/ask", {
    method: "POST",
    headers: await headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
    body: JSON.stringify({ question, collection: collection || undefined, stream: true }),
    signal,
  });
  if (!res.ok || !res.body) throw await problem(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let i: number;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = frame.split("\n").find((l) => l.startsWith("data: "));
      if (data) yield JSON.parse(data.slice(6)) as AskEvent;
    }
  }
}

export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
