import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { files } from "../../../../schema/files";
import { outboxMessages } from "../../../../schema/messaging";
import { portalFileShares } from "../../../../schema/endusers";
import { supportTickets } from "../../../../schema/tickets";
import { getDb } from "../../../platform/db";
import { uniqueEmail, waitForMail } from "../../../../test/helpers";
import { getCheckoutRow } from "../../commerce";
import { newProduct } from "../../commerce/test/commerce-helpers";
import { insertOrder } from "../../commerce/test/order-rows";
import { insertSubscription } from "../../commerce/test/subscriptions-isolation-cases";
import { as, env, eu, euSignUp, PASSWORD, portal } from "./endusers-helpers";
import { openTicket, staffReply, upload, waitForNotification } from "./portal-helpers";

const db = () => getDb(env.DB);

describe("portal: support tickets", () => {
  it("an end user opens a ticket with an upload; it is in the agent inbox; the agent's reply reaches the portal, email and notifications", async () => {
    const p = await portal({ brand_name: "Parcel Co" });
    const u = await euSignUp(p, uniqueEmail("tix"), "Tia Tix");
    const file = await upload(p, u.accessToken, "receipt.txt", "order 1001 receipt");
    expect(file.status, JSON.stringify(file.body)).toBe(201);
    expect(file.body).toMatchObject({ name: "receipt.txt", origin: "enduser" });
    // The upload is a row of Files (so the storage quota counts it), kept by the portal.
    const stored = await db().select().from(files).where(eq(files.id, file.body.file_id)).get();
    expect(stored?.module).toBe("portal");

    const t = await openTicket(p, u, "Parcel late", [file.body.file_id]);
    expect(t.number).toBe(1);
    expect((await openTicket(p, u, "Second one")).number).toBe(2);

    const inbox = await as(p.owner)("GET", "/api/v1/tickets?status=open");
    expect(inbox.status).toBe(200);
    const row = inbox.body.data.find((x: { id: string }) => x.id === t.id);
    expect(row).toMatchObject({ subject: "Parcel late", status: "open", unread_agent: 1, end_user: { email: u.email, name: "Tia Tix" } });
    const detail = await as(p.owner)("GET", `/api/v1/tickets/${t.id}`);
    expect(detail.body.messages[0].attachments[0]).toMatchObject({ name: "receipt.txt" });
    expect(detail.body.messages[0].attachments[0].url).toMatch(/^https?:\/\//);
    expect(detail.body.unread_agent).toBe(0);

    await staffReply(p, t.id, "Your parcel left our warehouse today.");
    const mail = await waitForMail(u.email, "replied to your request #1");
    expect(mail.text).toContain("Your parcel left our warehouse today.");
    expect(mail.text).toContain(`/portal/${p.slug}/tickets/${t.id}`);
    const n = await waitForNotification(p, u, "replied to your request #1");
    expect(n.read_at).toBeNull();
    expect(n.link).toContain(`/tickets/${t.id}`);

    const mine = await eu(p, u.accessToken)("GET", "/tickets?status=active");
    expect(mine.body.data.find((x: { id: string }) => x.id === t.id)).toMatchObject({ status: "answered", unread: 1 });
    const home = await eu(p, u.accessToken)("GET", "/home");
    expect(home.body.tickets).toMatchObject({ active: 2, with_unread_replies: 1 });
    expect(home.body.notifications.unread).toBeGreaterThanOrEqual(1);
    expect(home.body.orders).toEqual({ available: true, recent: [] });

    const thread = await eu(p, u.accessToken)("GET", `/tickets/${t.id}`);
    expect(thread.body.messages.map((m: { author: string }) => m.author)).toEqual(["enduser", "agent"]);
    expect(thread.body.unread).toBe(0);
    const answer = await eu(p, u.accessToken)("POST", `/tickets/${t.id}/replies`, { message: "Thanks!" });
    expect(answer.body).toMatchObject({ status: "open", message_count: 3 });
    const closed = await eu(p, u.accessToken)("POST", `/tickets/${t.id}/close`);
    expect(closed.body.status).toBe("closed");
    const reopened = await as(p.owner)("PATCH", `/api/v1/tickets/${t.id}`, { status: "open" });
    expect(reopened.body.status).toBe("open");
  });

  it("refuses bad input with the failing fields, and attachments that are not the end user's files", async () => {
    const p = await portal();
    const [u, other] = await Promise.all([euSignUp(p), euSignUp(p)]);
    const bad = await eu(p, u.accessToken)("POST", "/tickets", { subject: "", message: "" });
    expect(bad.status).toBe(400);
    expect(bad.res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(JSON.stringify(bad.body)).toMatch(/subject/);
    const theirs = await upload(p, other.accessToken, "theirs.txt", "private");
    const r = await eu(p, u.accessToken)("POST", "/tickets", { subject: "Hi", message: "see file", attachments: [theirs.body.file_id] });
    expect(r.status).toBe(404);
    const tooMany = await eu(p, u.accessToken)("POST", "/tickets", {
      subject: "Hi",
      message: "x",
      attachments: ["a", "b", "c", "d", "e", "f"],
    });
    expect(tooMany.status).toBe(400);
  });
});

describe("portal: orders", () => {
  it("lists the end user's orders, shows one, resends its receipt, and a refund request opens a linked ticket in the inbox", async () => {
    const p = await portal();
    const [u, other] = await Promise.all([euSignUp(p, uniqueEmail("buyer")), euSignUp(p)]);
    const mine = await insertOrder(p.owner.tenantId, { email: u.email, total: 4200, endUserId: u.id });
    await insertOrder(p.owner.tenantId, { email: other.email, total: 999, endUserId: other.id });
    await insertOrder(p.owner.tenantId, { email: u.email, total: 100 }); // a guest order with the same email is not theirs
    const list = await eu(p, u.accessToken)("GET", "/orders");
    expect(list.body.data.map((o: { id: string }) => o.id)).toEqual([mine.id]);
    expect(list.body.data[0]).toMatchObject({ number: mine.number, total: 4200, status: "paid" });
    expect(JSON.stringify(list.body)).not.toContain("provider");
    const one = await eu(p, u.accessToken)("GET", `/orders/${mine.id}`);
    expect(one.status).toBe(200);
    expect(one.body.lines[0]).toMatchObject({ title: "Test item", quantity: 1 });
    expect((await eu(p, u.accessToken)("GET", "/home")).body.orders.recent).toHaveLength(1);

    expect((await eu(p, u.accessToken)("POST", `/orders/${mine.id}/receipt`)).status).toBe(204);
    const receipt = await waitForMail(u.email, "Your receipt");
    expect(receipt.text).toContain(String(mine.number));

    const refund = await eu(p, u.accessToken)("POST", `/orders/${mine.id}/refund-request`, { message: "It arrived broken." });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ kind: "refund", order_id: mine.id, subject: `Refund request for order #${mine.number}` });
    const inbox = await as(p.owner)("GET", "/api/v1/tickets");
    expect(inbox.body.data[0]).toMatchObject({ kind: "refund", order_id: mine.id });
    expect((await eu(p, u.accessToken)("GET", "/orders/ord_nope")).status).toBe(404);
  });

  it("buy again: a new checkout with the order's lines at today's prices, stock held; a product no longer for sale is refused", async () => {
    const p = await portal();
    const u = await euSignUp(p, uniqueEmail("again"));
    const product = await newProduct(p.owner);
    const variant = product.variants[0];
    if (!variant) throw new Error("no variant");
    const old = await insertOrder(p.owner.tenantId, {
      email: u.email,
      total: 1000,
      endUserId: u.id,
      quantity: 2,
      variantId: variant.id,
      productId: product.id,
      name: "Ada Buyer",
    });
    const again = await eu(p, u.accessToken)("POST", `/orders/${old.id}/reorder`);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.currency).toBe("USD");
    expect(again.body.total).toBeGreaterThanOrEqual(2 * 2500);
    expect(again.body.checkout_url).toMatch(new RegExp(`/checkout/[a-z0-9-]+/${again.body.checkout_id}$`));
    const co = await getCheckoutRow(db(), p.owner.tenantId, again.body.checkout_id);
    expect(co).toMatchObject({ endUserId: u.id, email: u.email.toLowerCase(), currency: "USD" });
    expect(co.lines).toMatchObject([{ variant_id: variant.id, quantity: 2, unit_amount: 2500 }]);
    const stock = await as(p.owner)("GET", `/api/v1/commerce/products/${product.id}`);
    expect(stock.body.variants[0].inventory).toMatchObject({ on_hand: 10, reserved: 2 });
    // Another end user cannot buy again from it.
    const other = await euSignUp(p);
    expect((await eu(p, other.accessToken)("POST", `/orders/${old.id}/reorder`)).status).toBe(404);
    // Archived since: refused with a problem, nothing held.
    await as(p.owner)("PATCH", `/api/v1/commerce/products/${product.id}`, { status: "archived" });
    const gone = await eu(p, u.accessToken)("POST", `/orders/${old.id}/reorder`);
    expect(gone.status).toBeGreaterThanOrEqual(400);
    expect(gone.status).toBeLessThan(500);
    expect((await as(p.owner)("GET", `/api/v1/commerce/products/${product.id}`)).body.variants[0].inventory.reserved).toBe(2);
  });
});

