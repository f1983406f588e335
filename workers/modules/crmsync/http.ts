import { CrmAuthError, CrmHttpError } from "./types";

/**
 * Outbound HTTP to the CRMs. Production: the global fetch. Tests replace `current` with the
 * in-process fakes (test/fakes/*.ts; workerd tests cannot listen on a socket) and `sleep` with one
 * that records the wait, so the adapters' real requests run unchanged against the fakes.
 */
export const crmTransport: { current: typeof fetch; sleep: (ms: number) => Promise<void> } = {
  current: (input, init) => fetch(input, init),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

const NAMES = { hubspot: "HubSpot", salesforce: "Salesforce", pipedrive: "Pipedrive" } as const;
export const providerName = (p: keyof typeof NAMES) => NAMES[p];

/** 429 is retried (Retry-After seconds, capped) at most this many times; 5xx / network errors once. */
const MAX_RETRIES = 3;
const MAX_WAIT_MS = 30_000;
/** One call may take this long (a CRM that does not answer fails the call, not the whole Worker). */
const TIMEOUT_MS = 20_000;

function retryAfterMs(res: Response): number {
  const h = res.headers.get("Retry-After");
  const n = Number(h);
  if (h && Number.isFinite(n)) return Math.min(MAX_WAIT_MS, Math.max(0, n * 1000));
  const at = h ? Date.parse(h) : Number.NaN;
  return Number.isFinite(at) ? Math.min(MAX_WAIT_MS, Math.max(0, at - Date.now())) : 1000;
}

/** The provider's own error sentence from its JSON error shapes (HubSpot message, Salesforce [{message}], Pipedrive error). */
export function providerMessage(text: string): string {
  try {
    const b = JSON.parse(text) as unknown;
    const first = Array.isArray(b) ? (b[0] as Record<string, unknown>) : (b as Record<string, unknown>);
    const m = first?.message ?? first?.error ?? first?.error_description;
    if (typeof m === "string") return m.slice(0, 300);
  } catch {
    // not JSON
  }
  return text.slice(0, 300) || "no details";
}

export interface CrmCall {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown; // JSON-encoded unless a string (forms)
}

/** One provider call: JSON in and out, 429/5xx retried, 401/403 → CrmAuthError, other 4xx → CrmHttpError. */
export async function crmFetch<T>(provider: keyof typeof NAMES, url: string, call: CrmCall = {}): Promise<{ status: number; body: T }> {
  const name = NAMES[provider];
  const headers: Record<string, string> = { Accept: "application/json", ...call.headers };
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === "string" ? call.body : JSON.stringify(call.body);
    headers["Content-Type"] ??= typeof call.body === "string" ? "application/x-www-form-urlencoded" : "application/json";
  }
  let serverErrors = 0;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await crmTransport.current(url, { method: call.method ?? "GET", headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      if (serverErrors++ < 1) continue;
      throw new CrmHttpError(`${name}: network error: ${e instanceof Error ? e.message : String(e)}`, null);
    }
    const text = await res.text();
    if (res.ok) return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    if (res.status === 429 && attempt < MAX_RETRIES) {
      await crmTransport.sleep(retryAfterMs(res));
      continue;
    }
    if (res.status >= 500 && serverErrors++ < 1) continue;
    if (res.status === 401 || res.status === 403)
      throw new CrmAuthError(
        `${name} refused the credentials (HTTP ${res.status}: ${providerMessage(text)}). Reconnect with a new token or sign in again.`,
      );
    throw new CrmHttpError(`${name}: HTTP ${res.status}: ${providerMessage(text)}`, res.status);
  }
}
