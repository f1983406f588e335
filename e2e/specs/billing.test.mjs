// Billing: upgrade Free → Starter through the local payment simulator and see the plan and limits
// change; the billing page is accessible in light and dark (screenshots in e2e/artifacts/). The
// simulator's test clock moves a workspace's billing time forward: renewal, dunning, restriction.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { subscribeViaSimulator } from "../lib/billing.mjs";
import {
  ARTIFACTS,
  apiCall,
  axe,
  launch,
  liveTheme,
  loginUI,
  newContext,
  PASSWORD,
  SCREENSHOTS,
  screenshot,
  uniqueEmail,
} from "../lib/browser.mjs";

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

async function settle(page) {
  await page.getByRole("heading", { name: "Current plan" }).waitFor();
  await page.waitForLoadState("networkidle").catch(() => {});
}
async function themed(page, name, problems) {
  for (const theme of ["light", "dark"]) {
    if (theme === "light") {
      await page.evaluate(() => localStorage.setItem("weft.theme", "light"));
      await page.reload();
      await settle(page);
    } else assert.ok(await liveTheme(page, "dark"), `${name}: dark applied`);
    for (const v of await axe(page)) problems.push(`${name} (${theme}): ${v}`);
    await screenshot(page, `${name}-${theme}`);
  }
}

test("upgrade Free → Starter through the payment simulator; plan and limits change", async () => {
  const ip = "127.0.18.1";
  const owner = { name: "Billing Owner", email: uniqueEmail("billing") };
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    body: { ...owner, password: PASSWORD, workspace_name: "Billing Co" },
    ip,
  });
  assert.equal(signup.status, 201);
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await loginUI(page, owner);
  await page.waitForURL((u) => u.pathname === "/");
  await page.goto("/settings/billing");
  await settle(page);
  const problems = [];

  assert.equal(await page.getByTestId("current-plan").innerText(), "Free");
  assert.equal(await page.getByTestId("usage-emails-limit").innerText(), "100");
  assert.match(await page.getByTestId("seats").innerText(), /1 used · 3 on Free/);
  assert.match(await page.getByTestId("simulator-note").innerText(), /Payment simulator/);
  await themed(page, "billing-free", problems);

  // Yearly toggle changes the prices shown; back to monthly for the upgrade.
  await page.getByRole("radio", { name: /Yearly/ }).click();
  assert.match(await page.getByTestId("plan-starter").innerText(), /\$470\.40\/yr/);
  await page.getByRole("radio", { name: "Monthly" }).click();
  assert.match(await page.getByTestId("plan-starter").innerText(), /\$49\/mo/);

  await page.evaluate(() => localStorage.setItem("weft.theme", "light"));
  await page.getByRole("button", { name: "Upgrade to Starter" }).click();
  const dialog = page.getByRole("dialog", { name: "Subscribe to Starter" });
  await dialog.waitFor();
  const trial = dialog.getByLabel(/free trial/);
  if (await trial.isChecked()) await trial.uncheck();
  await dialog.getByTestId("due-now").waitFor();
  for (const v of await axe(page)) problems.push(`checkout dialog: ${v}`);
  await screenshot(page, "billing-checkout-dialog");
  await dialog.getByRole("button", { name: "Continue to payment simulator" }).click();

  await page.waitForURL("**/dev/payment-simulator/checkout/**");
  await page.getByText("Payment simulator — local development only").waitFor();
  await screenshot(page, "billing-simulator-page");
  await page.getByRole("button", { name: "Approve payment" }).click();

  await page.waitForURL((u) => u.pathname === "/settings/billing");
  await settle(page);
  await page.getByTestId("current-plan").filter({ hasText: "Starter" }).waitFor();
  assert.equal(await page.getByTestId("usage-emails-limit").innerText(), "5,000");
  assert.equal(await page.getByTestId("usage-leads-limit").innerText(), "1,000");
  assert.match(await page.getByTestId("seats").innerText(), /1 used · 3 paid/);
  await page.getByRole("table", { name: "Invoices" }).getByText("paid").waitFor();
  await themed(page, "billing-starter", problems);

  // Payment method: the simulated customer portal opens through a signed session link.
  await page.getByRole("button", { name: "Payment method" }).click();
  await page.waitForURL((u) => u.pathname === "/dev/payment-simulator/portal" && u.searchParams.has("session"));
  await page.getByText("Visa •••• 4242 (simulated)").waitFor();
  await page.getByRole("button", { name: "Use a card that declines" }).click();
  await page.getByText(/declines every charge/).waitFor();
  await page.getByRole("button", { name: "Use a working card" }).click();
  await page.getByText("Visa •••• 4242 (simulated)").waitFor();
  await page.getByRole("link", { name: "Back to billing" }).click();
  await page.waitForURL((u) => u.pathname === "/settings/billing");
  await page.getByTestId("current-plan").filter({ hasText: "Starter" }).waitFor();

  // Destructive actions ask first.
  await page.getByRole("button", { name: "Cancel plan" }).click();
  const confirm = page.getByRole("dialog", { name: "Cancel Starter?" });
  await confirm.waitFor();
  await confirm.getByRole("button", { name: "Cancel", exact: true }).click();
  await confirm.waitFor({ state: "hidden" });

  assert.deepEqual(problems, []);
  await ctx.close();
});