describe("portal: assistant", () => {
  it("looks orders up at once, but resends a receipt or opens a ticket only after the end user confirms (once), and logs every action", async () => {
    const p = await portal();
    const u = await euSignUp(p, uniqueEmail("asks"));
    const order = await insertOrder(p.owner.tenantId, { email: u.email, total: 1500, endUserId: u.id });
    const say = (message: string) => eu(p, u.accessToken)("POST", "/assistant", { message });

    const look = await say(`Where is my order #${order.number}?`);
    expect(look.body.action).toMatchObject({ tool: "find_order", status: "done", result: { number: order.number, status: "paid" } });
    expect(look.body.answer).toContain(`#${order.number}`);

    const proposal = await say("Can you send me my receipt again?");
    expect(proposal.body.action).toMatchObject({ tool: "resend_receipt", status: "proposed", args: { order_id: order.id } });
    // Nothing was sent yet: no receipt in the outbox for this address.
    const receipts = () =>
      db()
        .select()
        .from(outboxMessages)
        .where(and(eq(outboxMessages.recipient, u.email), eq(outboxMessages.template, "commerce.receipt")));
    expect(await receipts()).toEqual([]);
    const done = await eu(p, u.accessToken)("POST", `/assistant/actions/${proposal.body.action.id}/confirm`);
    expect(done.body).toMatchObject({ status: "done", result: { sent_to: u.email } });
    expect(await receipts()).toHaveLength(1);
    expect((await eu(p, u.accessToken)("POST", `/assistant/actions/${proposal.body.action.id}/confirm`)).status).toBe(409);
    expect(await receipts()).toHaveLength(1);

    const ticket = await say("I want to talk to a person about my bike");
    expect(ticket.body.action).toMatchObject({ tool: "open_ticket", status: "proposed" });
    const declined = await eu(p, u.accessToken)("POST", `/assistant/actions/${ticket.body.action.id}/cancel`);
    expect(declined.body.status).toBe("cancelled");
    expect((await eu(p, u.accessToken)("POST", `/assistant/actions/${ticket.body.action.id}/confirm`)).status).toBe(409);
    expect((await eu(p, u.accessToken)("GET", "/tickets")).body.data).toEqual([]);
    const again = await say("Open a ticket: my bike squeaks");
    const opened = await eu(p, u.accessToken)("POST", `/assistant/actions/${again.body.action.id}/confirm`);
    expect(opened.body.result).toMatchObject({ number: 1 });
    expect((await as(p.owner)("GET", "/api/v1/tickets")).body.data[0].subject).toBe("Open a ticket: my bike squeaks");

    const knowledge = await say("What are your opening hours?");
    expect(knowledge.body.action).toBeNull();
    expect(knowledge.body.answer.length).toBeGreaterThan(0);
    const log = await eu(p, u.accessToken)("GET", "/assistant/actions");
    expect(log.body.data.map((a: { tool: string; status: string }) => `${a.tool}:${a.status}`)).toEqual([
      "open_ticket:done",
      "open_ticket:cancelled",
      "resend_receipt:done",
      "find_order:done",
    ]);
  });
});

