import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listSubscribers } from "../../../../schema/messaging";
import { unsubscribeFromList } from "../list-subscribers.service";
import { subscriberHash } from "../list-sync/mailchimp";
import { KEYS, ListSyncFakes, REMOTE } from "./list-sync-fakes";
import { as, connect, db, seedSubscribers, syncNow, waitChangeRuns, workspaceWithList, must } from "./list-sync-helpers";

const fakes = new ListSyncFakes();
beforeAll(() => void fakes.install());
afterAll(() => fakes.uninstall());
beforeEach(() => {
  fakes.requests = [];
});

const mc = { provider: "mailchimp", api_key: KEYS.mailchimp, remote_list_id: REMOTE.mailchimpList };
const base = `https://us21.api.mailchimp.com/3.0/lists/${REMOTE.mailchimpList}`;

describe("Mailchimp", () => {
  it("full sync batches ≤ 500 members per batch-subscribe call, maps names to FNAME/LNAME, skips pending; a re-run sends nothing", async () => {
    const { u, listId } = await workspaceWithList();
    const emails = await seedSubscribers(u.tenantId, listId, 1203);
    await seedSubscribers(u.tenantId, listId, 3, { prefix: "pending", status: "pending" });
    const conn = await connect(u, listId, mc);

    const run = await syncNow(u, listId, conn.id);
    expect(run).toMatchObject({ status: "succeeded", trigger: "manual", mode: "full", total: 1206, processed: 1206 });
    expect(run.counts).toEqual({ created: 1203, updated: 0, unsubscribed: 0, pulled: 0, skipped: 3, failed: 0 });

    const batches = fakes.of("mailchimp").filter((r) => r.method === "POST");
    expect(batches.map((b) => b.body.members.length)).toEqual([500, 500, 203]);
    const first = must(batches[0]);
    expect(first.url.toString()).toBe(base);
    expect(first.headers.authorization).toBe(`Basic ${btoa(`weft:${KEYS.mailchimp}`)}`);
    expect(first.headers["content-type"]).toBe("application/json");
    expect(first.body.update_existing).toBe(true);
    expect(first.body.members[0]).toEqual({
      email_address: emails[0],
      status: "subscribed",
      merge_fields: { FNAME: "Person0", LNAME: "Example" },
    });
    expect(fakes.mailchimp.size).toBe(1203);
    expect(fakes.mailchimp.get(must(emails[1202]))).toMatchObject({ status: "subscribed", merge_fields: { FNAME: "Person1202" } });

    // Idempotent: the same sync again changes nothing remotely.
    fakes.requests = [];
    const again = await syncNow(u, listId, conn.id);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, skipped: 1206, failed: 0 });
    expect(fakes.writes("mailchimp")).toEqual([]);

    const list = await as(u, `/api/v1/email-lists/${listId}/sync/connections`);
    expect(list.body.data[0]).toMatchObject({ status: "ok", last_error: null, last_run: { id: again.id, status: "succeeded" } });
    expect(list.body.data[0].last_sync_at).not.toBeNull();
  });

  it("a subscriber change syncs incrementally with PUT /members/{md5}; an unsubscribe propagates as status unsubscribed", async () => {
    const { u, listId } = await workspaceWithList();
    const conn = await connect(u, listId, mc);
    const email = `Ada.Lovelace-${Date.now()}@Example.test`;
    const added = await as(u, `/api/v1/email-lists/${listId}/subscribers`, { email, name: "Ada Lovelace", confirmed: true });
    expect(added.status).toBe(201);
    const [created] = await waitChangeRuns(u, listId, conn.id, 1);
    expect(created).toMatchObject({ mode: "incremental", status: "succeeded", counts: { created: 1, failed: 0 } });

    const lower = email.toLowerCase();
    const put = must(fakes.of("mailchimp").find((r) => r.method === "PUT"));
    expect(put.url.toString()).toBe(`${base}/members/${await subscriberHash(lower)}`);
    expect(put.body).toEqual({
      email_address: lower,
      status_if_new: "subscribed",
      status: "subscribed",
      merge_fields: { FNAME: "Ada", LNAME: "Lovelace" },
    });

    expect(await unsubscribeFromList(db(), env, u.tenantId, listId, lower)).toBe(true);
    const runs = await waitChangeRuns(u, listId, conn.id, 2);
    expect(runs[0]).toMatchObject({ counts: { unsubscribed: 1 } });
    expect(fakes.mailchimp.get(lower)?.status).toBe("unsubscribed");
    const puts = fakes.of("mailchimp").filter((r) => r.method === "PUT");
    expect(must(puts[1]).body).toMatchObject({ status: "unsubscribed", status_if_new: "unsubscribed" });
  });

  it("retries a 429 (Retry-After) and a 500, then succeeds", async () => {
    const { u, listId } = await workspaceWithList();
    await seedSubscribers(u.tenantId, listId, 4);
    const conn = await connect(u, listId, mc);
    fakes.script("mailchimp", "rate_limit", "error");
    const run = await syncNow(u, listId, conn.id);
    expect(run).toMatchObject({ status: "succeeded", counts: { created: 4, failed: 0 } });
    expect(fakes.of("mailchimp").map((r) => r.status)).toEqual([429, 500, 200]);
  });

  it("records a member Mailchimp refuses as failed (per contact) and pushes the rest; the failure is retried by the next run", async () => {
    const { u, listId } = await workspaceWithList();
    await seedSubscribers(u.tenantId, listId, 3);
    const [bad] = await seedSubscribers(u.tenantId, listId, 1, { prefix: "x+reject" });
    const conn = await connect(u, listId, mc);
    const run = await syncNow(u, listId, conn.id);
    expect(run.status).toBe("partial");
    expect(run.counts).toMatchObject({ created: 3, failed: 1 });
    expect(run.errors).toEqual([{ email: bad, status: 400, error: expect.stringContaining("looks fake or invalid") }]);
    const conns = await as(u, `/api/v1/email-lists/${listId}/sync/connections`);
    expect(conns.body.data[0].last_error).toContain("1 contact(s) failed");

    fakes.requests = [];
    const again = await syncNow(u, listId, conn.id);
    expect(again.counts).toMatchObject({ created: 0, skipped: 3, failed: 1 });
    expect(
      fakes
        .of("mailchimp")
        .filter((r) => r.method === "PUT")
        .map((r) => r.body.email_address),
    ).toEqual([bad]);
  });

  it("a refused API key fails the run and marks the connection; test connection reports it", async () => {
    const { u, listId } = await workspaceWithList();
    await seedSubscribers(u.tenantId, listId, 2);
    const conn = await connect(u, listId, { ...mc, api_key: "ffffffffffffffffffffffffffffffff-us21" });
    const run = await syncNow(u, listId, conn.id);
    expect(run).toMatchObject({ status: "failed", error: expect.stringContaining("HTTP 401") });
    const t = await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}/test`, {});
    expect(t.body).toMatchObject({ ok: false, status: 401 });
    const fixed = await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}`, { api_key: KEYS.mailchimp }, "PATCH");
    expect(fixed.status).toBe(200);
    const ok = await as(u, `/api/v1/email-lists/${listId}/sync/connections/${conn.id}/test`, {});
    expect(ok.body).toMatchObject({ ok: true, detail: expect.stringContaining("Weft newsletter") });
    expect(fakes.of("mailchimp").some((r) => r.path === "/3.0/ping")).toBe(true);
  });

  it("two-way: an unsubscribe at Mailchimp is pulled back and wins over the local subscription, and reaches the list's other providers", async () => {
    const { u, listId } = await workspaceWithList();
    const [keep, leaver] = await seedSubscribers(u.tenantId, listId, 2);
    const conn = await connect(u, listId, { ...mc, direction: "two_way" });
    const sg = await connect(u, listId, { provider: "sendgrid", api_key: KEYS.sendgrid, remote_list_id: REMOTE.sendgridList });
    expect((await syncNow(u, listId, conn.id)).counts).toMatchObject({ created: 2 });
    expect((await syncNow(u, listId, sg.id)).counts).toMatchObject({ created: 2 });

    // The person unsubscribes in a Mailchimp campaign.
    must(fakes.mailchimp.get(must(leaver))).status = "unsubscribed";
    must(fakes.mailchimp.get(must(leaver))).lastChanged = Date.now();
    fakes.requests = [];
    const run = await syncNow(u, listId, conn.id);
    expect(run.counts).toMatchObject({ pulled: 1, created: 0, updated: 0, failed: 0 });
    const pull = must(fakes.of("mailchimp").find((r) => r.method === "GET" && r.path.endsWith("/members")));
    expect(pull.url.searchParams.get("status")).toBe("unsubscribed");
    expect(pull.url.searchParams.get("since_last_changed")).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(fakes.writes("mailchimp")).toEqual([]); // nothing pushed back to Mailchimp
    const local = await db()
      .select()
      .from(listSubscribers)
      .where(and(eq(listSubscribers.tenantId, u.tenantId), eq(listSubscribers.email, must(leaver))))
      .get();
    expect(local?.status).toBe("unsubscribed");

    // …and the local unsubscribe reaches SendGrid as a removal from its list.
    await waitChangeRuns(u, listId, sg.id, 1);
    expect(fakes.sendgrid.get(must(leaver))?.lists.has(REMOTE.sendgridList)).toBe(false);
    expect(fakes.sendgrid.get(must(keep))?.lists.has(REMOTE.sendgridList)).toBe(true);
  });
  it("a subscriber removed from the list is unsubscribed at Mailchimp by the next full sync", async () => {
    const { u, listId } = await workspaceWithList();
    const [stays, leaves] = await seedSubscribers(u.tenantId, listId, 2);
    const conn = await connect(u, listId, mc);
    expect((await syncNow(u, listId, conn.id)).counts).toMatchObject({ created: 2 });
    const subs = await as(u, `/api/v1/email-lists/${listId}/subscribers`);
    const sub = must(subs.body.data.find((s: { email: string }) => s.email === leaves));
    expect((await as(u, `/api/v1/email-lists/${listId}/subscribers/${sub.id}`, undefined, "DELETE")).status).toBe(204);
    fakes.requests = [];
    const run = await syncNow(u, listId, conn.id);
    expect(run).toMatchObject({ status: "succeeded", total: 1, processed: 1, counts: { unsubscribed: 1, skipped: 1 } });
    expect(fakes.writes("mailchimp").map((r) => r.body)).toEqual([
      { email_address: leaves, status_if_new: "unsubscribed", status: "unsubscribed", merge_fields: {} },
    ]);
    expect(fakes.mailchimp.get(must(leaves))?.status).toBe("unsubscribed");
    expect(fakes.mailchimp.get(must(stays))?.status).toBe("subscribed");
    fakes.requests = [];
    await syncNow(u, listId, conn.id);
    expect(fakes.writes("mailchimp")).toEqual([]);
  });
});
