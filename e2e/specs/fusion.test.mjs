// Sales knowledge (knowledge fusion) in the dashboard: two call transcripts are uploaded through the
// API (voice), "Generate from new calls & emails" runs the fusion with its progress, the documents list
// shows the battle card, objection handlers and FAQs; a document page shows its quoted sources and
// confidence; an edit drops the AI mark, then review → publish (confirmed) → published. axe on both
// pages; screenshots e2e/artifacts/fusion-*.png (light, dark, 390 px phone).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, dismissToasts, launch, liveTheme, loginUI, newContext, onFail, screenshot, uniqueEmail } from "../lib/browser.mjs";
import { ownerOnPlan } from "../lib/billing.mjs";

let browser;
const owner = { email: uniqueEmail("fusion-owner") };
const IP = "127.8.72.1";
const staff = (method, path, body) => apiCall(path, { method, token: owner.token, tenant: owner.tenant, ip: IP, body });

const CALLS = [
  {
    title: "Discovery call with Dana (Northwind)",
    transcript: [
      "Rep: Thanks for taking the call. How are you handling freight planning today?",
      "Dana: We already use Acme Route for planning. Honestly it is too expensive for what we get.",
      "Rep: Most teams save the licence cost within a quarter because our route planner cuts freight delays by a third.",
      "Dana: That makes sense. Does it integrate with our SAP system?",
      "Rep: Yes, the SAP connector syncs orders every five minutes.",
      "Dana: Acme Route is easy to use but slow with large fleets.",
    ].join("\n"),
  },
  {
    title: "Demo with Lee (Contoso Freight)",
    transcript: [
      "Rep: Hi Lee, thanks for joining the demo.",
      "Lee: Does it integrate with SAP at all?",
      "Rep: It does: the SAP connector syncs orders every five minutes.",
      "Lee: Good. Right now this is not a priority for us.",
      "Rep: Understood; teams usually start with one depot, so trying it costs nothing.",
    ].join("\n"),
  },
];

before(async () => {
  browser = await launch();
  // Calls (voice-to-action) are an Enterprise feature; knowledge fusion comes with it.
  await ownerOnPlan(owner, { name: "Kai Knowledge", workspace: "Fusion Co", ip: IP, plan: "enterprise", seats: 25 });
  for (const [i, c] of CALLS.entries()) {
    const up = await staff("POST", "/api/v1/sales/calls", { ...c, occurred_at: new Date(Date.now() - (3 - i) * 3_600_000).toISOString() });
    assert.equal(up.status, 201, JSON.stringify(up.body));
  }
});
after(async () => browser?.close());

test("generate sales knowledge from calls, then edit, review and publish a document", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await onFail(page, "fusion", async () => {
    await loginUI(page, owner);
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto("/sales/knowledge");
    await page.getByText("No sales knowledge yet").waitFor();
    await page.getByRole("button", { name: "Generate from new calls & emails" }).click();
    const list = page.getByRole("list", { name: "Documents" });
    await list.getByRole("link", { name: "Battle card: Acme Route" }).waitFor({ timeout: 20_000 });
    await list.getByRole("link", { name: /too expensive/ }).waitFor();
    await page.getByText(/Last run: read 2 calls, 0 email threads; \d+ new/).waitFor();
    await page.getByRole("tab", { name: "FAQs" }).click();
    await list.getByRole("link", { name: /SAP/ }).waitFor();
    await page.getByRole("tab", { name: "All" }).click();
    await dismissToasts(page);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, "fusion-list-light");
    assert.equal(await liveTheme(page, "dark"), true);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, "fusion-list-dark");
    await liveTheme(page, "light");

    await list.getByRole("link", { name: /too expensive/ }).click();
    await page.getByRole("heading", { name: /too expensive/ }).waitFor();
    await page.getByText("Most teams save the licence cost within a quarter", { exact: false }).first().waitFor();
    await page.getByRole("link", { name: "Call: Discovery call with Dana (Northwind)" }).waitFor();
    await page
      .getByText(/AI-generated/)
      .first()
      .waitFor();
    await page.getByText("1 view in the dashboard").waitFor();
    assert.deepEqual(await axe(page), []);
    await screenshot(page, "fusion-document-light");

    await page.getByRole("button", { name: "Edit" }).click();
    const body = page.getByLabel("Body (Markdown)");
    await body.fill(`${await body.inputValue()}\n\n## Tip\nLead with the **quarter** payback.`);
    await page.getByTestId("fusion-preview").getByText("quarter", { exact: true }).waitFor();
    await screenshot(page, "fusion-editor-light");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Edited by a person").waitFor();
    await page.getByRole("button", { name: "Mark reviewed" }).click();
    await page.getByRole("button", { name: "Publish" }).click();
    const dialog = page.getByRole("dialog", { name: "Publish to the knowledge base?" });
    await dialog.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("button", { name: "Unpublish" }).waitFor();
    await page.getByText(/into the sales knowledge collection/).waitFor();
    await dismissToasts(page);
    assert.equal(await liveTheme(page, "dark"), true);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, "fusion-document-dark");
    await liveTheme(page, "light");

    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "fusion-document-phone");
    await page.goto("/sales/knowledge");
    await page.getByRole("list", { name: "Documents" }).waitFor();
    await screenshot(page, "fusion-list-phone");
  });
  await ctx.close();
});