describe("portal: sessions", () => {
  it("lists where the end user is signed in and signs out another session", async () => {
    const p = await portal();
    const u = await euSignUp(p, uniqueEmail("two"));
    const second = await eu(p)("POST", "/auth/signin", { email: u.email, password: PASSWORD });
    expect(second.status).toBe(200);
    const list = await eu(p, u.accessToken)("GET", "/me/sessions");
    expect(list.body.data).toHaveLength(2);
    const other = list.body.data.find((x: { current: boolean }) => !x.current);
    expect(other.method).toBe("password");
    expect((await eu(p, u.accessToken)("DELETE", `/me/sessions/${other.id}`)).status).toBe(204);
    expect((await eu(p, second.body.access_token)("GET", "/me")).status).toBe(401);
    expect((await eu(p, u.accessToken)("GET", "/me/sessions")).body.data).toHaveLength(1);
    expect((await eu(p, u.accessToken)("DELETE", `/me/sessions/${other.id}`)).status).toBe(404);
  });
});

describe("portal: notification centre", () => {
  it("reads one, marks all read, and keeps preferences per category and channel (security/transactional locked on)", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    const t1 = await openTicket(p, u, "First");
    const t2 = await openTicket(p, u, "Second");
    await staffReply(p, t1.id);
    await staffReply(p, t2.id);
    const n1 = await waitForNotification(p, u, "#1");
    const n2 = await waitForNotification(p, u, "#2");
    expect(n2.unread).toBe(2);
    const one = await eu(p, u.accessToken)("POST", `/notifications/${n1.id}/read`);
    expect(one.body.read_at).not.toBeNull();
    expect((await eu(p, u.accessToken)("GET", "/notifications?unread=true")).body.data.map((n: { id: string }) => n.id)).toEqual([n2.id]);
    expect((await eu(p, u.accessToken)("POST", "/notifications/read-all")).body.marked).toBe(1);
    expect((await eu(p, u.accessToken)("GET", "/notifications")).body.unread).toBe(0);

    const grid = await eu(p, u.accessToken)("GET", "/notification-preferences");
    expect(grid.body.channels).toEqual(["email", "in_app"]);
    type Grid = { categories: { name: string; cells: { channel: string; on: boolean }[] }[] };
    const cell = (g: Grid, cat: string, ch: string) => g.categories.find((c) => c.name === cat)?.cells.find((x) => x.channel === ch)?.on;
    expect(cell(grid.body, "marketing", "email")).toBe(true);
    const saved = await eu(p, u.accessToken)("PUT", "/notification-preferences", { on: ["product.in_app", "product.email"] });
    expect(saved.status).toBe(200);
    expect(cell(saved.body, "marketing", "email")).toBe(false);
    expect(cell(saved.body, "marketing", "in_app")).toBe(false);
    expect(cell(saved.body, "product", "in_app")).toBe(true);
    expect(cell(saved.body, "transactional", "email")).toBe(true); // locked
    expect(cell((await eu(p, u.accessToken)("GET", "/notification-preferences")).body, "marketing", "email")).toBe(false);
    const bad = await eu(p, u.accessToken)("PUT", "/notification-preferences", { on: ["marketing.sms"] });
    expect(bad.status).toBe(400);
  });
});

