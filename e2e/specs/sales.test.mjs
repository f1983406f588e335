// Sales AI in the dashboard: leads (created through the API) are scored against a saved ICP; the
// leads list shows score bands, the lead page the explanation lines and a logged note; a sequence is
// created and built in the UI; the drafts queue, pipeline, import wizard and the AI safety console
// render. axe on each page; screenshots e2e/artifacts/sales-*.png (light, dark, 390 px).
// (The whole flow — enrol, the cron's drafts, approve, dev-inbox reply — needs the outreach cron:
// left for the browser test of the whole flow in a later session.)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, launch, liveTheme, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
const owner = { email: uniqueEmail("sales-owner") };
const IP = "127.8.71.1";
const staff = (method, path, body) => apiCall(path, { method, token: owner.token, tenant: owner.tenant, ip: IP, body });
let hot; // the lead that matches the ICP

before(async () => {
  browser = await launch();
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: "Sam Seller", workspace_name: "Seller Co" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  Object.assign(owner, { token: r.body.access_token, tenant: r.body.tenant.id });
  const icp = await staff("PUT", "/api/v1/sales/icp", {
    industries: ["Software"],
    sizes: ["51-200"],
    titles: ["VP"],
    regions: ["US"],
    required: [],
    excluded: ["domain:gmail.com"],
  });
  assert.equal(icp.status, 200, JSON.stringify(icp.body));
  const leads = [
    {
      email: "vera@acme-soft.example",
      first_name: "Vera",
      last_name: "Vance",
      title: "VP Sales",
      company_name: "Acme Soft",
      industry: "Software",
      employees: 120,
      country: "US",
    },
    {
      email: "colin@bakery.example",
      first_name: "Colin",
      last_name: "Crumb",
      title: "Owner",
      company_name: "Crumb Bakery",
      industry: "Food",
      employees: 4,
      country: "GB",
    },
  ];
  for (const l of leads) {
    const c = await staff("POST", "/api/v1/sales/leads", l);
    assert.equal(c.status, 201, JSON.stringify(c.body));
    if (l.first_name === "Vera") hot = c.body;
  }
  // Score them now (the cron would within minutes).
  const rescore = await staff("POST", "/api/v1/sales/scoring/rescore", { all: true });
  assert.equal(rescore.status, 200, JSON.stringify(rescore.body));
  assert.equal(rescore.body.rescored, 2, JSON.stringify(rescore.body));
});
after(async () => browser?.close());

async function signedIn(opts = {}) {
  const ctx = await newContext(browser, opts);
  const page = await ctx.newPage();
  await loginUI(page, { email: owner.email });
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return { ctx, page };
}
async function a11y(page, what) {
  for (const v of await axe(page)) assert.fail(`${what}: ${v}`);
}
/**
 * Light screenshot + axe, then the dark screenshot on the same loaded page; axe in dark too when
 * `darkAxe` (the pages with the most colour: the leads list, the lead, the builder) — each axe run
 * costs seconds on a loaded machine.
 */
async function both(page, name, darkAxe = false) {
  await a11y(page, `${name} (light)`);
  await screenshot(page, `sales-${name}-light`);
  await liveTheme(page, "dark");
  if (darkAxe) await a11y(page, `${name} (dark)`);
  await screenshot(page, `sales-${name}-dark`);
  await liveTheme(page, "light");
}

test("leads are listed best score first with bands; the lead page explains the score and logs a note", async () => {
  const { ctx, page } = await signedIn();
  await onFail(page, "sales-leads", async () => {
    await page.goto("/sales/leads");
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    const vera = page.getByRole("row", { name: /Vera Vance/ });
    await vera.waitFor();
    const rows = page.getByRole("row");
    // Header row first, then Vera (scored higher) before Colin.
    assert.match((await rows.nth(1).textContent()) ?? "", /Vera Vance/);
    await both(page, "leads", true);
    await vera.getByRole("link", { name: "Vera Vance" }).click();
    await page.getByRole("heading", { name: "Vera Vance", level: 1 }).waitFor();
    await page.getByText("Industry", { exact: false }).first().waitFor();
    await page.getByRole("textbox", { name: "Note" }).fill("Asked for a demo next week.");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByText("Asked for a demo next week.").waitFor();
    await both(page, "lead", true);
  });
  await ctx.close();
});

test("a sequence is created and built in the UI; drafts, pipeline, import and the AI safety console render", async () => {
  const { ctx, page } = await signedIn();
  await onFail(page, "sales-sequences", async () => {
    await page.goto("/outreach/sequences");
    await page.getByRole("heading", { name: "Sequences", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New sequence" }).click();
    await page.getByRole("dialog", { name: "New sequence" }).getByLabel("Name").fill("VP outreach");
    await page.getByRole("dialog", { name: "New sequence" }).getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { name: "VP outreach", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Add email step" }).click();
    await page.getByRole("button", { name: "Add variant B" }).click();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Sequence saved.").waitFor();
    await both(page, "sequence", true);
    for (const [path, heading, name] of [
      ["/outreach/drafts", "Drafts", "drafts"],
      ["/sales/pipeline", "Pipeline", "pipeline"],
      ["/sales/import", "Import leads", "import"],
      ["/sales/scoring", "ICP & scoring", "scoring"],
      ["/ai-safety", "AI safety", "ai-safety"],
      ["/ai-safety/guardrails", "Guardrails", "guardrails"],
      ["/ai-safety/calls", "Call log", "calls"],
    ]) {
      await page.goto(path);
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await both(page, name);
    }
  });
  await ctx.close();
});

test("at phone width the leads list and the lead page fit", async () => {
  const { ctx, page } = await signedIn({ viewport: { width: 390, height: 844 } });
  await onFail(page, "sales-phone", async () => {
    await page.goto("/sales/leads");
    await page.getByRole("row", { name: /Vera Vance/ }).waitFor();
    await screenshot(page, "sales-leads-390");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    await page.goto(`/sales/leads/${hot.id}`);
    await page.getByRole("heading", { name: "Vera Vance", level: 1 }).waitFor();
    await screenshot(page, "sales-lead-390");
    await page.goto("/outreach/drafts");
    await page.getByRole("heading", { name: "Drafts", level: 1 }).waitFor();
    await screenshot(page, "sales-drafts-390");
  });
  await ctx.close();
});
