// Voice-to-action in the dashboard (workers/modules/voice, docs/sales.md): an Enterprise workspace uploads
// a call transcript in the Calls dialog (the local stand-in's note says recordings need a speech provider),
// the call page shows the transcript and the proposals the local extractor wrote, a task is accepted with an
// edited title, and it is on the lead's page. axe on the list and the call page; screenshots
// e2e/artifacts/calls-*.png (light, dark, 390 px).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ownerOnPlan } from "../lib/billing.mjs";
import {
  apiCall,
  ARTIFACTS,
  axe,
  horizontalOverflow,
  launch,
  liveTheme,
  loginUI,
  newContext,
  onFail,
  screenshot,
  uniqueEmail,
} from "../lib/browser.mjs";

let browser;
const owner = { email: uniqueEmail("calls-owner") };
const IP = "127.8.72.1";
let lead;

const TRANSCRIPT = `WEBVTT

00:00:01.000 --> 00:00:06.000
<v Sam Seller>Hi Dana, thanks for the time today. How is the rollout going?

00:00:07.000 --> 00:00:14.000
<v Dana Whitfield>Mostly well, but the CSV export doesn't work for big files, we get an error.

00:00:15.000 --> 00:00:22.000
<v Sam Seller>Sorry about that. I'll send you the updated pricing sheet by Friday.
`;

before(async () => {
  browser = await launch();
  // Voice-to-action is an Enterprise feature.
  await ownerOnPlan(owner, { name: "Sam Seller", workspace: "Callers Co", ip: IP, plan: "enterprise", seats: 25 });
  const l = await apiCall("/api/v1/sales/leads", {
    method: "POST",
    token: owner.token,
    tenant: owner.tenant,
    ip: IP,
    body: { email: "dana@rollout.example", first_name: "Dana", last_name: "Whitfield", company_name: "Rollout Inc" },
  });
  assert.equal(l.status, 201, JSON.stringify(l.body));
  lead = l.body;
});
after(async () => browser?.close());

async function both(page, name) {
  for (const v of await axe(page)) assert.fail(`${name} (light): ${v}`);
  await screenshot(page, `calls-${name}-light`);
  await liveTheme(page, "dark");
  await screenshot(page, `calls-${name}-dark`);
  await liveTheme(page, "light");
}

test("a transcript is uploaded, its proposals shown, a task accepted with an edited title and found on the lead", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await onFail(page, "sales-calls", async () => {
    await loginUI(page, { email: owner.email });
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto("/sales/calls");
    await page.getByRole("heading", { name: "Calls", level: 1 }).waitFor();
    await page.getByText("No calls yet").waitFor();
    await both(page, "empty");

    await page.getByRole("button", { name: "Upload a call" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Upload a call" });
    await dialog.getByTestId("speech-note").waitFor();
    assert.match((await dialog.getByTestId("speech-note").textContent()) ?? "", /Recordings need a speech provider; upload the transcript/);
    const file = join(ARTIFACTS, "calls-rollout.vtt");
    writeFileSync(file, TRANSCRIPT);
    await dialog.getByTestId("call-file").setInputFiles(file);
    await dialog.getByLabel("Title").fill("Rollout check-in");
    await dialog.getByLabel("Lead (optional)").fill("Dana");
    await dialog.getByRole("button", { name: /Dana Whitfield/ }).click();
    await screenshot(page, "calls-upload-light");
    await dialog.getByRole("button", { name: "Upload and analyse" }).click();

    // The call page: transcript with speakers and times, then the proposals once the analysis is done.
    await page.getByRole("heading", { name: "Rollout check-in", level: 1 }).waitFor();
    await page.getByRole("list", { name: "Transcript" }).getByText("Dana Whitfield:").waitFor();
    const task = page.getByTestId("proposal-task").first();
    await task.waitFor();
    await page.getByTestId("proposal-ticket").waitFor();
    await page.getByTestId("proposal-email").waitFor();
    await page.getByText("the local extractor (offline, no AI model configured)", { exact: false }).waitFor();
    await both(page, "call");

    await task.getByLabel("Task").fill("Send Dana the 2027 pricing sheet");
    await task.getByRole("button", { name: "Create task" }).click();
    await page.getByRole("link", { name: "Task created — open the lead's tasks" }).click();
    await page.getByRole("heading", { name: "Dana Whitfield", level: 1 }).waitFor();
    await page.getByText("Send Dana the 2027 pricing sheet", { exact: true }).waitFor();
    assert.equal(page.url().endsWith(`/sales/leads/${lead.id}`), true, page.url());

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/sales/calls");
    await page.getByRole("link", { name: "Rollout check-in" }).waitFor();
    await screenshot(page, "calls-list-390");
    const overflow = await horizontalOverflow(page);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
  });
  await ctx.close();
});