describe("portal: files", () => {
  it("staff share a workspace file with one end user; it shows in their portal with a link; unsharing removes it", async () => {
    const p = await portal();
    const [u, other] = await Promise.all([euSignUp(p), euSignUp(p)]);
    // A workspace file: uploaded by the end user `other`, so it is a real row of Files in this workspace.
    const f = await upload(p, other.accessToken, "manual.txt", "how to assemble");
    const share = await as(p.owner)("POST", `/api/v1/end-users/${u.id}/files`, { file_id: f.body.file_id, note: "Your manual" });
    expect(share.status, JSON.stringify(share.body)).toBe(201);
    const again = await as(p.owner)("POST", `/api/v1/end-users/${u.id}/files`, { file_id: f.body.file_id, note: null });
    expect(again.status).toBe(201); // idempotent
    const list = await eu(p, u.accessToken)("GET", "/files");
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ name: "manual.txt", origin: "staff", note: "Your manual" });
    const dl = await fetchSigned(list.body.data[0].url);
    expect(dl).toBe("how to assemble");
    expect((await eu(p, u.accessToken)("GET", "/home")).body.files.recent).toHaveLength(1);
    const staffView = await as(p.owner)("GET", `/api/v1/end-users/${u.id}/files`);
    expect(staffView.body.data).toHaveLength(1);
    expect((await as(p.owner)("DELETE", `/api/v1/end-users/${u.id}/files/${f.body.file_id}`)).status).toBe(204);
    expect((await eu(p, u.accessToken)("GET", "/files")).body.data).toEqual([]);
    expect((await as(p.owner)("POST", `/api/v1/end-users/${u.id}/files`, { file_id: "fil_nope", note: null })).status).toBe(404);
  });

  it("deleting the account erases tickets, notifications, uploads (bytes too) and shares", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    const f = await upload(p, u.accessToken, "mine.txt", "mine");
    const t = await openTicket(p, u, "Bye", [f.body.file_id]);
    await staffReply(p, t.id);
    await waitForNotification(p, u, "#1");
    expect((await eu(p, u.accessToken)("DELETE", "/me")).status).toBe(204);
    const d = db();
    expect(await d.select().from(supportTickets).where(eq(supportTickets.endUserId, u.id))).toEqual([]);
    expect(await d.select().from(portalFileShares).where(eq(portalFileShares.endUserId, u.id))).toEqual([]);
    expect(
      await d
        .select()
        .from(files)
        .where(and(eq(files.tenantId, p.owner.tenantId), eq(files.id, f.body.file_id))),
    ).toEqual([]);
    const { notifications } = await import("../../../../schema/messaging");
    expect(await d.select().from(notifications).where(eq(notifications.userId, u.id))).toEqual([]);
  });
});

