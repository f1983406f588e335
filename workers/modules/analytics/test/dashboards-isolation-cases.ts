import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";

/**
 * Tenant-isolation cases for saved dashboards, spread into CASES in tenant-isolation.test.ts: A saves
 * a dashboard; B, through its own workspace, gets 404 for its id and never sees it in a list.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "A-only dashboard walrus";

let fixture: Promise<string> | null = null;
export function aDashboard(w: AB): Promise<string> {
  fixture ??= (async () => {
    const r = await callJson("/api/v1/analytics/dashboards", {
      token: w.a.accessToken,
      tenant: w.a.tenantId,
      ip: w.a.ip,
      body: {
        name: MARK,
        charts: [{ title: "Views", query: { kind: "trends", event: "$pageview" }, chart: "line" }],
      },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });

export const DASHBOARDS_CASES: Record<string, Case> = {
  "GET /api/v1/analytics/dashboard-gallery": async (w) => {
    expect((await asB(w, "GET", "/api/v1/analytics/dashboard-gallery")).status).toBe(200);
  },
  "GET /api/v1/analytics/dashboards": async (w) => {
    await aDashboard(w);
    const r = await asB(w, "GET", "/api/v1/analytics/dashboards?limit=100");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(MARK);
  },
  "POST /api/v1/analytics/dashboards": async (w) => {
    const r = await asB(w, "POST", "/api/v1/analytics/dashboards", { name: "B's", charts: [] });
    expect(r.status).toBe(201); // lands in B's workspace
  },
  "GET /api/v1/analytics/dashboards/{id}": async (w) => {
    expect((await asB(w, "GET", `/api/v1/analytics/dashboards/${await aDashboard(w)}`)).status).toBe(404);
  },
  "PATCH /api/v1/analytics/dashboards/{id}": async (w) => {
    expect((await asB(w, "PATCH", `/api/v1/analytics/dashboards/${await aDashboard(w)}`, { name: "stolen" })).status).toBe(404);
  },
  "DELETE /api/v1/analytics/dashboards/{id}": async (w) => {
    const id = await aDashboard(w);
    expect((await asB(w, "DELETE", `/api/v1/analytics/dashboards/${id}`)).status).toBe(404);
    const still = await callJson(`/api/v1/analytics/dashboards/${id}`, { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(still.body.name).toBe(MARK);
  },
};
