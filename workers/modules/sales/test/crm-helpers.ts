import { exports } from "cloudflare:workers";
import { callJson, type TestUser } from "../../../../test/helpers";

/** Helpers of the crm tests: calls as a user, CSV uploads, waiting for an import to finish. */

export const as = (u: TestUser) => (method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, ip: u.ip, body });

/** POSTs a raw text/csv body (call() JSON-encodes bodies, so this builds the request itself). */
export async function postCsv(u: TestUser, csv: string) {
  const res = await exports.default.fetch("http://weft.test/api/v1/sales/imports?file_name=leads.csv", {
    method: "POST",
    headers: { "CF-Connecting-IP": u.ip, Authorization: `Bearer ${u.accessToken}`, "X-Tenant-ID": u.tenantId, "Content-Type": "text/csv" },
    body: csv,
  });
  const body: ReturnType<typeof JSON.parse> = await res.json();
  return { status: res.status, body };
}

/** Polls the import until it is done or failed (the queue consumer runs in the same runtime). */
export async function waitForImport(u: TestUser, id: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await as(u)("GET", `/api/v1/sales/imports/${id}`);
    if (r.body.status === "done" || r.body.status === "failed") return r.body;
    if (Date.now() > until) throw new Error(`import ${id} still ${r.body.status} (${r.body.processed_rows}/${r.body.total_rows})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