describe("portal: subscriptions pages", () => {
  it("lists the customer's subscriptions; cancel takes a confirmation, then resume; another customer's is 404", async () => {
    const p = await portal();
    const ann = await euSignUp(p, uniqueEmail("subs"), "Ann Subs");
    const bob = await euSignUp(p);
    const sub = await insertSubscription(p.owner.tenantId, { email: ann.email, endUserId: ann.id, title: "Coffee club" });
    const { exports } = await import("cloudflare:workers");
    const page = (path: string, who: { accessToken: string }, method = "GET") =>
      exports.default.fetch(`http://weft.test/portal/${p.slug}${path}`, {
        method,
        headers: { Cookie: `weft_eu_at_${p.slug}=${who.accessToken}`, "Sec-Fetch-Site": "same-origin", "Accept-Language": "en" },
      });
    const list = await (await page("/subscriptions", ann)).text();
    expect(list).toContain("Coffee club");
    expect(list).toContain("$9.00 every month");
    expect(list).toContain("Renews on");
    expect(await (await page("/subscriptions", bob)).text()).toContain("No subscriptions.");

    const detail = await (await page(`/subscriptions/${sub.id}`, ann)).text();
    expect(detail).toContain(`?confirm=cancel">Cancel subscription</a>`);
    expect(detail).not.toContain("Yes, cancel it");
    expect(await (await page(`/subscriptions/${sub.id}?confirm=cancel`, ann)).text()).toContain("Yes, cancel it");
    const canceled = await (await page(`/subscriptions/${sub.id}/cancel`, ann, "POST")).text();
    expect(canceled).toContain("Cancelled. It stays active until the end of the period.");
    expect(canceled).toContain("Ends on");
    const api = await eu(p, ann.accessToken)("GET", `/subscriptions/${sub.id}`);
    expect(api.body).toMatchObject({ status: "active", cancel_at_period_end: true });
    const resumed = await (await page(`/subscriptions/${sub.id}/resume`, ann, "POST")).text();
    expect(resumed).toContain("Your subscription continues.");
    expect((await eu(p, ann.accessToken)("GET", `/subscriptions/${sub.id}`)).body.cancel_at_period_end).toBe(false);

    expect((await page(`/subscriptions/${sub.id}`, bob)).status).toBe(404);
    expect((await page(`/subscriptions/${sub.id}/cancel`, bob, "POST")).status).toBe(404);
    expect((await eu(p, ann.accessToken)("GET", `/subscriptions/${sub.id}`)).body.cancel_at_period_end).toBe(false);
    expect(await (await page("/subscriptions?lang=es", ann)).text()).toContain("<h1>Suscripciones</h1>");
  });
});

async function fetchSigned(url: string) {
  const { exports } = await import("cloudflare:workers");
  const u = new URL(url);
  const res = await exports.default.fetch(`http://weft.test${u.pathname}${u.search}`);
  return res.text();
}
