import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { crmConnections, crmSyncRuns } from "../../../../schema/crm-sync";
import { callJson, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { sealCredentials } from "../adapters";

/**
 * Tenant-isolation cases for the integration hub (spread into CASES in tenant-isolation.test.ts).
 * A gets a HubSpot connection and a finished run, written directly (A's plan has no CRM sync);
 * B works through B's own workspace: A's ids answer 404 and A's rows stay as they were.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "zebrasync";
const db = getDb(env.DB);

let fixture: Promise<{ conn: string; run: string }> | null = null;
export function aCrmSync(w: AB) {
  fixture ??= (async () => {
    const t = w.a.tenantId;
    const now = Date.now();
    const conn = `crm_${MARK}${t.slice(-6)}`;
    const run = `crr_${MARK}${t.slice(-6)}`;
    await db.batch([
      db.insert(crmConnections).values({
        tenantId: t,
        id: conn,
        provider: "hubspot",
        authKind: "token",
        credentials: await sealCredentials(env, { access_token: `${MARK}-secret-token` }),
        credentialsHint: "…oken",
        accountLabel: `${MARK} portal`,
        direction: "two_way",
        conflictRule: "last_modified",
        intervalMinutes: null,
        leadMapping: [{ remote: "email", local: "email" }],
        dealMapping: [{ remote: "dealname", local: "name" }],
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(crmSyncRuns).values({
        tenantId: t,
        id: run,
        connectionId: conn,
        trigger: "manual",
        status: "succeeded",
        records: [{ kind: "error", entity: "lead", local_id: null, remote_id: "1", message: MARK }],
        createdAt: now,
      }),
    ]);
    return { conn, run };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noMark = (body: unknown) => expect(JSON.stringify(body)).not.toContain(MARK);
const aUnchanged = async (w: AB) => {
  const { conn } = await aCrmSync(w);
  const row = await db.select().from(crmConnections).where(eq(crmConnections.id, conn)).get();
  expect(row).toMatchObject({ tenantId: w.a.tenantId, direction: "two_way", intervalMinutes: null });
};

export const CRMSYNC_CASES: Record<string, Case> = {
  "GET /api/v1/sales/integrations": async (w) => {
    await aCrmSync(w);
    const r = await asB(w, "GET", "/api/v1/sales/integrations");
    expect(r.status).toBe(200);
    noMark(r.body);
  },
  "POST /api/v1/sales/integrations": async (w) => {
    await aCrmSync(w);
    const r = await asB(w, "POST", "/api/v1/sales/integrations", { provider: "hubspot", token: "pat-na1-b-token-000" });
    expect([402, 422]).toContain(r.status); // B's plan decides; never A's connection
    await aUnchanged(w);
  },
  "GET /api/v1/sales/integrations/runs/{id}": async (w) => {
    const { run } = await aCrmSync(w);
    expect((await asB(w, "GET", `/api/v1/sales/integrations/runs/${run}`)).status).toBe(404);
  },
  "GET /api/v1/sales/integrations/{provider}/authorize": async (w) => {
    await aCrmSync(w);
    const r = await asB(w, "GET", "/api/v1/sales/integrations/hubspot/authorize");
    expect([402, 409]).toContain(r.status);
    noMark(r.body);
  },
  "GET /api/v1/sales/integrations/{id}": async (w) => {
    const { conn } = await aCrmSync(w);
    expect((await asB(w, "GET", `/api/v1/sales/integrations/${conn}`)).status).toBe(404);
  },
  "PATCH /api/v1/sales/integrations/{id}": async (w) => {
    const { conn } = await aCrmSync(w);
    expect((await asB(w, "PATCH", `/api/v1/sales/integrations/${conn}`, { direction: "push", interval_minutes: 60 })).status).toBe(404);
    await aUnchanged(w);
  },
  "DELETE /api/v1/sales/integrations/{id}": async (w) => {
    const { conn } = await aCrmSync(w);
    expect((await asB(w, "DELETE", `/api/v1/sales/integrations/${conn}`)).status).toBe(404);
    await aUnchanged(w);
  },
  "POST /api/v1/sales/integrations/{id}/sync": async (w) => {
    const { conn } = await aCrmSync(w);
    expect((await asB(w, "POST", `/api/v1/sales/integrations/${conn}/sync`)).status).toBe(404);
    const runs = await db.select().from(crmSyncRuns).where(eq(crmSyncRuns.connectionId, conn));
    expect(runs).toHaveLength(1);
  },
  "GET /api/v1/sales/integrations/{id}/runs": async (w) => {
    const { conn } = await aCrmSync(w);
    expect((await asB(w, "GET", `/api/v1/sales/integrations/${conn}/runs`)).status).toBe(404);
  },
};
