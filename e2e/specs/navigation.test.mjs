// Navigation: the command palette (Ctrl-K; pages, records from the API, actions), the grouped
// sidebar collapsing to an icon rail that survives a reload, and the phone drawer. Screenshots of
// each state in light and dark go to e2e/artifacts/nav-*.png.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { apiCall, ARTIFACTS, axe, BASE, launch, loginUI, newContext, PASSWORD, SCREENSHOTS, uniqueEmail } from "../lib/browser.mjs";

const IP = "127.11.0.1";
const SITE = "https://shop.navigation.example";
const owner = { name: "Nadia Navigator", email: uniqueEmail("nav") };
let browser;
let conversationId;

/** A visitor starts a conversation through the public chat API, as the widget would. */
async function startConversation(key, name) {
  const headers = { "Content-Type": "application/json", "X-Weft-Key": key, Origin: SITE, "CF-Connecting-IP": IP };
  const v = await fetch(`${BASE}/public/v1/chat/visitors`, { method: "POST", headers, body: JSON.stringify({ name }) });
  assert.equal(v.status, 200, await v.clone().text());
  const { visitor_token } = await v.json();
  const c = await fetch(`${BASE}/public/v1/chat/conversations`, {
    method: "POST",
    headers: { ...headers, Authorization: `Bearer ${visitor_token}` },
    body: JSON.stringify({ page_url: `${SITE}/pricing`, prechat: { name } }),
  });
  assert.equal(c.status, 201, await c.clone().text());
  return (await c.json()).id;
}

before(async () => {
  browser = await launch();
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    body: { ...owner, password: PASSWORD, workspace_name: "Wayfinding Co" },
    ip: IP,
  });
  assert.equal(signup.status, 201, JSON.stringify(signup.body));
  const auth = { token: signup.body.access_token, tenant: signup.body.tenant.id, ip: IP };
  const pk = await apiCall("/api/v1/publishable-keys", { method: "POST", ...auth, body: { name: "Shop", allowed_origins: [SITE] } });
  assert.equal(pk.status, 201, JSON.stringify(pk.body));
  conversationId = await startConversation(pk.body.key, "Zelda Quintero");
  // A second workspace, so "switch workspace" is offered as an action.
  const second = await apiCall("/api/v1/tenants", { method: "POST", ...auth, body: { name: "Second Shop" } });
  assert.equal(second.status, 201, JSON.stringify(second.body));
});
after(async () => browser?.close());

/** What the viewport shows (the drawer and the palette are viewport-sized; a full-page shot stretches them). */
const screenshot = async (page, name) => SCREENSHOTS && (await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) }));
const palette = (page) => page.getByRole("dialog", { name: "Command palette" });
const combobox = (page) => palette(page).getByRole("combobox");
const selected = (page) => palette(page).locator('[role="option"][aria-selected="true"]');

async function signIn(ctx) {
  const page = await ctx.newPage();
  await loginUI(page, owner);
  await page.waitForURL((u) => u.pathname === "/");
  await page.getByRole("heading", { level: 1, name: /Welcome/ }).waitFor();
  return page;
}

/** Moves the active option down until it matches `name` (at most 30 steps). */
async function arrowTo(page, name) {
  for (let i = 0; i < 30; i++) {
    if (name.test(await selected(page).textContent())) return;
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`no option matching ${name}`);
}