test("test clock: advancing to the next renewal shows the new paid invoice; a declining card leads to dunning and restriction", async () => {
  const ip = "127.0.18.2";
  const owner = { name: "Clock Owner", email: uniqueEmail("clock") };
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    body: { ...owner, password: PASSWORD, workspace_name: "Clock Co" },
    ip,
  });
  assert.equal(signup.status, 201);
  const auth = { token: signup.body.access_token, tenant: signup.body.tenant.id, ip };
  await subscribeViaSimulator(auth, { plan: "starter", seats: 3 });
  const clock = await apiCall("/api/v1/billing/simulator/clock", auth);
  assert.equal(clock.status, 200);
  const renewalMonth = clock.body.targets.renewal.slice(0, 7).replace("-", ""); // the new invoice's number ends with it

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const problems = [];
  await loginUI(page, owner);
  await page.waitForURL((u) => u.pathname === "/");
  await page.goto("/settings/billing");
  await settle(page);
  const panel = page.getByRole("region", { name: "Test clock (payment simulator, local only)" });
  await panel.getByTestId("test-clock-now").waitFor();
  const invoices = page.getByRole("table", { name: "Invoices" });
  await invoices.getByText("paid").waitFor();
  assert.equal(await invoices.locator("tbody tr").count(), 1);
  for (const theme of ["light", "dark"]) {
    await page.evaluate((t) => localStorage.setItem("weft.theme", t), theme);
    await page.reload();
    await settle(page);
    await panel.getByTestId("test-clock-now").waitFor();
    for (const v of await axe(page)) problems.push(`test clock (${theme}): ${v}`);
    if (SCREENSHOTS) await panel.screenshot({ path: `${ARTIFACTS}/billing-test-clock-${theme}.png` });
  }
  await page.evaluate(() => localStorage.setItem("weft.theme", "light"));
  await page.reload();
  await settle(page);

  // Next renewal: renewed at the simulated time, the new invoice appears, paid.
  await panel.getByRole("button", { name: /Advance to next renewal/ }).click();
  await panel.getByTestId("test-clock-result").getByText("Renewed: invoice paid").waitFor();
  await invoices.getByText(new RegExp(`-${renewalMonth}$`)).waitFor();
  assert.equal(await invoices.locator("tbody tr").count(), 2);
  assert.equal(await invoices.getByText("payment failed").count(), 0);
  // The clock's own reading refetches after the result is shown: wait for it rather than read it once.
  await panel
    .getByTestId("test-clock-ahead")
    .filter({ hasText: /^(\d+ days?|Less than a day)$/ })
    .waitFor();
  if (SCREENSHOTS) await panel.screenshot({ path: `${ARTIFACTS}/billing-test-clock-advanced.png` });

  // Phone width (renewal button, input and result fit without sideways scrolling).
  const phone = await newContext(browser, { viewport: { width: 390, height: 844 } });
  const p2 = await phone.newPage();
  await loginUI(p2, owner);
  await p2.waitForURL((u) => u.pathname === "/");
  await p2.goto("/settings/billing");
  await settle(p2);
  const panel2 = p2.getByRole("region", { name: "Test clock (payment simulator, local only)" });
  await panel2.getByRole("button", { name: /Advance to next renewal/ }).waitFor();
  const overflow = await p2.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 390px`);
  if (SCREENSHOTS) await panel2.screenshot({ path: `${ARTIFACTS}/billing-test-clock-390.png` });
  await p2.evaluate(() => localStorage.setItem("weft.theme", "dark"));
  await p2.reload();
  await settle(p2);
  await panel2.getByRole("button", { name: /Advance to next renewal/ }).waitFor();
  if (SCREENSHOTS) await panel2.screenshot({ path: `${ARTIFACTS}/billing-test-clock-390-dark.png` });
  await phone.close();

  // A declining card (simulated portal), the next renewal fails: past due with the dunning banner; past the grace end: restricted.
  await page.getByRole("button", { name: "Payment method" }).click();
  await page.waitForURL((u) => u.pathname === "/dev/payment-simulator/portal");
  await page.getByRole("button", { name: "Use a card that declines" }).click();
  await page.getByText(/declines every charge/).waitFor();
  await page.getByRole("link", { name: "Back to billing" }).click();
  await page.waitForURL((u) => u.pathname === "/settings/billing");
  await settle(page);
  await panel.getByRole("button", { name: /Advance to next renewal/ }).click();
  await page.getByTestId("dunning-banner").getByText("Your last payment failed.").waitFor();
  await invoices.getByText("payment failed").waitFor();
  await panel.getByRole("button", { name: /Advance past grace end/ }).click();
  await page
    .getByTestId("dunning-banner")
    .getByText(/limited to the Free plan's limits/)
    .waitFor();
  for (const v of await axe(page)) problems.push(`test clock, restricted: ${v}`);
  await screenshot(page, "billing-test-clock-restricted");
  await ctx.close();

  assert.deepEqual(problems, []);
});
