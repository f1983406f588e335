import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { listSyncContacts } from "../../../../schema/list-sync";
import { processErase } from "../list-sync/erase";
import { unsubscribeFromList } from "../list-subscribers.service";
import { KEYS, ListSyncFakes, REMOTE } from "./list-sync-fakes";
import { as, connect, db, seedSubscribers, syncNow, waitChangeRuns, workspaceWithList, must } from "./list-sync-helpers";

const fakes = new ListSyncFakes();
beforeAll(() => void fakes.install());
afterAll(() => fakes.uninstall());
beforeEach(() => {
  fakes.requests = [];
});

describe("SendGrid", () => {
  const sg = { provider: "sendgrid", api_key: KEYS.sendgrid, remote_list_id: REMOTE.sendgridList };

  it("upserts contacts with PUT /v3/marketing/contacts in chunks, idempotently", async () => {
    const { u, listId } = await workspaceWithList();
    const emails = await seedSubscribers(u.tenantId, listId, 1203);
    const conn = await connect(u, listId, sg);
    const run = await syncNow(u, listId, conn.id);
    expect(run).toMatchObject({ status: "succeeded", counts: { created: 1203, failed: 0 } });
    const puts = fakes.of("sendgrid").filter((r) => r.method === "PUT");
    expect(puts.map((p) => p.body.contacts.length)).toEqual([1000, 203]);
    expect(must(puts[0]).url.toString()).toBe("https://api.sendgrid.com/v3/marketing/contacts");
    expect(must(puts[0]).headers.authorization).toBe(`Bearer ${KEYS.sendgrid}`);
    expect(must(puts[0]).body.list_ids).toEqual([REMOTE.sendgridList]);
    expect(must(puts[0]).body.contacts[0]).toEqual({ email: emails[0], first_name: "Person0", last_name: "Example" });
    expect([...fakes.sendgrid.values()].filter((c) => c.lists.has(REMOTE.sendgridList)).length).toBe(1203);

    fakes.requests = [];
    expect((await syncNow(u, listId, conn.id)).counts).toMatchObject({ created: 0, updated: 0, skipped: 1203 });
    expect(fakes.writes("sendgrid")).toEqual([]);
  });

  it("a 400 naming one contact fails that contact and sends the others; an unsubscribe removes the contact from the list", async () => {
    const { u, listId } = await workspaceWithList();
    const [a, b] = await seedSubscribers(u.tenantId, listId, 2);
    const [bad] = await seedSubscribers(u.tenantId, listId, 1, { prefix: "y+reject" });
    const conn = await connect(u, listId, sg);
    const run = await syncNow(u, listId, conn.id);
    expect(run).toMatchObject({ status: "partial", counts: { created: 2, failed: 1 } });
    expect(run.errors).toEqual([{ email: bad, status: 400, error: "SendGrid: email address is invalid" }]);
    const puts = fakes.of("sendgrid").filter((r) => r.method === "PUT");
    expect(puts.map((p) => [p.status, p.body.contacts.length])).toEqual([
      [400, 3],
      [202, 2],
    ]);

    fakes.requests = [];
    await unsubscribeFromList(db(), env, u.tenantId, listId, must(a));
    const [r] = await waitChangeRuns(u, listId, conn.id, 1);
    expect(r).toMatchObject({ counts: { unsubscribed: 1 } });
    const search = must(fakes.of("sendgrid").find((x) => x.path === "/v3/marketing/contacts/search/emails"));
    expect(search.body).toEqual({ emails: [a] });
    const del = must(fakes.of("sendgrid").find((x) => x.method === "DELETE"));
    expect(del.path).toBe(`/v3/marketing/lists/${REMOTE.sendgridList}/contacts`);
    expect(del.url.searchParams.get("contact_ids")).toBe(must(fakes.sendgrid.get(must(a))).id);
    expect(must(fakes.sendgrid.get(must(a))).lists.size).toBe(0);
    expect(must(fakes.sendgrid.get(must(b))).lists.has(REMOTE.sendgridList)).toBe(true);
  });

  it("two-way reads the account's unsubscribes back", async () => {
    const { u, listId } = await workspaceWithList();
    const [, gone] = await seedSubscribers(u.tenantId, listId, 2);
    const conn = await connect(u, listId, { ...sg, direction: "two_way" });
    await syncNow(u, listId, conn.id);
    fakes.sendgridUnsubscribes.push({ email: must(gone), created: Math.floor(Date.now() / 1000) });
    const run = await syncNow(u, listId, conn.id);
    expect(run.counts).toMatchObject({ pulled: 1 });
    const subs = await as(u, `/api/v1/email-lists/${listId}/subscribers?status=unsubscribed`);
    expect(subs.body.data.map((s: { email: string }) => s.email)).toEqual([gone]);
  });
});

