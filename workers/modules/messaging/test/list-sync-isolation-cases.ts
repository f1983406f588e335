import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { listSyncRuns } from "../../../../schema/list-sync";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { callJson, type TestUser } from "../../../../test/helpers";

/**
 * Tenant-isolation cases for the email-list sync routes (spread into MESSAGING_CASES). A's
 * connection is created through the API; its run row is written directly (a queued run would
 * call the provider).
 */
interface World {
  a: TestUser;
  b: TestUser;
}
type Case = (w: World) => Promise<void>;
interface ASync {
  listId: string;
  connectionId: string;
  runId: string;
  bListId: string;
}
const asB = (w: World, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });

export function listSyncCases(aList: (w: World) => Promise<{ listId: string }>): Record<string, Case> {
  let data: Promise<ASync> | null = null;
  const a = (w: World) =>
    (data ??= (async () => {
      const { listId } = await aList(w);
      const conn = await callJson(`/api/v1/email-lists/${listId}/sync/connections`, {
        token: w.a.accessToken,
        tenant: w.a.tenantId,
        body: { provider: "mailchimp", api_key: "0123456789abcdef0123456789abcdef-us21", remote_list_id: "aonly123", schedule: "off" },
      });
      if (conn.status !== 201) throw new Error(`connection: ${conn.status} ${JSON.stringify(conn.body)}`);
      const runId = newId("lsr");
      await getDb(env.DB)
        .insert(listSyncRuns)
        .values({
          tenantId: w.a.tenantId,
          id: runId,
          connectionId: conn.body.id,
          listId,
          trigger: "manual",
          mode: "full",
          status: "succeeded",
          errors: [{ email: "a-secret@a.test", status: 400, error: "A only" }],
          createdAt: Date.now(),
        });
      const bList = await asB(w, "POST", "/api/v1/email-lists", { name: "B sync list" });
      return { listId, connectionId: conn.body.id as string, runId, bListId: bList.body.id as string };
    })());
  const expect404 = async (w: World, method: string, path: string, body?: unknown) =>
    expect((await asB(w, method, path, body)).status, `${method} ${path}`).toBe(404);
  return {
    "GET /api/v1/email-lists/{id}/sync/connections": async (w) => {
      const d = await a(w);
      await expect404(w, "GET", `/api/v1/email-lists/${d.listId}/sync/connections`);
      const own = await asB(w, "GET", `/api/v1/email-lists/${d.bListId}/sync/connections`);
      expect(own.status).toBe(200);
      expect(JSON.stringify(own.body)).not.toContain(d.connectionId);
    },
    "POST /api/v1/email-lists/{id}/sync/connections": async (w) =>
      expect404(w, "POST", `/api/v1/email-lists/${(await a(w)).listId}/sync/connections`, {
        provider: "kit",
        api_key: "kit_b_key_123456",
        remote_list_id: "123",
      }),
    "PATCH /api/v1/email-lists/{id}/sync/connections/{connectionId}": async (w) => {
      const d = await a(w);
      await expect404(w, "PATCH", `/api/v1/email-lists/${d.listId}/sync/connections/${d.connectionId}`, { schedule: "hourly" });
      await expect404(w, "PATCH", `/api/v1/email-lists/${d.bListId}/sync/connections/${d.connectionId}`, { schedule: "hourly" });
    },
    "DELETE /api/v1/email-lists/{id}/sync/connections/{connectionId}": async (w) => {
      const d = await a(w);
      await expect404(w, "DELETE", `/api/v1/email-lists/${d.listId}/sync/connections/${d.connectionId}`);
      await expect404(w, "DELETE", `/api/v1/email-lists/${d.bListId}/sync/connections/${d.connectionId}`);
    },
    "POST /api/v1/email-lists/{id}/sync/connections/{connectionId}/test": async (w) => {
      const d = await a(w);
      await expect404(w, "POST", `/api/v1/email-lists/${d.listId}/sync/connections/${d.connectionId}/test`, {});
      await expect404(w, "POST", `/api/v1/email-lists/${d.bListId}/sync/connections/${d.connectionId}/test`, {});
    },
    "POST /api/v1/email-lists/{id}/sync/connections/{connectionId}/sync": async (w) => {
      const d = await a(w);
      await expect404(w, "POST", `/api/v1/email-lists/${d.listId}/sync/connections/${d.connectionId}/sync`, {});
      await expect404(w, "POST", `/api/v1/email-lists/${d.bListId}/sync/connections/${d.connectionId}/sync`, {});
    },
    "GET /api/v1/email-lists/{id}/sync/runs": async (w) => {
      const d = await a(w);
      await expect404(w, "GET", `/api/v1/email-lists/${d.listId}/sync/runs`);
      const own = await asB(w, "GET", `/api/v1/email-lists/${d.bListId}/sync/runs?connection_id=${d.connectionId}`);
      expect(own.status).toBe(200);
      expect(own.body.data).toEqual([]);
    },
    "GET /api/v1/email-lists/{id}/sync/runs/{runId}": async (w) => {
      const d = await a(w);
      await expect404(w, "GET", `/api/v1/email-lists/${d.listId}/sync/runs/${d.runId}`);
      await expect404(w, "GET", `/api/v1/email-lists/${d.bListId}/sync/runs/${d.runId}`);
    },
  };
}
