// The customer portal (part 2) in the browser: an end user signs in by the magic link from the dev
// mailbox at phone width, opens a support request with an attachment; an agent answers it from the
// dashboard's inbox ("Support tickets" view); the customer gets the reply by email and as a
// notification in the portal, reads the thread and marks everything read. The portal in Spanish.
// axe on every portal page and the inbox; screenshots in e2e/artifacts/portal-*.png (390 px light
// and dark, inbox at desktop width).
// Second test: a customer signed in to the portal buys a digital product through the hosted checkout
// (the portal's cookies reach it, so the order is theirs), finds it in the portal's orders and downloads
// the file from its signed link.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  apiCall,
  axe,
  BASE,
  launch,
  linkFrom,
  loginUI,
  newContext,
  onFail,
  PASSWORD,
  screenshot,
  uniqueEmail,
  waitForMail,
} from "../lib/browser.mjs";

let browser;
let owner;
const IP = "127.8.16.1";
before(async () => {
  browser = await launch();
  owner = { email: uniqueEmail("portal-owner") };
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: "Paula Owner", workspace_name: "Fernhill Bikes" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  owner.token = r.body.access_token;
  owner.tenant = r.body.tenant.id;
  owner.slug = r.body.tenant.slug;
  const s = await apiCall("/api/v1/end-users/portal-settings", {
    method: "PUT",
    token: owner.token,
    tenant: owner.tenant,
    ip: IP,
    body: { enabled: true, brand_name: "Fernhill Bikes", primary_color: "#0f766e" },
  });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  // A workspace file staff will share with the customer from the dashboard.
  const up = await fetch(`${BASE}/api/v1/files?name=${encodeURIComponent("care-guide.txt")}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${owner.token}`,
      "X-Tenant-ID": owner.tenant,
      "CF-Connecting-IP": IP,
      "Content-Type": "application/octet-stream",
    },
    body: "Oil the chain every 300 km.",
  });
  assert.equal(up.status, 201, await up.text());
  // A digital product (a PDF-ish text file) for the purchase test.
  const manual = await fetch(`${BASE}/api/v1/files?name=${encodeURIComponent("tuning-manual.txt")}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${owner.token}`,
      "X-Tenant-ID": owner.tenant,
      "CF-Connecting-IP": IP,
      "Content-Type": "application/octet-stream",
    },
    body: MANUAL,
  });
  assert.equal(manual.status, 201);
  const product = await apiCall("/api/v1/commerce/products", {
    method: "POST",
    token: owner.token,
    tenant: owner.tenant,
    ip: IP,
    body: {
      title: "Tuning manual",
      type: "digital",
      status: "active",
      digital_file_id: (await manual.json()).id,
      options: [],
      variants: [{ sku: `MANUAL-${Date.now()}`, options: {}, prices: { USD: 1200 } }],
    },
  });
  assert.equal(product.status, 201, JSON.stringify(product.body));
  owner.manualVariant = product.body.variants[0].id;
});
const MANUAL = "Chapter 1: true the wheel before you adjust the brakes.";
after(async () => browser?.close());

async function a11y(page, what) {
  for (const v of await axe(page)) assert.fail(`${what}: ${v}`);
}

