// Workflows (issue 18): a workflow made from a template on the canvas — one node deleted with the
// Delete key, an output connected through the keyboard port menu, the trigger changed to an event —
// is published (version 1, with its diff), started by that event (an invitation sent through the
// API), waits for an approval whose email link is opened signed out and approved, and the run
// history shows the run completed with its steps. axe on the builder, run page and approvals inbox;
// screenshots e2e/artifacts/workflows-*.png (light, dark, 390 px).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ownerOnPlan } from "../lib/billing.mjs";
import {
  apiCall,
  axe,
  dismissToasts,
  launch,
  liveTheme,
  loginUI,
  newContext,
  onFail,
  screenshot,
  uniqueEmail,
  waitForMail,
} from "../lib/browser.mjs";

let browser;
const owner = { email: uniqueEmail("wf-owner") };
const IP = "127.8.72.1";
const staff = (method, path, body) => apiCall(path, { method, token: owner.token, tenant: owner.tenant, ip: IP, body });

before(async () => {
  browser = await launch();
  // Workflows come with Professional.
  await ownerOnPlan(owner, { name: "Wanda Flow", workspace: "Flow Co", ip: IP, plan: "professional", seats: 5 });
});
after(async () => browser?.close());

async function a11y(page, what) {
  for (const v of await axe(page)) assert.fail(`${what}: ${v}`);
}
async function both(page, name) {
  await dismissToasts(page);
  await a11y(page, `${name} (light)`);
  await screenshot(page, `workflows-${name}-light`);
  await liveTheme(page, "dark");
  await a11y(page, `${name} (dark)`);
  await screenshot(page, `workflows-${name}-dark`);
  await liveTheme(page, "light");
}
const KINDS = "Trigger|Condition|Wait|Send message|HTTP request|Update record|AI|Loop|Approval";
/** A canvas node by its name (its accessible name is "<name> <kind>[ · <status>]"). */
const node = (page, name) => page.getByRole("button", { name: new RegExp(`^${name} (${KINDS})\\b`) });

