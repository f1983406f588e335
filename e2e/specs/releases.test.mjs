// Release center in the browser: write a note in the dashboard with the server-rendered preview,
// publish it → it is on the public changelog (plain HTML, feed links) and in the top bar's
// What's new with an unread badge that clears once the panel has been opened (and stays cleared).
// axe on the editor and the changelog; screenshots in e2e/artifacts/releases-*.png.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, launch, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
let user;
before(async () => {
  browser = await launch();
  user = { email: uniqueEmail("rel"), name: "Rhea Lease" };
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: "127.8.1.1",
    body: { email: user.email, password: PASSWORD, name: user.name, workspace_name: "Kiln Works" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const tenant = await apiCall("/api/v1/tenant", { token: r.body.access_token, tenant: r.body.tenant.id, ip: "127.8.1.1" });
  user.slug = tenant.body.slug;
});
after(async () => browser?.close());

test("release notes: publish in the dashboard → public changelog and What's new with an unread badge", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await onFail(page, "releases", async () => {
    await loginUI(page, { email: user.email });
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto("/releases");
    await page.getByRole("heading", { name: "Release notes", level: 1 }).waitFor();
    await page.getByText("No release notes yet").waitFor();
    await page.getByRole("button", { name: "What's new", exact: true }).waitFor();

    // Write, with the preview rendered by the server (raw HTML stays text).
    await page.getByRole("link", { name: "New release note" }).click();
    await page.getByRole("heading", { name: "New release note", level: 1 }).waitFor();
    await page.getByLabel("Title", { exact: true }).fill("Glaze picker");
    await page.getByLabel("Version", { exact: true }).fill("3.1.0");
    await page.getByLabel("Type", { exact: true }).selectOption("improvement");
    await page.getByLabel("Body (Markdown)").fill("Pick a glaze **twice as fast**.\n\n<script>alert(1)</script>");
    const preview = page.getByTestId("release-preview");
    await preview.locator("strong", { hasText: "twice as fast" }).waitFor();
    await preview.getByText("<script>alert(1)</script>").waitFor();
    for (const v of await axe(page)) assert.fail(`editor: ${v}`);
    await screenshot(page, "releases-editor-light");

    // Publish (with confirmation).
    await page.getByRole("button", { name: "Publish…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByRole("link", { name: "View on the changelog" }).waitFor();

    // What's new: one unread; opening the panel shows the note and clears the badge, for good.
    await page.getByRole("button", { name: "What's new, 1 unread" }).click();
    const panel = page.getByRole("dialog", { name: "What's new" });
    await panel.getByRole("heading", { name: "Glaze picker" }).waitFor();
    await panel.locator("strong", { hasText: "twice as fast" }).waitFor();
    await screenshot(page, "releases-whats-new-light");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "What's new", exact: true }).waitFor();
    assert.equal(await page.getByTestId("whats-new-badge").count(), 0);
    await page.reload();
    await page.getByRole("button", { name: "What's new", exact: true }).waitFor();
    assert.equal(await page.getByTestId("whats-new-badge").count(), 0);

    // The public changelog: server-rendered, with the note and its feeds.
    await page.goto(`/changelog/${user.slug}`);
    await page.getByRole("heading", { name: "Kiln Works changelog", level: 1 }).waitFor();
    await page.getByRole("link", { name: "3.1.0 — Glaze picker" }).waitFor();
    await page.getByText("Improvement", { exact: true }).waitFor();
    assert.equal(await page.locator('link[rel="alternate"][type="application/atom+xml"]').count(), 1);
    for (const v of await axe(page)) assert.fail(`changelog: ${v}`);
    await screenshot(page, "releases-changelog-light");
  });
  await ctx.close();
});
