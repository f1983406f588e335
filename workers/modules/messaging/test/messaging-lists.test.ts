import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { devMailbox, outboxMessages } from "../../../../schema/messaging";
import { sendMessages } from "../send";
import { getDb } from "../../../platform/db";
import { call, callJson, signUp, uniqueEmail, waitForMail, type TestUser } from "../../../../test/helpers";

const db = () => getDb(env.DB);
const as = (u: TestUser, path: string, body?: unknown, method?: string) =>
  callJson(path, { token: u.accessToken, tenant: u.tenantId, body, method, ip: u.ip });
async function waitFor(id: string) {
  for (let i = 0; i < 300; i++) {
    const row = await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get();
    if (row && ["delivered", "sent", "suppressed", "failed"].includes(row.status)) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timeout");
}
const unsubscribeLink = (text: string) => text.match(/https?:\/\/\S+\/public\/v1\/unsubscribe\?token=\S+/)![0];
const local = (link: string) => {
  const u = new URL(link);
  return u.pathname + u.search;
};

describe("templates", () => {
  it("overrides a system template per channel with versions, previews drafts, and reverts", async () => {
    const u = await signUp();
    const put = await as(
      u,
      "/api/v1/message-templates/messaging.test/email",
      { subject: "Hi from {{workspace}}", body: "Plain {{workspace}}", html: "<p>Hello <b>{{workspace}}</b></p>" },
      "PUT",
    );
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ version: 1, source: "workspace", variables: ["workspace"] });
    expect(
      (
        await as(
          u,
          "/api/v1/message-templates/messaging.test/email",
          { subject: "v2 {{workspace}}", body: "", html: '<p>Two <a href="https://x.test">link</a> {{workspace}}</p>' },
          "PUT",
        )
      ).body.version,
    ).toBe(2);
    const t = await as(u, "/api/v1/message-templates/messaging.test");
    expect(t.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const to = uniqueEmail("tpl");
    const [m] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "<Acme>" },
      category: "transactional",
    });
    await waitFor(m!.id);
    const mail = await waitForMail(to, "v2");
    expect(mail.html).toContain('Two <a href="https://x.test">link</a> &lt;Acme&gt;');
    expect(mail.text).toContain("Two link (https://x.test) <Acme>"); // text part derived from the HTML
    const preview = await as(u, "/api/v1/message-templates/preview", {
      channel: "email",
      draft: { subject: "S {{a}}", body: "B {{a}}", html: "<i>{{a}}</i>" },
      data: { a: "<x>" },
    });
    expect(preview.body).toMatchObject({ subject: "S <x>", text: "B <x>", html: "<i>&lt;x&gt;</i>", variables: ["a"] });
    expect((await as(u, "/api/v1/message-templates/preview", { channel: "email", draft: { subject: "S {{a", body: "x" } })).status).toBe(
      400,
    );
    expect((await as(u, "/api/v1/message-templates/messaging.test/email", undefined, "DELETE")).status).toBe(204);
    expect((await as(u, "/api/v1/message-templates/messaging.test")).body.channels[0]).toMatchObject({ source: "system", version: null });
  });
});