test("a template edited on the canvas is published, started by an event, approved from the email link, and its run completes", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  let workflowId;
  await onFail(page, "workflows-flow", async () => {
    await loginUI(page, { email: owner.email });
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));

    // The empty list offers the templates.
    await page.goto("/workflows");
    await page.getByRole("heading", { name: "No workflows yet" }).waitFor();
    await page.getByRole("main").getByRole("link", { name: "Start from a template" }).last().click();
    await page.getByRole("button", { name: "Use template Content publishing" }).click();
    await page.waitForURL(/\/workflows\/wf_[^/]+$/);
    workflowId = new URL(page.url()).pathname.split("/").pop();
    await page.getByRole("application", { name: /workflow canvas/ }).waitFor();
    await page.getByText("No problems").waitFor();

    // Delete the HTTP step (it calls an outside URL) with the Delete key: one node, no confirmation.
    await node(page, "Publish the release note").click();
    await page.keyboard.press("Delete");
    await node(page, "Publish the release note").waitFor({ state: "detached" });
    // The approval's "approved" output now leads nowhere: connect it to "Tell the author" from the keyboard.
    const approvedPort = page.getByRole("button", { name: 'Connect Editor approval "approved" output to…' });
    await approvedPort.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: /Connect Editor approval approved to/ });
    await menu.waitFor();
    await menu.getByRole("menuitem", { name: "Tell the author", exact: true }).focus();
    await page.keyboard.press("Enter");
    await menu.waitFor({ state: "detached" });
    // Undo (connect, delete) brings the node back; redo removes it again.
    await page.keyboard.press("Control+z");
    await page.keyboard.press("Control+z");
    await node(page, "Publish the release note").waitFor();
    await page.keyboard.press("Control+Shift+z");
    await page.keyboard.press("Control+Shift+z");
    await node(page, "Publish the release note").waitFor({ state: "detached" });

    // The trigger: from "manual" to the member.invited event, picked from the catalogue.
    await node(page, "Start").click();
    await page.keyboard.press("Enter");
    const props = page.getByRole("complementary", { name: "Properties" });
    await props.getByLabel("Starts on").selectOption("event");
    await props.getByLabel("Search events").fill("member.invited");
    await props.getByRole("button", { name: "Use member.invited" }).click();
    await props.getByRole("button", { name: "Chosen member.invited" }).waitFor();

    // A property: "Tell the author" goes to the owners (the template says admins; this workspace has none).
    await node(page, "Tell the author").focus();
    await page.keyboard.press("Enter");
    await props.getByLabel("To", { exact: true }).fill("role:owner");

    await page.getByRole("button", { name: "Auto-layout" }).click();
    await page.getByText("All changes saved").waitFor();
    await page.getByText("No problems").waitFor();
    await both(page, "builder");

    // The draft the server has: the edits above.
    const saved = await staff("GET", `/api/v1/workflows/${workflowId}`);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.definition.trigger, { type: "event", event: "member.invited" });
    assert.ok(!saved.body.definition.nodes.some((n) => n.id === "publish"), "the HTTP step is gone");
    assert.equal(saved.body.definition.nodes.find((n) => n.id === "done")?.config.to, "role:owner");
    assert.ok(
      saved.body.definition.edges.some((e) => e.from === "approve" && e.port === "approved" && e.to === "done"),
      JSON.stringify(saved.body.definition.edges),
    );

    // Publish version 1.
    await page.getByRole("button", { name: "Publish…" }).click();
    const dialog = page.getByRole("dialog", { name: "Publish version 1" });
    await dialog.getByText("First version").waitFor();
    await dialog.getByRole("button", { name: "Publish version 1" }).click();
    await page.getByText("v1 live").waitFor();
  });

  // The event: an invitation sent in the product (through its API, as the team page would).
  const invite = await staff("POST", "/api/v1/invitations", { email: uniqueEmail("wf-invitee"), role: "member" });
  assert.equal(invite.status, 201, JSON.stringify(invite.body));

  await onFail(page, "workflows-approvals", async () => {
    // The run waits for the editor: the inbox shows it to the owner.
    await page.goto("/workflows/approvals");
    const card = page.getByRole("article", { name: /Publish/ });
    await card.waitFor({ timeout: 30_000 });
    await card.getByRole("button", { name: "Approve" }).waitFor();
    await both(page, "approvals");
  });

  // The approval email's link, opened signed out.
  const mail = await waitForMail(owner.email, /Approval needed/, { timeoutMs: 30_000 });
  const m = mail.text.match(/https?:\/\/[^\s"]+(\/workflow-approvals\/[^\s"]+)/);
  assert.ok(m, `no approval link in: ${mail.text}`);
  const anon = await newContext(browser);
  const pub = await anon.newPage();
  await onFail(pub, "workflows-public-approval", async () => {
    await pub.goto(m[1]);
    await pub.getByRole("heading", { level: 1, name: /Publish/ }).waitFor();
    await pub.getByLabel("Comment (optional)").fill("Looks good");
    await pub.getByRole("button", { name: "Approve" }).click();
    await pub.getByText(/you approved this request/).waitFor();
    await screenshot(pub, "workflows-public-approval-light");
    // The link decides once: opened again it shows the decision, with nothing to press.
    await pub.reload();
    await pub.getByText(/This request was already approved/).waitFor();
    assert.equal(await pub.getByRole("button", { name: "Approve" }).count(), 0);
  });
  await anon.close();

  await onFail(page, "workflows-run", async () => {
    // The run history: completed, with its steps.
    await page.goto(`/workflows/${workflowId}/runs`);
    const row = page.getByRole("row", { name: /completed/ });
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole("link", { name: /^wfr_/ }).click();
    await page.getByRole("heading", { name: "Content publishing", level: 1 }).waitFor();
    const steps = page.getByRole("region", { name: "Steps" });
    await steps.getByText("Editor approval").waitFor();
    await steps.getByText("Tell the author", { exact: true }).waitFor();
    assert.equal(await steps.getByText("failed", { exact: true }).count(), 0);
    // The approval step's output carries the decision; the graph colours the nodes that ran.
    await page.getByRole("button", { name: /^Editor approval Approval · succeeded/ }).waitFor();
    await page.getByRole("button", { name: /^Tell the author Send message · succeeded/ }).waitFor();
    await both(page, "run");
  });

  // Phone width: the builder is read-only with a note; the run page and the inbox work.
  const phone = await newContext(browser, { viewport: { width: 390, height: 844 } });
  const small = await phone.newPage();
  await onFail(small, "workflows-390", async () => {
    await loginUI(small, { email: owner.email });
    await small.waitForURL((u) => !u.pathname.startsWith("/login"));
    await small.goto(`/workflows/${workflowId}`);
    await small.getByText(/read-only on a small screen/).waitFor();
    await screenshot(small, "workflows-builder-390");
    await small.goto(`/workflows/${workflowId}/runs`);
    await small
      .getByRole("row", { name: /completed/ })
      .getByRole("link")
      .click();
    await small.getByRole("region", { name: "Steps" }).getByText("Editor approval").waitFor();
    await screenshot(small, "workflows-run-390");
    await small.goto("/workflows/approvals");
    await small.getByRole("heading", { name: "Nothing waiting for you" }).waitFor();
    await screenshot(small, "workflows-approvals-390");
  });
  await phone.close();
  await ctx.close();
});
