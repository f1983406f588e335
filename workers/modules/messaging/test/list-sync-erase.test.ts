import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { listSyncContacts } from "../../../../schema/list-sync";
import { processErase } from "../list-sync/erase";
import { KEYS, ListSyncFakes, REMOTE } from "./list-sync-fakes";
import { as, connect, db, must, seedSubscribers, syncNow, workspaceWithList } from "./list-sync-helpers";

const fakes = new ListSyncFakes();
beforeAll(() => void fakes.install());
afterAll(() => fakes.uninstall());

async function waitUntil(ok: () => Promise<boolean>) {
  for (let i = 0; i < 400; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out");
}

describe("GDPR erasure reaches the synced providers", () => {
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
