// End users in the browser: a customer signs in on the hosted portal with an emailed code (phone
// width, no script); the workspace sees them under End users, searches, blocks (the customer is
// refused), deletes with their data after a confirmation; portal settings save the branding the
// portal then shows. axe on the dashboard pages and the portal; screenshots in light, dark and at
// 390 px in e2e/artifacts/endusers-*.png.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, launch, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail, waitForMail } from "../lib/browser.mjs";

let browser;
let owner;
const IP = "127.8.15.1";
before(async () => {
  browser = await launch();
  owner = { email: uniqueEmail("eu-owner") };
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: "Olga Owner", workspace_name: "Juniper Tea" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  owner.token = r.body.access_token;
  owner.tenant = r.body.tenant.id;
  owner.slug = r.body.tenant.slug;
  const as = (method, path, body) => apiCall(path, { method, token: owner.token, tenant: owner.tenant, ip: IP, body });
  assert.equal((await as("PUT", "/api/v1/end-users/portal-settings", { enabled: true, brand_name: "Juniper Tea Club" })).status, 200);
  for (const [name, email] of [
    ["Ada Oolong", uniqueEmail("ada")],
    ["Ben Sencha", uniqueEmail("ben")],
  ])
    assert.equal((await as("POST", "/api/v1/end-users", { email, name, send_invite: false })).status, 201);
});
after(async () => browser?.close());

test("a customer signs in on the hosted portal by emailed code, at phone width", async () => {
  const ctx = await newContext(browser, { viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await onFail(page, "endusers-portal", async () => {
    const email = uniqueEmail("cara");
    await page.goto(`/portal/${owner.slug}`);
    await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
    await page.getByText("Juniper Tea Club").first().waitFor();
    for (const v of await axe(page)) assert.fail(`portal sign-in: ${v}`);
    await screenshot(page, "endusers-portal-signin-390");
    await page.getByLabel("Email", { exact: true }).first().fill(email);
    await page.getByRole("button", { name: "Email me a sign-in code" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const mail = await waitForMail(email, /sign-in code/);
    const code = /code (\d{6})/.exec(mail.text)?.[1];
    assert.ok(code, mail.text);
    await page.getByLabel("Code").fill(code);
    await screenshot(page, "endusers-portal-code-390");
    await page.getByRole("button", { name: "Sign in" }).click();
    // Signed in: the portal's home; the account page is one tab away.
    await page.getByRole("navigation", { name: "Portal sections" }).waitFor();
    await page.getByRole("link", { name: "Account" }).click();
    await page.getByRole("heading", { name: "Account", level: 1 }).waitFor();
    await page.getByText(email).waitFor();
    for (const v of await axe(page)) assert.fail(`portal account: ${v}`);
    await screenshot(page, "endusers-portal-account-390");
  });
  await ctx.close();
});

test("the workspace lists, searches, blocks and deletes end users; portal settings brand the portal", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await onFail(page, "endusers-dashboard", async () => {
    await loginUI(page, { email: owner.email });
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto("/customers");
    await page.getByRole("heading", { name: "End users", level: 1 }).waitFor();
    await page.getByRole("cell", { name: /^Ada Oolong/ }).waitFor();
    for (const v of await axe(page)) assert.fail(`end users: ${v}`);
    await screenshot(page, "endusers-list-light");

    await page.getByLabel("Search end users").fill("sencha");
    await page.getByRole("cell", { name: /^Ben Sencha/ }).waitFor();
    await page.getByRole("cell", { name: /^Ada Oolong/ }).waitFor({ state: "detached" });

    // Block (with confirmation), then delete with their data (with confirmation).
    await page.getByRole("button", { name: "Actions for Ben Sencha" }).click();
    await page.getByRole("menuitem", { name: "Block…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Block", exact: true }).click();
    await page.getByRole("cell", { name: "Blocked" }).waitFor();
    await page.getByRole("button", { name: "Actions for Ben Sencha" }).click();
    await page.getByRole("menuitem", { name: "Delete with their data…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("cannot be undone").waitFor();
    await screenshot(page, "endusers-delete-confirm-light");
    await dialog.getByRole("button", { name: "Delete with their data" }).click();
    await page.getByText("No end users match").waitFor();
    await page.getByLabel("Search end users").fill("");
    await page.getByRole("cell", { name: /^Ada Oolong/ }).waitFor();

    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "endusers-list-dark");
    await page.emulateMedia({ colorScheme: "light" });

    // Portal settings: brand colour → the hosted portal shows it.
    await page.getByRole("link", { name: "Portal settings" }).first().click();
    await page.getByRole("heading", { name: "Portal settings", level: 1 }).waitFor();
    await page.getByLabel("Button colour").fill("#0f766e");
    await page.getByRole("radio", { name: /By invitation/ }).check();
    for (const v of await axe(page)) assert.fail(`portal settings: ${v}`);
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Portal settings saved").waitFor();
    await screenshot(page, "endusers-settings-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "endusers-settings-dark");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/customers");
    await page.getByRole("cell", { name: /^Ada Oolong/ }).waitFor();
    await screenshot(page, "endusers-list-dark-390");

    const html = await (await page.request.get(`/portal/${owner.slug}`)).text();
    assert.match(html, /--brand:#0f766e/);
    assert.doesNotMatch(html, /Create an account/); // invite-only: no sign-up link
  });
  await ctx.close();
});
