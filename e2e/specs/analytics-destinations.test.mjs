// Analytics → Destinations in the browser: the honest empty state, adding a GA4 destination through
// the dialog (secret write-only), a custom-webhook destination that forwards a batch of new events
// to a local receiver as one signed analytics.events delivery, the delivery log, test connection
// (offline: the GA4 request fails and says so), disable and delete with confirmation. Screenshots in
// light and dark, and at phone width.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../scripts/local.mjs";
import { apiCall, axe, launch, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
let receiver;
let auth;
const received = [];
const owner = { name: "Fran Forwarder", email: uniqueEmail("forwarder") };

before(async () => {
  browser = await launch();
  const port = await freePort();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(port, "127.0.0.1", r));
  receiver.url = `http://127.0.0.1:${port}/hooks/analytics`;
  const ip = "127.9.4.1";
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip,
    body: { email: owner.email, password: PASSWORD, name: owner.name, workspace_name: "Forwarding Ceramics" },
  });
  assert.equal(signup.status, 201, JSON.stringify(signup.body));
  auth = { token: signup.body.access_token, tenant: signup.body.tenant?.id ?? signup.body.memberships[0].tenant.id, ip };
});
after(async () => {
  await browser?.close();
  await new Promise((r) => (receiver ? receiver.close(r) : r()));
});

test("destinations tab: add, forward through a signed webhook, delivery log, test, disable, delete", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await onFail(page, "analytics-destinations", async () => {
    await loginUI(page, { email: owner.email });
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto("/analytics/destinations");
    await page.getByText("no destination is set up, so nothing leaves Weft.").waitFor();
    await page.getByRole("heading", { name: "No destinations" }).waitFor();

    // GA4 through the dialog.
    await page.getByRole("button", { name: "Add destination" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add a destination" });
    await dialog.getByLabel(/Google Analytics 4/).check();
    await dialog.getByLabel("Name", { exact: true }).fill("GA4 web stream");
    await dialog.getByLabel("Measurement ID", { exact: true }).fill("G-E2ETEST01");
    await dialog.getByLabel("API secret", { exact: true }).fill("e2e-ga4-api-secret-1234");
    await dialog.getByRole("button", { name: "Add destination" }).click();
    await page.getByText("Stream G-E2ETEST01").waitFor();
    assert.equal(await page.getByText("e2e-ga4-api-secret-1234").count(), 0, "the secret is never shown");
    await page.getByText("secret …1234").waitFor();

    // A webhook endpoint and a destination that sends to it (API), then new events.
    const ep = await apiCall("/api/v1/webhook-endpoints", {
      method: "POST",
      ...auth,
      body: { url: receiver.url, event_types: ["webhook.test"] },
    });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    const hook = await apiCall("/api/v1/analytics/destinations", {
      method: "POST",
      ...auth,
      body: { provider: "webhook", name: "Warehouse webhook", endpoint_ids: [ep.body.id], event_names: ["$pageview", "order_placed"] },
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    const mp = await apiCall("/api/v1/analytics/destinations", {
      method: "POST",
      ...auth,
      body: {
        provider: "mixpanel",
        name: "Mixpanel EU",
        project_id: "3141592",
        region: "eu",
        service_account_username: "weft.e2e.mp",
        secret: "e2e-mixpanel-secret-9876",
        enabled: false,
      },
    });
    assert.equal(mp.status, 201);
    const sent = await apiCall("/api/v1/analytics/events", {
      method: "POST",
      ...auth,
      body: {
        events: [
          { name: "$pageview", distinct_id: "visitor-1", props: { $current_url: "https://shop.example/" } },
          { name: "order_placed", distinct_id: "visitor-1", props: { total: 42 } },
          { name: "scrolled", distinct_id: "visitor-1" },
        ],
      },
    });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const until = Date.now() + 30_000;
    while (!received.some((r) => r.body.includes('"analytics.events"'))) {
      if (Date.now() > until) assert.fail("no analytics.events delivery reached the receiver");
      await sleep(250);
    }
    const hit = received.find((r) => r.body.includes('"analytics.events"'));
    const payload = JSON.parse(hit.body);
    assert.deepEqual(
      payload.data.events.map((e) => e.name),
      ["$pageview", "order_placed"],
      "one delivery with the two matching events",
    );
    assert.ok(hit.headers["webhook-signature"]?.startsWith("v1,"), "signed");

    await page.reload();
    const row = page.getByRole("listitem").filter({ hasText: "Warehouse webhook" });
    await row.getByText("Delivering").waitFor();
    await row.getByRole("button", { name: "Delivery log" }).click();
    await row.getByText("2 events").waitFor();
    await row.getByText(/Handed to 1 webhook endpoint/).waitFor();

    // Offline, the GA4 test request cannot leave the machine: the result says so.
    const ga = page.getByRole("listitem").filter({ hasText: "GA4 web stream" });
    await ga.getByRole("button", { name: "Test connection" }).click();
    await ga.getByText("Connection failed.").waitFor();

    assert.deepEqual(await axe(page), []);
    await screenshot(page, "analytics-destinations");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "analytics-destinations-dark");
    await page.emulateMedia({ colorScheme: "light" });

    // Edit dialog: the secret field is empty, with the stored hint.
    const mpRow = page.getByRole("listitem").filter({ hasText: "Mixpanel EU" });
    await mpRow.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Mixpanel EU" });
    assert.equal(await edit.getByLabel("Service account secret", { exact: true }).inputValue(), "");
    await edit.getByText("Stored (…9876)").waitFor();
    await screenshot(page, "analytics-destinations-dialog");
    await edit.getByRole("button", { name: "Cancel" }).click();

    await mpRow.getByRole("button", { name: "Enable" }).click();
    await mpRow.getByRole("button", { name: "Disable" }).waitFor();

    await ga.getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete GA4 web stream?" });
    await confirm.getByRole("button", { name: "Delete destination" }).click();
    await page.getByText("Stream G-E2ETEST01").waitFor({ state: "detached" });

    // Let the toasts go before the phone screenshot.
    await page.getByText("Destination deleted.").waitFor({ state: "detached", timeout: 15_000 });
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "analytics-destinations-phone");
  });
  await ctx.close();
});
