import { outboundFetch, retryAfterOf } from "../providers/http";

/**
 * Outbound HTTP for the list-sync providers, through messaging's transport (tests route it to
 * local fakes). 429 and 5xx/network errors are retried with exponential backoff (Retry-After
 * wins when the provider sends one); other 4xx are permanent and surface as `SyncHttpError`
 * with `permanent: true`; 401/403 mean the connection itself is broken (`auth: true`).
 */
export class SyncHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly body: string,
    readonly permanent: boolean,
    readonly auth = false,
  ) {
    super(message);
  }
}

export const RETRY = {
  attempts: 4,
  /** Backoff before retry n (1-based): base · 2^(n-1), capped. */
  baseMs: 500,
  maxMs: 30_000,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const excerpt = (s: string) => (s.length > 500 ? `${s.slice(0, 500)}…` : s);

export interface SyncResponse {
  status: number;
  text: string;
  json<T = unknown>(): T;
}

export async function syncRequest(provider: string, build: () => Request, timeoutMs = 30_000): Promise<SyncResponse> {
  let last: SyncHttpError | null = null;
  let retryAfterMs: number | null = null;
  for (let attempt = 1; attempt <= RETRY.attempts; attempt++) {
    if (attempt > 1) {
      const backoff = Math.min(RETRY.maxMs, RETRY.baseMs * 2 ** (attempt - 2));
      await sleep(retryAfterMs !== null ? Math.min(RETRY.maxMs, retryAfterMs) : backoff);
    }
    retryAfterMs = null;
    let res: Response;
    try {
      const req = build();
      res = await outboundFetch(new Request(req, { signal: AbortSignal.timeout(timeoutMs) }));
    } catch (e) {
      last = new SyncHttpError(`${provider}: network error: ${e instanceof Error ? e.message : String(e)}`, null, "", false);
      continue;
    }
    const text = await res.text().catch(() => "");
    if (res.ok)
      return {
        status: res.status,
        text,
        json: <T>() => (text ? (JSON.parse(text) as T) : ({} as T)),
      };
    if (res.status === 429) {
      const s = retryAfterOf(res);
      retryAfterMs = s === null ? null : s * 1000;
      last = new SyncHttpError(`${provider}: rate limited (429)`, 429, excerpt(text), false);
      continue;
    }
    if (res.status >= 500 || res.status === 408) {
      last = new SyncHttpError(`${provider}: HTTP ${res.status}`, res.status, excerpt(text), false);
      continue;
    }
    const auth = res.status === 401 || res.status === 403;
    throw new SyncHttpError(
      auth ? `${provider}: the API key was refused (HTTP ${res.status})` : `${provider}: HTTP ${res.status}: ${providerMessage(text)}`,
      res.status,
      excerpt(text),
      true,
      auth,
    );
  }
  throw new SyncHttpError(`${last?.message ?? provider} after ${RETRY.attempts} attempts`, last?.status ?? null, last?.body ?? "", false);
}

/** The provider's own error sentence, from its JSON error shapes (Mailchimp problem, SendGrid errors[], Kit errors[]). */
export function providerMessage(text: string): string {
  try {
    const b = JSON.parse(text) as {
      detail?: string;
      title?: string;
      errors?: ({ message?: string; field?: string } | string)[];
      message?: string;
    };
    if (b.detail) return b.detail;
    if (Array.isArray(b.errors) && b.errors.length)
      return b.errors
        .map((e) => (typeof e === "string" ? e : [e.field, e.message].filter(Boolean).join(": ")))
        .join("; ")
        .slice(0, 300);
    if (b.message) return b.message;
    if (b.title) return b.title;
  } catch {
    // not JSON
  }
  return text.slice(0, 300) || "no details";
}

/** Runs `fn` over `items` with at most `limit` in flight (providers cap concurrent connections). */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
