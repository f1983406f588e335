// Product analytics end to end: the demo tenant site (its own origin) loads /a.js; a visitor's page
// view, an SPA navigation (history.pushState) and a custom event (weft.track) travel through
// /public/v1/events and the Queue into D1, and show in the dashboard's event stream and overview.
// Screenshots in light and dark, and at phone width.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../scripts/local.mjs";
import { startDemoSite } from "../../web/widget/demo-site.mjs";
import { apiCall, axe, BASE, launch, loginUI, newContext, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
let site;
let auth;
const owner = { name: "Ana Analyst", email: uniqueEmail("analyst") };

before(async () => {
  browser = await launch();
  const port = await freePort();
  const ip = "127.9.3.1";
  const signup = await apiCall("/api/v1/auth/signup", {
    body: { email: owner.email, password: PASSWORD, name: owner.name, workspace_name: "Tracked Ceramics" },
    method: "POST",
    ip,
  });
  assert.equal(signup.status, 201, JSON.stringify(signup.body));
  auth = { token: signup.body.access_token, tenant: signup.body.tenant?.id ?? signup.body.memberships[0].tenant.id, ip };
  const pk = await apiCall("/api/v1/publishable-keys", {
    method: "POST",
    ...auth,
    body: { name: "Demo site", allowed_origins: [`http://127.0.0.1:${port}`] },
  });
  assert.equal(pk.status, 201);
  site = await startDemoSite({ port, host: "127.0.0.1", weftUrl: BASE, key: pk.body.key });
});
after(async () => {
  await site?.close();
  await browser?.close();
});

/** The workspace's events, polled until `done` holds (the Queue consumer writes within a few seconds). */
async function eventsUntil(done, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await apiCall("/api/v1/analytics/events?limit=100", auth);
    assert.equal(r.status, 200);
    if (done(r.body.data)) return r.body.data;
    if (Date.now() > until) assert.fail(`events never arrived: ${JSON.stringify(r.body.data.map((e) => [e.name, e.path]))}`);
    await sleep(250);
  }
}

test("tracker on the demo site → page view, SPA navigation and a custom event in the dashboard", async () => {
  // Headless Chromium says "HeadlessChrome", which the bot filter (rightly) flags: browse as a person.
  const visitor = await newContext(browser, {
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  });
  const shop = await visitor.newPage();
  await shop.goto(`${site.url}/`);
  await shop.waitForFunction(() => typeof window.weft?.track === "function");
  await shop.getByRole("link", { name: "Shipping" }).click(); // pushState, no page load
  await shop.getByRole("heading", { name: "Shipping" }).waitFor();
  await shop.getByRole("button", { name: /Add the speckled mug/ }).click();
  await shop.getByText("Added!").waitFor();

  const events = await eventsUntil((d) => d.some((e) => e.name === "cart_added") && d.filter((e) => e.name === "$pageview").length >= 2);
  const views = events.filter((e) => e.name === "$pageview").map((e) => e.path);
  assert.deepEqual(views.sort(), ["/", "/shipping"]);
  const cart = events.find((e) => e.name === "cart_added");
  assert.equal(cart.props.product, "speckled-mug");
  assert.equal(cart.path, "/shipping");
  assert.equal(new Set(events.map((e) => e.person_id)).size, 1, "one visitor");
  assert.equal(cart.browser, "Chrome");
  assert.equal(cart.is_bot, false);
  await visitor.close();

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await loginUI(page, { email: owner.email });
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto("/analytics/events");
  await page.getByRole("button", { name: "cart_added" }).waitFor();
  await page.getByRole("button", { name: "cart_added" }).click(); // expands its properties
  await page
    .getByText(/speckled-mug/)
    .first()
    .waitFor();
  assert.ok(await page.getByRole("cell", { name: "/shipping" }).first().isVisible());
  assert.deepEqual(await axe(page), []);
  await screenshot(page, "analytics-events");

  await page.goto("/analytics");
  await page.getByText("Page views and events per day").waitFor();
  await page
    .getByRole("img", { name: /Area chart of page views/ })
    .locator("svg")
    .first()
    .waitFor(); // the lazy chart has drawn
  assert.match((await page.getByRole("img", { name: /Area chart of page views/ }).getAttribute("aria-label")) ?? "", /2 page views/);
  await screenshot(page, "analytics-overview");
  assert.deepEqual(await axe(page), []);
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "analytics-overview-dark");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "analytics-overview-phone");
  await ctx.close();
});