describe("Kit", () => {
  const kit = { provider: "kit", api_key: KEYS.kit, remote_list_id: REMOTE.kitForm };

  it("upserts each subscriber (POST /v4/subscribers) and adds it to the form; re-runs send nothing; unsubscribe uses the stored id", async () => {
    const { u, listId } = await workspaceWithList();
    const emails = await seedSubscribers(u.tenantId, listId, 5);
    const conn = await connect(u, listId, kit);
    const run = await syncNow(u, listId, conn.id);
    expect(run).toMatchObject({ status: "succeeded", counts: { created: 5, failed: 0 } });
    const creates = fakes.of("kit").filter((r) => r.method === "POST" && r.path === "/v4/subscribers");
    expect(creates).toHaveLength(5);
    expect(must(creates[0]).url.toString()).toBe("https://api.kit.com/v4/subscribers");
    expect(must(creates[0]).headers["x-kit-api-key"]).toBe(KEYS.kit);
    expect(must(creates.find((c) => c.body.email_address === emails[0])).body).toEqual({
      email_address: emails[0],
      first_name: "Person0 Example",
    });
    const adds = fakes.of("kit").filter((r) => r.path === `/v4/forms/${REMOTE.kitForm}/subscribers`);
    expect(adds.map((a) => a.body.email_address).sort()).toEqual([...emails].sort());
    expect(must(fakes.kit.get(must(emails[0]))).forms.has(REMOTE.kitForm)).toBe(true);

    fakes.requests = [];
    expect((await syncNow(u, listId, conn.id)).counts).toMatchObject({ created: 0, skipped: 5 });
    expect(fakes.writes("kit")).toEqual([]);

    await unsubscribeFromList(db(), env, u.tenantId, listId, must(emails[2]));
    await waitChangeRuns(u, listId, conn.id, 1);
    const id = must(fakes.kit.get(must(emails[2]))).id;
    expect(
      fakes
        .of("kit")
        .filter((r) => r.method !== "GET")
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual([`POST /v4/subscribers/${id}/unsubscribe`]);
    expect(must(fakes.kit.get(must(emails[2]))).state).toBe("cancelled");
  });

  it("tag connections remove the tag on unsubscribe; a 500 is retried; a 422 is recorded as failed", async () => {
    const { u, listId } = await workspaceWithList();
    const [a] = await seedSubscribers(u.tenantId, listId, 1);
    const [bad] = await seedSubscribers(u.tenantId, listId, 1, { prefix: "z+reject" });
    const conn = await connect(u, listId, {
      ...kit,
      remote_list_id: REMOTE.kitTag,
      remote_target: "tag",
      field_map: { first_name: "first_name", last_name: "last_name" },
    });
    fakes.script("kit", "error");
    const run = await syncNow(u, listId, conn.id);
    expect(run).toMatchObject({ status: "partial", counts: { created: 1, failed: 1 } });
    expect(run.errors).toEqual([{ email: bad, status: 422, error: "Kit: HTTP 422: Email address is invalid" }]);
    expect(fakes.of("kit").filter((r) => r.status === 500)).toHaveLength(1);
    expect(fakes.kit.get(must(a))).toMatchObject({ first_name: "Person0", fields: { last_name: "Example" } });
    expect(must(fakes.kit.get(must(a))).tags.has(REMOTE.kitTag)).toBe(true);

    fakes.requests = [];
    await unsubscribeFromList(db(), env, u.tenantId, listId, must(a));
    await waitChangeRuns(u, listId, conn.id, 1);
    expect(
      fakes
        .of("kit")
        .filter((r) => r.method !== "GET")
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual([`DELETE /v4/tags/${REMOTE.kitTag}/subscribers/${must(fakes.kit.get(must(a))).id}`]);
    expect(must(fakes.kit.get(must(a))).state).toBe("active"); // only this list's tag went
  });
});

describe("GDPR erasure reaches the synced providers", () => {
  async function waitUntil(ok: () => Promise<boolean>) {
    for (let i = 0; i < 400; i++) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("timed out");
  }

  it("Mailchimp deletes the member permanently, SendGrid deletes the contact, Kit unsubscribes it; nothing of the address stays here", async () => {
    const { u, listId } = await workspaceWithList();
    const [gone, kept] = await seedSubscribers(u.tenantId, listId, 2);
    const erased = must(gone);
    const mc = await connect(u, listId, { provider: "mailchimp", api_key: KEYS.mailchimp, remote_list_id: REMOTE.mailchimpList });
    const sg = await connect(u, listId, { provider: "sendgrid", api_key: KEYS.sendgrid, remote_list_id: REMOTE.sendgridList });
    const kt = await connect(u, listId, { provider: "kit", api_key: KEYS.kit, remote_list_id: REMOTE.kitForm });
    for (const c of [mc, sg, kt]) expect((await syncNow(u, listId, c.id)).counts).toMatchObject({ created: 2, failed: 0 });
    expect(fakes.mailchimp.has(erased) && fakes.sendgrid.has(erased) && fakes.kit.get(erased)?.state === "active").toBe(true);

    const r = await as(u, "/api/v1/email-lists/erase", { email: erased.toUpperCase() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ subscriptions: 1, providers_queued: true });
    const local = () =>
      db()
        .select()
        .from(listSyncContacts)
        .where(and(eq(listSyncContacts.tenantId, u.tenantId), eq(listSyncContacts.email, erased)));
    await waitUntil(async () => (await local()).length === 0);

    expect(fakes.mailchimp.has(erased)).toBe(false);
    expect(fakes.sendgrid.has(erased)).toBe(false);
    expect(fakes.kit.get(erased)?.state).toBe("cancelled"); // Kit's API cannot delete a subscriber
    // The other subscriber is untouched everywhere.
    expect(fakes.mailchimp.get(must(kept))?.status).toBe("subscribed");
    expect(fakes.sendgrid.has(must(kept))).toBe(true);
    expect(fakes.kit.get(must(kept))?.state).toBe("active");

    const audit = await db()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, u.tenantId), eq(auditLogs.action, "list_sync.contact_erased")));
    expect(audit.map((a) => (a.metadata as { at_provider: string }).at_provider).sort()).toEqual(["deleted", "deleted", "unsubscribed"]);
    expect(JSON.stringify(audit)).not.toContain(erased);

    // A second erasure of the same address has nothing left to send anywhere.
    const again = await as(u, "/api/v1/email-lists/erase", { email: erased });
    expect(again.body).toMatchObject({ subscriptions: 0, providers_queued: false });
  });

  it("a provider outage keeps the erasure pending (the Queue retries it) until the provider has erased it", async () => {
    const { u, listId } = await workspaceWithList();
    const [a] = await seedSubscribers(u.tenantId, listId, 1, { prefix: "outage" });
    const email = must(a);
    const mc = await connect(u, listId, { provider: "mailchimp", api_key: KEYS.mailchimp, remote_list_id: REMOTE.mailchimpList });
    await syncNow(u, listId, mc.id);
    fakes.script("mailchimp", "error", "error", "error", "error"); // every one of the adapter's attempts fails
    // Straight through the processor (what the Queue consumer runs per message): it throws while pending.
    await expect(processErase(env, u.tenantId, email)).rejects.toThrow(/pending at 1 provider/);
    const rows = () =>
      db()
        .select()
        .from(listSyncContacts)
        .where(and(eq(listSyncContacts.tenantId, u.tenantId), eq(listSyncContacts.email, email)));
    expect(await rows()).toHaveLength(1); // still known here: the next attempt knows where to erase it
    expect(fakes.mailchimp.has(email)).toBe(true);
    expect(await processErase(env, u.tenantId, email)).toEqual({ erased: 1, pending: 0 });
    expect(fakes.mailchimp.has(email)).toBe(false);
    expect(await rows()).toEqual([]);
  });
});