test("palette: Ctrl-K finds a page and a conversation, runs an action; Escape closes and returns focus", async () => {
  const ctx = await newContext(browser);
  const page = await signIn(ctx);

  // Ctrl-K opens it with the combobox focused; typing narrows the pages; Enter navigates.
  await page.keyboard.press("Control+k");
  await palette(page).waitFor();
  assert.equal(await combobox(page).evaluate((el) => el === document.activeElement), true, "the input has focus");
  await page.keyboard.type("audt");
  await selected(page).filter({ hasText: "Audit log" }).waitFor();
  assert.equal(await combobox(page).getAttribute("aria-activedescendant"), await selected(page).getAttribute("id"));
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/audit-log");
  await palette(page).waitFor({ state: "hidden" });
  await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
  const current = page.getByRole("navigation", { name: "Main" }).locator('[aria-current="page"]');
  assert.deepEqual(await current.allTextContents(), ["Audit log"], "one active sidebar entry");

  // The search button opens it too; a visitor's name finds the conversation (debounced API search,
  // a "Conversations" group) and Enter opens it in the inbox.
  const searchButton = page.getByRole("button", { name: "Search pages, records and actions" });
  await searchButton.click();
  await combobox(page).fill("Zelda");
  const group = palette(page).getByRole("group", { name: "Conversations" });
  await group.getByRole("option", { name: /Zelda Quintero/ }).waitFor();
  await screenshot(page, "nav-palette-records-light");
  for (const v of await axe(page)) assert.fail(`palette: ${v}`);
  await arrowTo(page, /Zelda Quintero/);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/chat" && u.searchParams.get("c") === conversationId);
  await page.getByRole("region", { name: "Conversation with Zelda Quintero" }).waitFor();

  // Nothing found: an empty state, not a blank box. Escape closes and focus goes back to the button.
  await searchButton.click();
  await combobox(page).fill("qqxqzzy");
  await palette(page).getByText("No results for “qqxqzzy”").waitFor();
  // …besides handing the words to the assistant, the one option left.
  assert.deepEqual(await palette(page).getByRole("option").allTextContents(), ["Ask: qqxqzzyAsk the assistant (Ctrl/Cmd-J)"]);
  await page.keyboard.press("Escape");
  await palette(page).waitFor({ state: "hidden" });
  assert.equal(await searchButton.evaluate((el) => el === document.activeElement), true, "focus returns to the opener");

  // Actions: the theme toggles from the palette; the other workspace is offered.
  await page.keyboard.press("Control+k");
  await combobox(page).fill("switch");
  await palette(page)
    .getByRole("option", { name: /Switch to Second Shop/ })
    .waitFor();
  await combobox(page).fill("dark theme");
  await arrowTo(page, /Switch to dark theme/);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.documentElement.classList.contains("dark"));
  assert.equal(await page.evaluate(() => localStorage.getItem("weft.theme")), "dark");
  await page.getByRole("button", { name: "Theme: Dark" }).waitFor();

  // The palette open on pages, in dark.
  await page.keyboard.press("Control+k");
  await combobox(page).fill("set");
  await selected(page).waitFor();
  await screenshot(page, "nav-palette-pages-dark");
  await page.keyboard.press("Escape");
  await ctx.close();
});

