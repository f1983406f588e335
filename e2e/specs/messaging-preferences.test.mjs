// The recipient-facing preference centre: reached from the link in an email, a plain HTML form
// (works without JavaScript), accessible (axe) in light and dark, and saving changes what is sent.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, BASE, launch, linkFrom, PASSWORD, screenshot, uniqueEmail, waitForMail } from "../lib/browser.mjs";

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

test("preference centre from an email link, without JavaScript, light and dark", async () => {
  const ip = "127.0.19.3";
  const owner = { name: "Prefs Owner", email: uniqueEmail("prefs") };
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    body: { ...owner, password: PASSWORD, workspace_name: "Prefs Co" },
    ip,
  });
  assert.equal(signup.status, 201);
  const token = signup.body.access_token;
  const tenant = signup.body.tenant?.id ?? signup.body.memberships?.[0]?.tenant?.id;
  const put = await apiCall("/api/v1/message-templates/news.monthly/email", {
    method: "PUT",
    token,
    tenant,
    ip,
    body: { subject: "Monthly news", body: "Hello {{name}}" },
  });
  assert.ok(put.status < 300, JSON.stringify(put.body));
  const reader = uniqueEmail("reader");
  const sent = await apiCall("/api/v1/messages", {
    method: "POST",
    token,
    tenant,
    ip,
    body: { to: { email: reader }, channels: ["email"], template: "news.monthly", data: { name: "Ada" }, category: "marketing" },
  });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  const link = linkFrom(await waitForMail(reader, /Monthly news/), "/public/v1/preferences");

  const problems = [];
  for (const colorScheme of ["light", "dark"]) {
    const ctx = await browser.newContext({
      baseURL: BASE,
      colorScheme,
      javaScriptEnabled: false,
      extraHTTPHeaders: { "CF-Connecting-IP": `127.0.19.${colorScheme === "light" ? 4 : 5}` },
    });
    const page = await ctx.newPage();
    await page.goto(link);
    await page.getByRole("heading", { name: "Message preferences" }).waitFor();
    const marketing = page.getByRole("checkbox", { name: "Marketing and newsletters: Email" });
    assert.equal(await marketing.isChecked(), true);
    assert.equal(await page.getByRole("checkbox", { name: /Transactional .*: Email \(always on\)/ }).isDisabled(), true);
    await screenshot(page, `messaging-preferences-${colorScheme}`);
    // axe needs script injection: check with JavaScript on, same page.
    const jsCtx = await browser.newContext({
      baseURL: BASE,
      colorScheme,
      extraHTTPHeaders: { "CF-Connecting-IP": `127.0.19.${colorScheme === "light" ? 6 : 7}` },
    });
    const jsPage = await jsCtx.newPage();
    await jsPage.goto(link);
    for (const v of await axe(jsPage)) problems.push(`preferences (${colorScheme}): ${v}`);
    await jsCtx.close();
    if (colorScheme === "dark") {
      await marketing.uncheck();
      await page.getByRole("button", { name: "Save preferences" }).click();
      await page.getByRole("status").getByText("Saved").waitFor();
      assert.equal(await page.getByRole("checkbox", { name: "Marketing and newsletters: Email" }).isChecked(), false);
    }
    await ctx.close();
  }
  assert.deepEqual(problems, []);

  // The saved choice is enforced: the next marketing email is suppressed.
  const again = await apiCall("/api/v1/messages", {
    method: "POST",
    token,
    tenant,
    ip,
    body: { to: { email: reader }, channels: ["email"], template: "news.monthly", data: { name: "Ada" }, category: "marketing" },
  });
  const id = again.body.data[0].id;
  let status = "";
  for (let i = 0; i < 100 && !["suppressed", "delivered", "failed"].includes(status); i++) {
    status = (await apiCall(`/api/v1/messages/${id}`, { token, tenant, ip })).body.status;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(status, "suppressed");
});
