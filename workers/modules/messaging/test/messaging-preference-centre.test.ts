import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outboxMessages } from "../../../../schema/messaging";
import { unsubscribeToken } from "../preferences";
import { messagingConfig } from "../config";
import { sendMessages } from "../send";
import { getDb } from "../../../platform/db";
import { BASE, callJson, signUp, uniqueEmail, waitForMail, type TestUser } from "../../../../test/helpers";

/** The recipient-facing preference centre: signed link in every workspace email, plain form, enforced by send(). */
const db = () => getDb(env.DB);
const asOwner = (u: TestUser, path: string, body?: unknown, method?: string) =>
  callJson(path, { token: u.accessToken, tenant: u.tenantId, body, method, ip: u.ip });

async function finalStatus(id: string) {
  for (let i = 0; i < 300; i++) {
    const row = await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get();
    if (row && ["sent", "delivered", "failed", "suppressed"].includes(row.status)) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`message ${id} did not finish`);
}
const page = async (path: string, init: RequestInit = {}) => {
  const res = await exports.default.fetch(BASE + path, {
    ...init,
    headers: { "CF-Connecting-IP": "10.201.0.1", ...(init.headers as Record<string, string>) },
  });
  return { status: res.status, text: await res.text(), res };
};
/** The preference-centre path (with token) from an email's text part. */
async function linkFromMail(to: string, subject: string) {
  const mail = await waitForMail(to, subject);
  const m = /Manage preferences: (\S+)/.exec(mail.text);
  expect(m, mail.text).not.toBeNull();
  const url = new URL(m![1]!);
  expect(mail.html).toContain("Manage preferences");
  return url.pathname + url.search;
}

async function workspaceWithPromo() {
  const u = await signUp({ workspace: "Prefs Co" });
  expect(
    (await asOwner(u, "/api/v1/message-templates/promo.news/email", { subject: "News from Prefs Co", body: "Hello {{name}}" }, "PUT"))
      .status,
  ).toBeLessThan(300);
  expect(
    (await asOwner(u, "/api/v1/message-templates/promo.update/email", { subject: "Product update", body: "New things" }, "PUT")).status,
  ).toBeLessThan(300);
  return u;
}

describe("preference centre", () => {
  it("every workspace email links to it; the page shows categories × channels with transactional locked", async () => {
    const u = await workspaceWithPromo();
    const to = uniqueEmail("pc");
    await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Prefs Co", date: "today" },
      category: "transactional",
    });
    const path = await linkFromMail(to, "Test message");
    const r = await page(path);
    expect(r.status).toBe(200);
    expect(r.res.headers.get("content-type")).toContain("text/html");
    expect(r.text).toContain("color-scheme:light dark");
    expect(r.text).toContain("prefers-color-scheme:dark");
    expect(r.text).toMatch(/<th scope="col">Email<\/th>/);
    expect(r.text).toMatch(/id="p-transactional-email" checked disabled/);
    expect(r.text).toMatch(/id="p-security-email" checked disabled/);
    expect(r.text).toMatch(/name="on" value="marketing.email" checked/);
    expect(r.text).toContain('<label class="sr-only" for="p-marketing-email">');
    // Not a member: no push / in-app columns for this address.
    expect(r.text).not.toContain(">Push</th>");
  });

  it("rejects tampered tokens, tokens for another address and unsubscribe tokens", async () => {
    const u = await workspaceWithPromo();
    const to = uniqueEmail("pc-tamper");
    await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Prefs Co", date: "today" },
      category: "transactional",
    });
    const path = await linkFromMail(to, "Test message");
    const token = decodeURIComponent(new URL(BASE + path).searchParams.get("token")!);
    const [payload, sig] = token.split(".");
    const otherPayload = btoa(JSON.stringify({ t: u.tenantId, r: "victim@example.test" }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    const flipped = sig!.slice(0, -2) + (sig!.endsWith("AA") ? "BB" : "AA");
    for (const bad of [
      `${otherPayload}.${sig}`,
      `${payload}.${flipped}`,
      `${payload}`,
      "",
      await unsubscribeToken(messagingConfig(env).signingKey, { t: u.tenantId, r: to, c: "marketing" }),
    ]) {
      expect((await page(`/public/v1/preferences?token=${encodeURIComponent(bad)}`)).status, bad).toBe(404);
      const post = await page(`/public/v1/preferences?token=${encodeURIComponent(bad)}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "intent=none",
      });
      expect(post.status).toBe(404);
    }
  });

  it("a saved form (no JavaScript) is enforced by send(): marketing suppressed, product and transactional still delivered", async () => {
    const u = await workspaceWithPromo();
    const to = uniqueEmail("pc-save");
    await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "promo.news",
      data: { name: "Ada" },
      category: "marketing",
    });
    const path = await linkFromMail(to, "News from Prefs Co");
    // Keep product email, turn marketing off; a forged "transactional" field cannot turn anything off.
    const form = new URLSearchParams([
      ["on", "product.email"],
      ["intent", "save"],
    ]);
    const saved = await page(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('role="status"');
    expect(saved.text).toMatch(/name="on" value="marketing.email">/); // unchecked now
    expect(saved.text).toMatch(/name="on" value="product.email" checked/);

    const [mk] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "promo.news",
      data: { name: "Ada" },
      category: "marketing",
    });
    const [pr] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "promo.update",
      data: {},
      category: "product",
    });
    const [tx] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Prefs Co", date: "today" },
      category: "transactional",
    });
    expect((await finalStatus(mk!.id)).status).toBe("suppressed");
    expect((await finalStatus(pr!.id)).status).toBe("delivered");
    expect((await finalStatus(tx!.id)).status).toBe("delivered");

    // "Unsubscribe from all optional messages" turns product off too; turning marketing back on works after a one-click unsubscribe.
    await page(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "intent=none&on=product.email",
    });
    const [pr2] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "promo.update",
      data: {},
      category: "product",
    });
    expect((await finalStatus(pr2!.id)).status).toBe("suppressed");
    const back = await page(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ on: ["marketing.email"] }),
    });
    expect(JSON.parse(back.text).categories.find((c: { name: string }) => c.name === "marketing").cells[0]).toMatchObject({
      channel: "email",
      on: true,
    });
    const [mk2] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "promo.news",
      data: { name: "Ada" },
      category: "marketing",
    });
    expect((await finalStatus(mk2!.id)).status).toBe("delivered");
  });

  it("a member's address also controls in-app and push for their account", async () => {
    const u = await workspaceWithPromo();
    await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: u.email },
      channels: ["email"],
      template: "promo.news",
      data: { name: "Owner" },
      category: "marketing",
    });
    const path = await linkFromMail(u.email, "News from Prefs Co");
    const r = await page(path);
    expect(r.text).toContain(">Push</th>");
    expect(r.text).toContain(">In-app</th>");
    await page(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ on: ["marketing.email", "product.email", "product.push"] }),
    });
    const [ia] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { userId: u.userId },
      channels: ["in_app"],
      template: "notifications.generic",
      data: { title: "t", body: "b" },
      category: "product",
    });
    expect((await finalStatus(ia!.id)).status).toBe("suppressed");
  });
});