test("sidebar: groups collapse; the icon rail is remembered across a reload", async () => {
  const ctx = await newContext(browser);
  const page = await signIn(ctx);
  const nav = page.getByRole("navigation", { name: "Main" });
  // Every group has pages now (Sell came with commerce); visibleNav() drops a group the role sees nothing of.
  for (const heading of ["Engage", "Sell", "Grow", "Build", "Settings"]) await nav.getByRole("button", { name: heading }).waitFor();
  await nav.getByRole("link", { name: "Orders" }).waitFor();
  assert.equal(await nav.locator('[aria-current="page"]').textContent(), "Home");
  await screenshot(page, "nav-sidebar-light");

  // A group closes and opens from the keyboard.
  const engage = nav.getByRole("button", { name: "Engage" });
  await engage.focus();
  await page.keyboard.press("Enter");
  assert.equal(await engage.getAttribute("aria-expanded"), "false");
  await nav.getByRole("link", { name: "Inbox" }).waitFor({ state: "hidden" });
  await page.keyboard.press("Enter");
  await nav.getByRole("link", { name: "Inbox" }).waitFor();

  // Collapse to the rail: links keep their names (for screen readers and as tooltips).
  await page.getByRole("button", { name: "Collapse sidebar" }).click();
  await page.getByRole("button", { name: "Expand sidebar" }).waitFor();
  const width = async () => (await page.locator('aside[aria-label="Sidebar"]').boundingBox()).width;
  assert.ok((await width()) < 90, `rail width ${await width()}`);
  assert.equal(await page.evaluate(() => localStorage.getItem("weft.sidebar")), "collapsed");
  await page.reload();
  await page.getByRole("button", { name: "Expand sidebar" }).waitFor();
  assert.ok((await width()) < 90, "still a rail after reload");
  const team = nav.getByRole("link", { name: "Team" });
  await team.hover();
  await page.locator("div.fixed", { hasText: /^Team$/ }).waitFor();
  await screenshot(page, "nav-rail-light");
  for (const v of await axe(page)) assert.fail(`rail: ${v}`);
  await team.click();
  await page.waitForURL((u) => u.pathname === "/team");
  assert.equal(await team.getAttribute("aria-current"), "page");

  await page.evaluate(() => localStorage.setItem("weft.theme", "dark"));
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Team" }).waitFor();
  await screenshot(page, "nav-rail-dark");
  await page.getByRole("button", { name: "Expand sidebar" }).click();
  await page.getByRole("button", { name: "Collapse sidebar" }).waitFor();
  await page.goto("/messaging/webhooks");
  await page.getByRole("heading", { level: 1, name: "Messaging" }).waitFor();
  assert.deepEqual(await nav.locator('[aria-current="page"]').allTextContents(), ["Webhooks"], "the most specific entry is active");
  await screenshot(page, "nav-sidebar-dark");
  await ctx.close();
});

test("phone: the drawer opens from the menu button, traps focus, closes on Escape and on navigation", async () => {
  const ctx = await newContext(browser, { viewport: { width: 390, height: 844 } });
  const page = await signIn(ctx);
  const menu = page.getByRole("button", { name: "Open navigation" });
  const drawer = page.getByRole("dialog", { name: "Navigation" });
  assert.equal(await page.locator('aside[aria-label="Sidebar"]').isVisible(), false, "no sidebar at phone width");

  await menu.click();
  await drawer.waitFor();
  // A modal <dialog> cycles Tab through its own controls and the browser's UI (seen from the page as
  // focus on <body>); it must never reach the page behind it. Whether the 25th press lands on the body
  // stop depends on how many links the drawer has, so every stop is checked, not just the last.
  let inside = 0;
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press("Tab");
    const where = await drawer.evaluate((d) =>
      d.contains(document.activeElement) ? "in" : document.activeElement === document.body ? "body" : "out",
    );
    assert.notEqual(where, "out", `Tab ${i + 1} left the drawer`);
    if (where === "in") inside++;
  }
  assert.ok(inside >= 20, "focus stays in the drawer");
  await screenshot(page, "nav-drawer-light");
  for (const v of await axe(page)) assert.fail(`drawer: ${v}`);
  await page.keyboard.press("Escape");
  await drawer.waitFor({ state: "hidden" });
  assert.ok(await menu.evaluate((el) => el === document.activeElement), "focus returns to the menu button");

  await menu.click();
  await drawer.getByRole("link", { name: "Knowledge", exact: true }).click();
  await page.waitForURL((u) => u.pathname === "/knowledge");
  await drawer.waitFor({ state: "hidden" });
  await page.getByRole("heading", { level: 1, name: /Knowledge/ }).waitFor();
  await screenshot(page, "nav-phone-light");

  // The palette works at phone width too (the search button is an icon there).
  await page.getByRole("button", { name: "Search pages, records and actions" }).click();
  await combobox(page).fill("team");
  await selected(page).filter({ hasText: "Team" }).waitFor();
  await screenshot(page, "nav-palette-phone-light");
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/team");

  await page.evaluate(() => localStorage.setItem("weft.theme", "dark"));
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Team" }).waitFor();
  await menu.click();
  await drawer.waitFor();
  await screenshot(page, "nav-drawer-dark");
  await ctx.close();
});
