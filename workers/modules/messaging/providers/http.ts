/**
 * Outbound HTTP for provider adapters. Production uses the runtime's fetch. The test suite
 * routes this transport to local fake provider servers (modules/messaging/test/fake-providers) that check each
 * request the way the real provider would (auth header, body format) — the adapters' URLs,
 * headers and bodies are exactly what production sends.
 */
export type Transport = (req: Request) => Promise<Response>;
const defaultTransport: Transport = (req) => fetch(req);
let transport: Transport = defaultTransport;

export function outboundFetch(req: Request): Promise<Response> {
  return transport(req);
}

/** For tests and the local benchmark only: route provider traffic to a fake server. */
export function setTransport(t: Transport | null): void {
  transport = t ?? defaultTransport;
}

/**
 * How a provider failure should be handled:
 * - `rate_limited`: try the next provider now; otherwise wait `retryAfterSeconds`.
 * - `provider`: the provider is failing (5xx, network, bad credentials): fail over, retry later.
 * - `rejected`: the provider refused this message (bad recipient, invalid content): don't retry.
 */
export type FailureKind = "rate_limited" | "provider" | "rejected";

export class ProviderError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status: number | null = null,
    readonly response: string | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

export interface SendResult {
  providerMessageId: string;
  status: number;
  response: string;
}

const excerpt = (s: string) => (s.length > 2000 ? `${s.slice(0, 2000)}…` : s);

export function retryAfterOf(res: Response): number | null {
  const h = res.headers.get("Retry-After") ?? res.headers.get("ratelimit-reset") ?? res.headers.get("X-RateLimit-Reset");
  if (!h) return null;
  const n = Number(h);
  if (Number.isFinite(n)) return Math.max(1, Math.min(3600, Math.ceil(n)));
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(1, Math.ceil((at - Date.now()) / 1000)) : null;
}

/** Sends and reads the answer, turning network errors and non-2xx answers into ProviderErrors. */
export async function call(provider: string, req: Request, timeoutMs = 15_000): Promise<{ res: Response; text: string }> {
  let res: Response;
  try {
    res = await outboundFetch(new Request(req, { signal: AbortSignal.timeout(timeoutMs) }));
  } catch (e) {
    throw new ProviderError("provider", `${provider}: network error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const text = excerpt(await res.text().catch(() => ""));
  if (res.ok) return { res, text };
  if (res.status === 429) throw new ProviderError("rate_limited", `${provider}: rate limited (429)`, 429, text, retryAfterOf(res));
  if (res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 408) {
    throw new ProviderError("provider", `${provider}: HTTP ${res.status}`, res.status, text);
  }
  throw new ProviderError("rejected", `${provider}: rejected (HTTP ${res.status}): ${text.slice(0, 300)}`, res.status, text);
}

/** "Name <addr@x>" → { name, email }. */
export function parseAddress(value: string): { email: string; name?: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  if (m) return m[1] ? { name: m[1].replace(/^"|"$/g, ""), email: m[2]! } : { email: m[2]! };
  return { email: value.trim() };
}
