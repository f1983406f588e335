import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";

/** Helpers of the crmsync tests: calls as a user, an Enterprise workspace (CRM sync is an Enterprise feature), waiting for a run. */
export const as = (u: TestUser) => (method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, ip: u.ip, body });

export async function enterprise(): Promise<TestUser> {
  const u = await signUp();
  await subscribeViaSimulator(u, { plan: "enterprise", seats: 25 });
  return u;
}

/** Starts "Sync now" and polls the run until it has finished (the run goes on in the request's waitUntil). */
export async function syncNow(u: TestUser, connectionId: string, timeoutMs = 20_000) {
  const api = as(u);
  const start = await api("POST", `/api/v1/sales/integrations/${connectionId}/sync`);
  if (start.status !== 202) throw new Error(`sync: ${start.status} ${JSON.stringify(start.body)}`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await api("GET", `/api/v1/sales/integrations/runs/${start.body.id}`);
    if (!["queued", "running"].includes(r.body.status)) return r.body;
    if (Date.now() > until) throw new Error(`run ${start.body.id} still ${r.body.status} (${r.body.phase})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
