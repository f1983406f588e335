import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { listSyncConnections, listSyncRuns } from "../../../../schema/list-sync";
import { runListSyncCron } from "../list-sync/cron";
import { RUN_LIMITS } from "../list-sync/engine";
import { KEYS, ListSyncFakes, REMOTE } from "./list-sync-fakes";
import { as, connect, db, seedSubscribers, syncNow, waitRun, workspaceWithList, must } from "./list-sync-helpers";

const fakes = new ListSyncFakes();
beforeAll(() => void fakes.install());
afterAll(() => fakes.uninstall());
beforeEach(() => {
  fakes.requests = [];
});

describe("list sync API", () => {
  it("never returns the API key (only a hint), stores it sealed, and audits connect/update/disconnect", async () => {
    const { u, listId } = await workspaceWithList();
    await seedSubscribers(u.tenantId, listId, 2);
    const conn = await connect(u, listId, { provider: "sendgrid", api_key: KEYS.sendgrid, remote_list_id: REMOTE.sendgridList });
    expect(conn.credentials_hint).toBe("SG.l••••6789");
    const texts: string[] = [JSON.stringify(conn)];
    texts.push(JSON.stringify((await as(u, `/api/v1/email-lists/${listId}/sync/connections`)).body));
    texts.push(
      JSON.stringify((await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}`, { schedule: "hourly" }, "PATCH")).body),
    );
    texts.push(JSON.stringify((await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}/test`, {})).body));
    const run = await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}/sync`, {});
    texts.push(JSON.stringify(run.body));
    await waitRun(u, listId, run.body.id);
    texts.push(JSON.stringify((await as(u, `/api/v1/email-lists/${listId}/sync/runs`)).body));
    for (const t of texts) expect(t).not.toContain(KEYS.sendgrid);
    const row = await db().select().from(listSyncConnections).where(eq(listSyncConnections.id, conn.id)).get();
    expect(must(row).credentials).not.toContain(KEYS.sendgrid);
    const audit = await db()
      .select({ action: auditLogs.action, metadata: auditLogs.metadata })
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, u.tenantId)));
    expect(JSON.stringify(audit)).not.toContain(KEYS.sendgrid);
    expect((await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}`, undefined, "DELETE")).status).toBe(204);
    const actions = (await db().select({ action: auditLogs.action }).from(auditLogs).where(eq(auditLogs.tenantId, u.tenantId))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "email_list.sync_connected",
        "email_list.sync_updated",
        "email_list.sync_started",
        "email_list.sync_disconnected",
      ]),
    );
    expect((await as(u, `/api/v1/email-lists/${listId}/sync/connections`)).body.data).toEqual([]);
  });

  it("validates input as problem+json with the failing fields", async () => {
    const { u, listId } = await workspaceWithList();
    const path = `/api/v1/email-lists/${listId}/sync/connections`;
    const noDc = await as(u, path, { provider: "mailchimp", api_key: "0123456789abcdef0123456789abcdef", remote_list_id: "abc" });
    expect(noDc.status).toBe(400);
    expect(noDc.res.headers.get("content-type")).toContain("application/problem+json");
    expect(noDc.body.errors).toEqual([{ path: "api_key", message: expect.any(String) }]);
    const sgKey = await as(u, path, { provider: "sendgrid", api_key: "not-a-sendgrid-key", remote_list_id: "abc" });
    expect(sgKey.body.errors?.[0]?.path).toBe("api_key");
    const kitId = await as(u, path, { provider: "kit", api_key: KEYS.kit, remote_list_id: "my-form" });
    expect(kitId.body.errors?.[0]?.path).toBe("remote_list_id");
    const unknown = await as(u, path, { provider: "mailerlite", api_key: "x".repeat(20), remote_list_id: "a" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toContain("provider");
    const badTarget = await as(u, path, { provider: "mailchimp", api_key: KEYS.mailchimp, remote_list_id: "a", remote_target: "tag" });
    expect(badTarget.status).toBe(400);
    const runs = await as(u, `/api/v1/email-lists/${listId}/sync/runs?limit=0`);
    expect(runs.status).toBe(400);
  });

  it("with no connection nothing is sent when subscribers change", async () => {
    const { u, listId } = await workspaceWithList();
    await as(u, `/api/v1/email-lists/${listId}/subscribers`, { email: `solo-${Date.now()}@example.test`, confirmed: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(fakes.requests).toEqual([]);
  });

  it("a second sync while one is queued answers 409; paused connections do not sync", async () => {
    const { u, listId } = await workspaceWithList();
    const conn = await connect(u, listId, { provider: "kit", api_key: KEYS.kit, remote_list_id: REMOTE.kitForm });
    // A run that is still in progress (inserted, so the consumer cannot finish it first).
    await db()
      .insert(listSyncRuns)
      .values({
        tenantId: u.tenantId,
        id: `lsr_inprogress_${conn.id.slice(-8)}`,
        connectionId: conn.id,
        listId,
        trigger: "manual",
        mode: "full",
        status: "running",
        errors: [],
        createdAt: Date.now(),
      });
    const again = await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}/sync`, {});
    expect(again.status).toBe(409);
    expect(again.body.type).toContain("sync-in-progress");
    await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}`, { enabled: false }, "PATCH");
    expect((await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}/sync`, {})).status).toBe(409);
  });

  it("the cron queues scheduled syncs that are due, once", async () => {
    const { u, listId } = await workspaceWithList();
    await seedSubscribers(u.tenantId, listId, 3);
    const conn = await connect(u, listId, {
      provider: "mailchimp",
      api_key: KEYS.mailchimp,
      remote_list_id: REMOTE.mailchimpList,
      schedule: "hourly",
    });
    const row = await db().select().from(listSyncConnections).where(eq(listSyncConnections.id, conn.id)).get();
    expect(must(row).nextSyncAt).toBeGreaterThan(Date.now() + 3_500_000);
    const tick = must(must(row).nextSyncAt) + 1000;
    const [first, second] = await Promise.all([runListSyncCron(env, tick), runListSyncCron(env, tick)]);
    expect(first.queued + second.queued).toBeGreaterThanOrEqual(1);
    const runs = (await as(u, `/api/v1/email-lists/${listId}/sync/runs?connection_id=${conn.id}`)).body.data;
    expect(runs).toHaveLength(1);
    expect(runs[0].trigger).toBe("schedule");
    const done = await waitRun(u, listId, runs[0].id);
    expect(done.counts).toMatchObject({ created: 3 });
    const after = await db().select().from(listSyncConnections).where(eq(listSyncConnections.id, conn.id)).get();
    expect(must(after).nextSyncAt).toBe(tick + 3_600_000);
  });
  it("a full sync continues page by page across queue messages, with its progress saved", async () => {
    const { u, listId } = await workspaceWithList();
    await seedSubscribers(u.tenantId, listId, 5);
    const conn = await connect(u, listId, { provider: "sendgrid", api_key: KEYS.sendgrid, remote_list_id: REMOTE.sendgridList });
    const saved = { ...RUN_LIMITS };
    Object.assign(RUN_LIMITS, { pageSize: 2, pagesPerMessage: 1 });
    try {
      const run = await syncNow(u, listId, conn.id);
      expect(run).toMatchObject({ status: "succeeded", total: 5, processed: 5, counts: { created: 5 } });
    } finally {
      Object.assign(RUN_LIMITS, saved);
    }
    expect(
      fakes
        .of("sendgrid")
        .filter((r) => r.method === "PUT")
        .map((r) => r.body.contacts.length),
    ).toEqual([2, 2, 1]);
  });
});
