// Billing: upgrade Free → Starter through the local payment simulator and see the plan and limits
// change; the billing page is accessible in light and dark (screenshots in e2e/artifacts/).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, launch, loginUI, newContext, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

async function settle(page) {
  await page.getByRole("heading", { name: "Current plan" }).waitFor();
  await page.waitForLoadState("networkidle").catch(() => {});
}
async function themed(page, name, problems) {
  for (const theme of ["light", "dark"]) {
    await page.evaluate((t) => localStorage.setItem("weft.theme", t), theme);
    await page.reload();
    await settle(page);
    for (const v of await axe(page)) problems.push(`${name} (${theme}): ${v}`);
    await screenshot(page, `${name}-${theme}`);
  }
}

test("upgrade Free → Starter through the payment simulator; plan and limits change", async () => {
  const ip = "127.0.8.1";
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