describe("preferences, unsubscribe and idempotency", () => {
  it("gives marketing email a signed one-click unsubscribe link; after it, marketing is suppressed but transactional is not", async () => {
    const u = await signUp();
    await as(u, "/api/v1/message-templates/promo.spring/email", { subject: "Spring sale", body: "Save now" }, "PUT");
    const to = uniqueEmail("mkt");
    const send = (template: string, category: string) =>
      as(u, "/api/v1/messages", { to: { email: to }, channels: ["email"], template, data: { workspace: "Acme", date: "d" }, category });
    const first = await send("promo.spring", "marketing");
    expect(first.status).toBe(202);
    await waitFor(first.body.data[0].id);
    const mail = await waitForMail(to, "Spring sale");
    const link = unsubscribeLink(mail.text);
    expect(mail.html).toContain("Unsubscribe: http");
    // The landing page needs a click; GET changes nothing.
    const page = await call(local(link));
    expect(await page.text()).toContain('<button type="submit">Unsubscribe</button>');
    // One-click POST as a mail client sends it.
    const post = await call(local(link), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: undefined,
    });
    expect(post.status).toBe(200);
    const forged = await call(local(link).replace(/token=(.)/, "token=X$1"), { method: "POST" });
    expect(forged.status).toBe(404);
    const prefs = await as(u, `/api/v1/messaging/preferences?recipient=${encodeURIComponent(to)}`);
    expect(prefs.body.data).toEqual([
      expect.objectContaining({ category: "marketing", channel: "email", opted_out: true, source: "one_click" }),
    ]);
    const again = await send("promo.spring", "marketing");
    expect(await waitFor(again.body.data[0].id)).toMatchObject({ status: "suppressed" });
    const tx = await send("messaging.test", "transactional");
    expect(await waitFor(tx.body.data[0].id)).toMatchObject({ status: "delivered" });
    // Transactional cannot be opted out of.
    const refuse = await as(
      u,
      "/api/v1/messaging/preferences",
      { recipient: to, category: "transactional", channel: "email", opted_out: true },
      "PUT",
    );
    expect(refuse.status).toBe(400);
  });

  it("sends once per Idempotency-Key and answers the same messages again", async () => {
    const u = await signUp();
    const to = uniqueEmail("idem");
    const body = { to: { email: to }, channels: ["email", "in_app"], template: "messaging.test", data: { workspace: "A", date: "d" } };
    const bad = await callJson("/api/v1/messages", {
      token: u.accessToken,
      tenant: u.tenantId,
      body,
      ip: u.ip,
      headers: { "Idempotency-Key": "k1" },
    });
    expect(bad.status).toBe(400); // in_app needs to.user_id
    const b2 = { ...body, to: { email: to, user_id: u.userId } };
    const r1 = await callJson("/api/v1/messages", {
      token: u.accessToken,
      tenant: u.tenantId,
      body: b2,
      ip: u.ip,
      headers: { "Idempotency-Key": "k1" },
    });
    const r2 = await callJson("/api/v1/messages", {
      token: u.accessToken,
      tenant: u.tenantId,
      body: b2,
      ip: u.ip,
      headers: { "Idempotency-Key": "k1" },
    });
    expect(r1.body.data.map((m: { duplicate: boolean }) => m.duplicate)).toEqual([false, false]);
    expect(r2.body.data.map((m: { id: string }) => m.id)).toEqual(r1.body.data.map((m: { id: string }) => m.id));
    expect(r2.body.data.every((m: { duplicate: boolean }) => m.duplicate)).toBe(true);
    for (const m of r1.body.data) await waitFor(m.id);
    expect(await db().select().from(devMailbox).where(eq(devMailbox.toAddress, to))).toHaveLength(1);
  });

  it("schedules, lists in the delivery log with search, and cancels before sending", async () => {
    const u = await signUp();
    const to = uniqueEmail("later");
    const r = await as(u, "/api/v1/messages", {
      to: { email: to },
      channels: ["email"],
      template: "messaging.test",
      data: {},
      send_at: new Date(Date.now() + 3600_000).toISOString(),
    });
    const id = r.body.data[0].id;
    const log = await as(u, `/api/v1/messages?q=${encodeURIComponent(to)}`);
    expect(log.body.data.map((m: { id: string }) => m.id)).toEqual([id]);
    expect(log.body.data[0].send_at).not.toBeNull();
    expect((await as(u, `/api/v1/messages/${id}/cancel`, {})).body.status).toBe("cancelled");
    expect((await as(u, `/api/v1/messages/${id}/cancel`, {})).status).toBe(409);
    expect((await as(u, `/api/v1/messages?status=cancelled`)).body.data.map((m: { id: string }) => m.id)).toContain(id);
  });
});

describe("email lists", () => {
  it("double opt-in from a tenant's site, broadcast with list unsubscribe, export and GDPR erase", async () => {
    const u = await signUp();
    const pk = await as(u, "/api/v1/publishable-keys", { name: "site", allowed_origins: ["https://shop.example.com"] });
    const list = await as(u, "/api/v1/email-lists", { name: "Weekly news" });
    expect(list.status).toBe(201);
    const listId = list.body.id;
    const email = uniqueEmail("news");
    const sub = (origin: string, key = pk.body.key) =>
      call(`/public/v1/lists/${listId}/subscribe`, {
        body: { email, name: "=cmd()" },
        headers: { Origin: origin, "X-Publishable-Key": key },
      });
    expect((await sub("https://evil.example.com")).status).toBe(401);
    const ok = await sub("https://shop.example.com");
    expect(ok.status).toBe(202);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("https://shop.example.com");
    expect((await as(u, `/api/v1/email-lists/${listId}`)).body.counts).toMatchObject({ pending: 1, subscribed: 0 });
    const confirm = await waitForMail(email, "Confirm your subscription");
    const link = confirm.text.match(/https?:\/\/\S+\/public\/v1\/lists\/confirm\?token=\S+/)![0];
    expect((await call(local(link))).status).toBe(200);
    expect((await call(local(link))).status).toBe(404); // used
    expect((await as(u, `/api/v1/email-lists/${listId}`)).body.counts).toMatchObject({ pending: 0, subscribed: 1 });

    await as(u, "/api/v1/message-templates/news.weekly/email", { subject: "This week at {{list}}", body: "News body" }, "PUT");
    const b = await as(u, `/api/v1/email-lists/${listId}/broadcasts`, { template: "news.weekly", data: {} });
    expect(b.body.recipients).toBe(1);
    const news = await waitForMail(email, "This week at Weekly news");
    const unsub = await call(local(unsubscribeLink(news.text)), { method: "POST" });
    expect(unsub.status).toBe(200);
    expect((await as(u, `/api/v1/email-lists/${listId}`)).body.counts).toMatchObject({ subscribed: 0, unsubscribed: 1 });

    const csv = await call(`/api/v1/email-lists/${listId}/export`, { token: u.accessToken, tenant: u.tenantId });
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("email,name,status,source,confirmed_at,unsubscribed_at,created_at");
    expect(text).toContain(`${email},"'=cmd()",unsubscribed,public_form`); // formula defused

    const erased = await as(u, "/api/v1/email-lists/erase", { email });
    expect(erased.body.subscriptions).toBe(1);
    expect(erased.body.messages).toBeGreaterThanOrEqual(2);
    expect((await as(u, `/api/v1/messages?q=${encodeURIComponent(email)}`)).body.data).toEqual([]);
    expect((await as(u, `/api/v1/email-lists/${listId}/subscribers`)).body.data).toEqual([]);
  });
});
