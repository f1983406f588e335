import { callJson, signUp, type TestUser } from "../../../../test/helpers";

export const as = (u: TestUser, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, body, ip: u.ip });

let seq = 0;
export const uniq = () => `${Date.now().toString(36)}${++seq}`;

/** A workspace owner. */
export const owner = () => signUp({ workspace: "Forwarding" });

/** Sends events through the server API (→ analytics Queue → ingest consumer → forwarding Queue). */
export async function ingest(
  u: TestUser,
  events: { id?: string; name: string; distinct_id: string; ts?: number; props?: Record<string, unknown> }[],
) {
  const r = await as(u, "POST", "/api/v1/analytics/events", { events });
  if (r.status !== 202) throw new Error(`ingest: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function addDestination(u: TestUser, body: Record<string, unknown>) {
  const r = await as(u, "POST", "/api/v1/analytics/destinations", body);
  if (r.status !== 201) throw new Error(`create destination: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; [k: string]: unknown };
}

export async function deliveries(u: TestUser, id: string) {
  const r = await as(u, "GET", `/api/v1/analytics/destinations/${id}/deliveries?limit=100`);
  return r.body.data as {
    id: string;
    status: string;
    attempts: number;
    sent_count: number;
    failed_count: number;
    error: string | null;
    details: Record<string, unknown> & { renamed?: unknown; dropped?: unknown; queued?: { endpoint_id: string }[] };
  }[];
}

/** xs[i], failing the test when it is missing. */
export function at<T>(xs: readonly T[], i = 0): T {
  const v = xs[i];
  if (v === undefined) throw new Error(`expected an item at index ${i} of ${xs.length}`);
  return v;
}
