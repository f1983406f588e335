// Every main page: no serious/critical axe violations, in light and dark theme; screenshots of each
// (and a phone-width one) go to e2e/artifacts/.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { subscribeViaSimulator } from "../lib/billing.mjs";
import { apiCall, axe, launch, liveTheme, loginUI, newContext, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const PUBLIC_PAGES = [
  ["login", "/login", "Sign in to Weft"],
  ["signup", "/signup", "Create your account"],
  ["forgot-password", "/forgot-password", "Reset your password"],
  ["not-found", "/no-such-page", "Page not found"],
];
const APP_PAGES = [
  ["onboarding", "/onboarding", "Set up your workspace"],
  ["home", "/", /Welcome/],
  ["team", "/team", "Team"],
  ["team-invitations", "/team?tab=invitations", "Team"],
  ["settings-profile", "/settings/profile", "Settings"],
  ["settings-security", "/settings/security", "Settings"],
  ["settings-api-keys", "/settings/api-keys", "Settings"],
  ["settings-publishable-keys", "/settings/publishable-keys", "Settings"],
  ["audit-log", "/audit-log", "Audit log"],
  ["mailbox", "/mailbox", "Dev mailbox"],
];

async function settle(page, heading) {
  await page.getByRole("heading", { name: heading, level: 1 }).first().waitFor();
  // The home page's chart library loads lazily; wait for it so the screenshot shows the chart.
  if (String(heading) === String(/Welcome/)) await page.getByRole("img", { name: /Bar chart/ }).waitFor();
  await page.waitForLoadState("networkidle").catch(() => {});
  await page
    .locator('[role="status"][aria-label="Loading"]')
    .first()
    .waitFor({ state: "detached", timeout: 10_000 })
    .catch(() => {});
}

async function check(page, name, path, heading, problems) {
  for (const theme of ["light", "dark"]) {
    if (theme === "light") {
      await page.evaluate(() => localStorage.setItem("weft.theme", "light"));
      await page.goto(path);
      await settle(page, heading);
    } else await liveTheme(page, "dark");
    const dark = await page.evaluate(() => document.documentElement.classList.contains("dark"));
    assert.equal(dark, theme === "dark", `${name}: theme ${theme} applied`);
    for (const v of await axe(page)) problems.push(`${name} (${theme}): ${v}`);
    await screenshot(page, `${name}-${theme}`);
  }
}

test("public pages are accessible in light and dark", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto("/login");
  const problems = [];
  for (const [name, path, heading] of PUBLIC_PAGES) await check(page, name, path, heading, problems);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("app pages are accessible in light and dark, with real data", async () => {
  const ip = "127.0.7.1";
  const owner = { name: "Page Owner", email: uniqueEmail("pages") };
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    body: { ...owner, password: PASSWORD, workspace_name: "Screenshot Co" },
    ip,
  });
  assert.equal(signup.status, 201);
  const tenant = signup.body.tenant.id;
  const token = signup.body.access_token;
  // Some data so tables, charts and stats have something to show. Owner + 3 invitations is more than
  // Free's 3 seats, so the workspace is on Starter (through the payment simulator) first.
  await subscribeViaSimulator({ token, tenant, ip }, { plan: "starter", seats: 4 });
  for (const [i, role] of ["admin", "member", "viewer"].entries()) {
    const inv = await apiCall("/api/v1/invitations", {
      method: "POST",
      token,
      tenant,
      ip,
      body: { email: `teammate${i}-${Date.now()}@example.com`, role },
    });
    assert.equal(inv.status, 201, JSON.stringify(inv.body));
  }
  await apiCall("/api/v1/api-keys", {
    method: "POST",
    token,
    tenant,
    ip,
    body: { name: "Billing backend", scopes: ["members:read", "tenant:read"] },
  });
  await apiCall("/api/v1/publishable-keys", {
    method: "POST",
    token,
    tenant,
    ip,
    body: { name: "Marketing site", allowed_origins: ["https://www.example.com"] },
  });

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await loginUI(page, owner);
  await page.waitForURL((u) => u.pathname === "/");
  const problems = [];
  for (const [name, path, heading] of APP_PAGES) await check(page, name, path, heading, problems);

  // Dialogs: the invite dialog traps focus and is accessible.
  await page.evaluate(() => localStorage.setItem("weft.theme", "light"));
  await page.goto("/team");
  await settle(page, "Team");
  await page.getByRole("button", { name: "Invite teammate" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite a teammate" });
  await dialog.waitFor();
  for (let i = 0; i < 8; i++) await page.keyboard.press("Tab");
  assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), "focus stays inside the dialog");
  for (const v of await axe(page)) problems.push(`invite dialog: ${v}`);
  await screenshot(page, "dialog-invite-light");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });

  // Home numbers come from the API.
  await page.goto("/");
  await settle(page, /Welcome/);
  const pending = page.locator("a", { hasText: "Pending invitations" });
  assert.match(await pending.innerText(), /3/);
  await ctx.close();

  // Phone width: the sidebar becomes a drawer.
  const phone = await newContext(browser, { viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const p = await phone.newPage();
  await loginUI(p, owner);
  await p.waitForURL((u) => u.pathname === "/");
  await settle(p, /Welcome/);
  await screenshot(p, "home-phone-dark");
  await p.getByRole("button", { name: "Open navigation" }).click();
  await p.getByRole("dialog", { name: "Navigation" }).getByRole("link", { name: "Team" }).click();
  await settle(p, "Team");
  await screenshot(p, "team-phone-dark");
  await phone.close();

  assert.deepEqual(problems, []);
});
