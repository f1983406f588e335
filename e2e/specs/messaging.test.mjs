// Messaging: the notification bell (unread count, mark all read), the delivery log with attempts,
// the template editor's live preview, webhook endpoints (secret shown, test event delivered to a
// local receiver) and email lists — accessible in light and dark (screenshots in e2e/artifacts/).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { apiCall, axe, launch, liveTheme, loginUI, newContext, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
let receiver;
const received = [];
before(async () => {
  browser = await launch();
  // A local webhook receiver (the endpoint a tenant would register).
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => (received.push({ headers: req.headers, body }), res.writeHead(200).end("ok")));
  });
  await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
});
after(async () => {
  await browser?.close();
  await new Promise((r) => receiver.close(r));
});

// Light loads the page; dark is switched on the loaded page, as another tab's change would (a reload
// of the dev server's SPA costs seconds), with transitions off so axe measures the final colours.
async function themed(page, name, problems, ready) {
  for (const theme of ["light", "dark"]) {
    if (theme === "light") {
      await page.evaluate(() => localStorage.setItem("weft.theme", "light"));
      await page.reload();
      await ready();
      await page.waitForLoadState("networkidle").catch(() => {});
    } else {
      assert.ok(await liveTheme(page, "dark"), `${name}: dark applied`);
    }
    for (const v of await axe(page)) problems.push(`${name} (${theme}): ${v}`);
    await screenshot(page, `${name}-${theme}`);
  }
}

test("bell, delivery log, templates, webhooks and lists", async () => {
  const ip = "127.0.19.1";
  const owner = { name: "Messaging Owner", email: uniqueEmail("messaging") };
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    body: { ...owner, password: PASSWORD, workspace_name: "Messaging Co" },
    ip,
  });
  assert.equal(signup.status, 201);
  const token = signup.body.access_token;
  const tenant = signup.body.tenant?.id ?? signup.body.memberships?.[0]?.tenant?.id;
  for (const title of ["Invoice paid", "New chat waiting"]) {
    const r = await apiCall("/api/v1/messages", {
      method: "POST",
      token,
      tenant,
      ip,
      body: {
        to: { user_id: signup.body.user.id, email: owner.email },
        channels: ["in_app", "email"],
        template: "notifications.generic",
        data: { title, body: `${title} — details`, link: "/messaging" },
      },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
  }
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await loginUI(page, owner);
  await page.waitForURL((u) => u.pathname === "/");
  const problems = [];

  const bell = page.getByTestId("notification-bell");
  await page.getByRole("button", { name: "Notifications, 2 unread" }).waitFor({ timeout: 40_000 });
  await bell.click();
  const panel = page.getByRole("region", { name: "Notifications" });
  await panel.getByRole("link", { name: "New chat waiting" }).waitFor();
  for (const v of await axe(page)) problems.push(`bell: ${v}`);
  await screenshot(page, "messaging-bell-open");
  await panel.getByRole("button", { name: "Mark all read" }).click();
  await page.getByRole("button", { name: "Notifications", exact: true }).waitFor();
  await page.keyboard.press("Escape");

  await page.goto("/messaging");
  const log = () => page.getByRole("table", { name: "Messages" }).getByText(owner.email.toLowerCase()).first().waitFor();
  await log();
  await themed(page, "messaging-delivery-log", problems, log);
  await page.getByRole("table", { name: "Messages" }).getByRole("button", { name: owner.email.toLowerCase() }).first().click();
  const detail = page.getByRole("dialog");
  await detail.getByText("dev-mailbox").first().waitFor();
  await screenshot(page, "messaging-message-detail");
  await detail.getByRole("button", { name: "Close" }).click();

  await page.goto("/messaging/templates");
  await page.getByRole("button", { name: /auth\.verify_email/ }).click();
  const preview = () => page.getByTitle("HTML preview").waitFor();
  await preview();
  await page.getByLabel("Subject").fill("Please confirm, {{name}}");
  await page.getByText("Please confirm, Sample name").waitFor();
  await themed(
    page,
    "messaging-templates",
    problems,
    async () => (await page.getByRole("button", { name: /auth\.verify_email/ }).click(), await preview()),
  );

  await page.goto("/messaging/webhooks");
  await page.getByText("No webhook endpoints").waitFor();
  await page.getByRole("button", { name: "Add endpoint" }).first().click();
  const create = page.getByRole("dialog", { name: "Add a webhook endpoint" });
  await create.getByLabel("Endpoint URL").fill(`http://127.0.0.1:${receiver.address().port}/hooks`);
  await create.getByLabel(/webhook\.test/).check();
  for (const v of await axe(page)) problems.push(`webhook dialog: ${v}`);
  await screenshot(page, "messaging-webhook-create");
  await create.getByRole("button", { name: "Add endpoint" }).click();
  const secretDialog = page.getByRole("dialog", { name: "Signing secret" });
  const secret = await secretDialog.locator("code").innerText();
  assert.match(secret, /^whsec_/);
  await secretDialog.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: "Send test event" }).click();
  await page.getByText("webhook.test").first().waitFor();
  for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(received.length, 1);
  assert.ok(received[0].headers["webhook-signature"].startsWith("v1,"));
  await page.getByText("delivered").first().waitFor({ timeout: 15_000 });
  await themed(page, "messaging-webhooks", problems, async () =>
    page
      .getByText(/127\.0\.0\.1/)
      .first()
      .waitFor(),
  );
  await page.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete this endpoint?" });
  await confirm.waitFor();
  await confirm.getByRole("button", { name: "Cancel" }).click();

  await page.goto("/messaging/lists");
  await page.getByText("No email lists yet").waitFor();
  await page.getByLabel("New list").fill("Monthly news");
  await page.getByRole("button", { name: "Create list" }).click();
  await page.getByLabel("Add subscriber").fill(uniqueEmail("reader"));
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await page.getByText("Confirmation email sent").waitFor();
  await themed(page, "messaging-lists", problems, async () =>
    page.getByRole("table", { name: "Subscribers of Monthly news" }).getByText("pending").waitFor(),
  );

  assert.deepEqual(problems, []);
  await ctx.close();
});