test("a customer signs in by magic link, opens a request an agent answers from the inbox, and gets the reply as a notification", async () => {
  const phone = await newContext(browser, { viewport: { width: 390, height: 844 } });
  const page = await phone.newPage();
  const email = uniqueEmail("rider");
  let ticketUrl = "";
  await onFail(page, "portal-customer", async () => {
    await page.goto(`/portal/${owner.slug}`);
    await page.getByLabel("Email", { exact: true }).first().fill(email);
    const sent = Date.now();
    await page.getByRole("button", { name: "Email me a sign-in code" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const mail = await waitForMail(email, /sign-in code/, { after: sent - 1000 });
    await page.goto(linkFrom(mail, `/portal/${owner.slug}/magic`));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Portal sections" }).waitFor();
    await page.getByText("No open requests").waitFor();
    await a11y(page, "portal home (empty)");

    await page.getByRole("link", { name: "Ask for help" }).click();
    await page.getByLabel("Subject").fill("Gears slipping on my new bike");
    await page.getByLabel("Message").fill("Since Tuesday the chain jumps between the 3rd and 4th gear.");
    await page.getByLabel(/Attach a file/).setInputFiles({ name: "gears.txt", mimeType: "text/plain", buffer: Buffer.from("photo notes") });
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("heading", { name: "Gears slipping on my new bike", level: 1 }).waitFor();
    await page.getByRole("link", { name: "gears.txt" }).waitFor();
    await page.getByText("Waiting for us").first().waitFor();
    ticketUrl = new URL(page.url()).pathname;
    await a11y(page, "portal ticket");
    await screenshot(page, "portal-ticket-390");
  });

  // The agent answers from the dashboard inbox.
  const desk = await newContext(browser);
  const agent = await desk.newPage();
  await onFail(agent, "portal-agent", async () => {
    await loginUI(agent, { email: owner.email });
    await agent.waitForURL((u) => !u.pathname.startsWith("/login"));
    await agent.goto("/chat?view=tickets");
    await agent.getByRole("button", { name: /#1 Gears slipping on my new bike/ }).click();
    // Exact: the queue row previews the same text once its list refreshes.
    await agent.getByText("Since Tuesday the chain jumps between the 3rd and 4th gear.", { exact: true }).waitFor();
    await agent.getByRole("link", { name: "gears.txt" }).waitFor();
    await agent.getByLabel("Reply to the customer").fill("Please bring it in on Saturday, we will adjust the derailleur for free.");
    await agent.getByRole("button", { name: "Send reply" }).click();
    await agent.getByText("Reply sent to the customer").waitFor();
    await agent.getByText("Answered").first().waitFor();
    await a11y(agent, "inbox ticket");
    await screenshot(agent, "portal-inbox-ticket");

    // Staff share a file with this customer from End users.
    await agent.goto("/customers");
    await agent.getByRole("button", { name: `Actions for ${email}` }).click();
    await agent.getByRole("menuitem", { name: "Share a file…" }).click();
    await agent.getByLabel("File", { exact: true }).selectOption({ label: "care-guide.txt" });
    await agent.getByLabel("Note for them (optional)").fill("How to look after your bike");
    await agent.getByRole("button", { name: "Share", exact: true }).click();
    await agent.getByText("care-guide.txt is in their portal").waitFor();
    await a11y(agent, "share dialog");
  });
  await desk.close();

  await onFail(page, "portal-customer-reply", async () => {
    const mail = await waitForMail(email, /replied to your request #1/);
    assert.match(mail.text, /adjust the derailleur/);
    // The in-app notification is delivered by the outbox queue: reload until it is there.
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.goto(`/portal/${owner.slug}/notifications`);
      if ((await page.getByRole("link", { name: /replied to your request #1/ }).count()) > 0) break;
      if (Date.now() > deadline) assert.fail("no notification of the reply");
      await page.waitForTimeout(300);
    }
    await page.getByText("unread", { exact: true }).first().waitFor();
    await a11y(page, "portal notifications");
    await screenshot(page, "portal-notifications-390");
    await page.getByRole("link", { name: /replied to your request #1/ }).click();
    assert.equal(new URL(page.url()).pathname, ticketUrl);
    await page.getByText("we will adjust the derailleur").waitFor();
    await page.getByText("Answered").first().waitFor();

    await page.goto(`/portal/${owner.slug}/notifications`);
    await page.getByRole("button", { name: "Mark all read" }).click();
    await page.getByRole("button", { name: "Mark all read" }).waitFor({ state: "detached" });
    await page.getByRole("link", { name: "Notification preferences" }).click();
    await page.getByLabel("Email").nth(2).uncheck(); // product updates by email
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").getByText("Saved.").waitFor();
    await a11y(page, "portal preferences");

    await page.goto(`/portal/${owner.slug}/files`);
    await page.getByRole("link", { name: "care-guide.txt" }).waitFor();
    await page.getByText("How to look after your bike").waitFor();
    await page.goto(`/portal/${owner.slug}`);
    await page.getByText("1 open request").waitFor();
    await a11y(page, "portal home");
    await screenshot(page, "portal-home-390-light");

    // The assistant proposes a write action and does it only after "Yes, do it".
    await page.getByRole("link", { name: "Assistant" }).click();
    await page.getByLabel(/Ask a question/).fill("Please open a ticket: the bell on my bike is broken");
    await page.getByRole("button", { name: "Ask" }).click();
    await page.getByText("Nothing happens until you confirm.").waitFor();
    await a11y(page, "portal assistant proposal");
    await screenshot(page, "portal-assistant-390");
    await page.goto(`/portal/${owner.slug}/tickets`);
    assert.equal(await page.getByRole("link", { name: /bell on my bike/ }).count(), 0, "no ticket before confirming");
    await page.goto(`/portal/${owner.slug}/assistant`);
    await page.getByLabel(/Ask a question/).fill("Please open a ticket: the bell on my bike is broken");
    await page.getByRole("button", { name: "Ask" }).click();
    await page.getByRole("button", { name: "Yes, do it" }).click();
    await page.getByRole("status").getByText("Done.").waitFor();
    await page.goto(`/portal/${owner.slug}/tickets`);
    await page.getByRole("link", { name: /bell on my bike/ }).waitFor();
  });
  await phone.close();

  // Dark theme (the portal follows the system's colour scheme) and Spanish.
  const dark = await newContext(browser, { viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const d = await dark.newPage();
  await onFail(d, "portal-dark", async () => {
    await d.goto(`/portal/${owner.slug}`);
    await d.getByLabel("Email", { exact: true }).first().fill(email);
    const sent = Date.now();
    await d.getByRole("button", { name: "Email me a sign-in code" }).click();
    const mail = await waitForMail(email, /sign-in code/, { after: sent - 500 });
    await d.goto(linkFrom(mail, `/portal/${owner.slug}/magic`));
    await d.getByRole("button", { name: "Sign in" }).click();
    await d.goto(`/portal/${owner.slug}?lang=es`);
    await d.getByRole("heading", { name: "Hola" }).waitFor();
    await d.getByText("2 solicitudes abiertas").waitFor();
    await a11y(d, "portal home (es, dark)");
    await screenshot(d, "portal-home-390-dark-es");
    await d.getByRole("link", { name: "Soporte" }).click();
    await d.getByText("Respondida").first().waitFor();
  });
  await dark.close();
});

test("a customer signed in to the portal buys a digital product on the hosted checkout and downloads it from their order", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const email = uniqueEmail("reader");
  await onFail(page, "portal-purchase", async () => {
    await page.goto(`/portal/${owner.slug}`);
    await page.getByLabel("Email", { exact: true }).first().fill(email);
    const sent = Date.now();
    await page.getByRole("button", { name: "Email me a sign-in code" }).click();
    const mail = await waitForMail(email, /sign-in code/, { after: sent - 1000 });
    await page.goto(linkFrom(mail, `/portal/${owner.slug}/magic`));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Portal sections" }).waitFor();

    // The shop's Buy link, on Weft's origin: the checkout already knows who is buying.
    await page.goto(`/checkout/${owner.slug}/buy?variant=${owner.manualVariant}`);
    await page.getByRole("heading", { name: "Order summary" }).waitFor();
    assert.equal(await page.getByLabel("Email").inputValue(), email);
    await page.getByRole("button", { name: /Pay with the payment simulator/ }).click();
    await page.getByRole("button", { name: "Approve payment" }).click();
    await page.getByRole("heading", { name: "Thank you! Your order is confirmed." }).waitFor({ timeout: 30_000 });

    // The order is in their portal; its file downloads from the signed link.
    await page.goto(`/portal/${owner.slug}/orders`);
    await page.getByText("Paid").first().waitFor();
    await page
      .getByRole("link", { name: /Order #/ })
      .first()
      .click();
    const link = page.getByRole("link", { name: "Download: Tuning manual" });
    await link.waitFor();
    await a11y(page, "portal order");
    const file = await page.request.get(await link.getAttribute("href"));
    assert.equal(file.status(), 200);
    assert.equal(await file.text(), MANUAL);
    await waitForMail(email, /Your receipt from/); // the purchase's own receipt

    // The assistant resends the receipt only once the customer confirms.
    await page.goto(`/portal/${owner.slug}/assistant`);
    await page.getByLabel(/Ask a question/).fill("Please resend my receipt");
    await page.getByRole("button", { name: "Ask" }).click();
    await page.getByText("Nothing happens until you confirm.").waitFor();
    const asked = Date.now();
    await page.getByRole("button", { name: "Yes, do it" }).click();
    await page.getByRole("status").getByText("Done.").waitFor();
    await waitForMail(email, /Your receipt from/, { after: asked - 500 });
  });
  await ctx.close();
});
