/** What every forwarding provider returns for one attempt at a batch, and the shared HTTP call. */
import { outboundFetch } from "../../messaging";

export interface AttemptResult {
  /** done: nothing left to send (some events may have been rejected); retry: try again later; permanent: stop. */
  outcome: "done" | "retry" | "permanent";
  /** Events accepted / rejected / left out (mapping rules) during this attempt. */
  sent: number;
  failed: number;
  skipped: number;
  /** Provider requests of the batch done so far (a retry resumes after them). */
  requestsDone: number;
  statusCode: number | null;
  error: string | null;
  retryAfterSeconds?: number | null;
  details: Record<string, unknown>;
}

export interface HttpAnswer {
  status: number;
  text: string;
  retryAfterSeconds: number | null;
}

const TIMEOUT_MS = 15_000;
const excerpt = (s: string, n = 1000) => (s.length > n ? `${s.slice(0, n)}…` : s);

function retryAfterOf(res: Response): number | null {
  const h = res.headers.get("Retry-After");
  if (!h) return null;
  const n = Number(h);
  if (Number.isFinite(n)) return Math.max(1, Math.min(3600, Math.ceil(n)));
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(1, Math.min(3600, Math.ceil((at - Date.now()) / 1000))) : null;
}

/** POSTs through messaging's outbound transport (tests route it to local fakes). Throws on network errors. */
export async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await outboundFetch(
    new Request(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "User-Agent": "Weft-Analytics-Forwarding/1.0",
        ...headers,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }),
  );
  return { status: res.status, text: excerpt(await res.text().catch(() => ""), 20_000), retryAfterSeconds: retryAfterOf(res) };
}

/** 429 and 5xx are worth retrying; any other 4xx is the provider refusing the request for good. */
export const isRetryable = (status: number) => status === 429 || status >= 500;

export const networkError = (provider: string, e: unknown) => `${provider}: request failed: ${e instanceof Error ? e.message : String(e)}`;

export function shortBody(text: string): string {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const msg = j.error ?? j.message ?? j.status;
    if (typeof msg === "string") return msg.slice(0, 300);
  } catch {
    /* not JSON */
  }
  return excerpt(text.trim(), 300);
}
