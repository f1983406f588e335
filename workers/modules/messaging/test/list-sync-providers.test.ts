import { env } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { unsubscribeFromList } from "../lists.service";
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
