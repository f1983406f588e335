// Email list → Sync in the browser: the honest "not connected" state, connecting Mailchimp through
// the dialog (the API key is write-only: only its hint is shown afterwards), Test and Sync now
// (offline, the provider cannot be reached: the run fails after its retries and the log says so),
// a second connection (SendGrid, two-way, paused), edit dialog with the key left empty, disconnect
// with confirmation. axe clean. Screenshots in light and dark, and at 390 px.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, dismissToasts, launch, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
let auth;
let listId;
const owner = { name: "Lena Lister", email: uniqueEmail("lister") };
const MC_KEY = "0123456789abcdef0123456789abcdef-us21";

before(async () => {
  browser = await launch();
  const ip = "127.9.5.1";
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip,
    body: { email: owner.email, password: PASSWORD, name: owner.name, workspace_name: "Lister Pottery" },
  });
  assert.equal(signup.status, 201, JSON.stringify(signup.body));
  auth = { token: signup.body.access_token, tenant: signup.body.tenant?.id ?? signup.body.memberships[0].tenant.id, ip };
  const list = await apiCall("/api/v1/email-lists", { method: "POST", ...auth, body: { name: "Pottery news", double_opt_in: false } });
  assert.equal(list.status, 201);
  listId = list.body.id;
  for (const [email, name] of [
    ["ada@example.com", "Ada Lovelace"],
    ["grace@example.com", "Grace Hopper"],
    ["alan@example.com", null],
  ]) {
    const s = await apiCall(`/api/v1/email-lists/${listId}/subscribers`, {
      method: "POST",
      ...auth,
      body: { email, name, confirmed: true },
    });
    assert.equal(s.status, 201);
  }
});
after(async () => {
  await browser?.close();
});

test("list sync: connect, test, sync now with its log, edit, disconnect", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await onFail(page, "list-sync", async () => {
    await loginUI(page, { email: owner.email });
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto("/messaging/lists");
    const sync = page.locator("section").filter({ has: page.getByRole("heading", { name: "Sync", exact: true }) });
    await sync.getByText("Not connected — nothing is sent to any provider.").waitFor();
    await screenshot(page, "list-sync-empty");

    await sync.getByRole("button", { name: "Connect Mailchimp" }).click();
    const dialog = page.getByRole("dialog", { name: "Connect Mailchimp" });
    await dialog.getByLabel("API key", { exact: true }).fill("no-data-centre-key");
    await dialog.getByLabel("Audience id", { exact: true }).fill("a1b2c3d4e5");
    await dialog.getByRole("button", { name: "Connect" }).click();
    await dialog.getByText("A Mailchimp API key ends with its data centre, like …-us21").waitFor();
    await dialog.getByLabel("API key", { exact: true }).fill(MC_KEY);
    await dialog.getByLabel(/Two-way unsubscribes/).check();
    await dialog.getByLabel("Full sync schedule").selectOption("hourly");
    await screenshot(page, "list-sync-dialog");
    await dialog.getByRole("button", { name: "Connect" }).click();
    await dialog.waitFor({ state: "hidden" });
    const mc = sync.getByRole("listitem").filter({ hasText: "Mailchimp" });
    await mc.getByText("key 0123••••us21").waitFor();
    assert.equal(await page.getByText(MC_KEY).count(), 0, "the key is never shown");
    await mc.getByText("two-way unsubscribes").waitFor();

    // Offline: Mailchimp cannot be reached; Test says so and Sync now fails after its retries, with the reason in the log.
    await mc.getByRole("button", { name: "Test Mailchimp connection" }).click();
    await mc.getByText(/Mailchimp: network error/).waitFor({ timeout: 30_000 });
    await mc.getByRole("button", { name: "Sync now" }).click();
    await mc.getByText("failed", { exact: true }).waitFor({ timeout: 30_000 });
    const log = sync.getByRole("table", { name: "Sync runs" });
    await log.getByRole("cell", { name: "Sync now" }).waitFor();
    await log.getByText(/network error.* after 4 attempts/).waitFor();

    // A second connection through the API: SendGrid, paused.
    const sg = await apiCall(`/api/v1/email-lists/${listId}/sync/connections`, {
      method: "POST",
      ...auth,
      body: {
        provider: "sendgrid",
        api_key: "SG.e2e-key.0123456789",
        remote_list_id: "ca8a5f0e-6f0c-4b3e-9c57-3c1f0f7f2a11",
        enabled: false,
      },
    });
    assert.equal(sg.status, 201);
    assert.ok(!JSON.stringify(sg.body).includes("SG.e2e-key.0123456789"));
    await page.reload();
    await sync.getByRole("listitem").filter({ hasText: "SendGrid" }).getByText("paused").waitFor();
    await page
      .getByText(/Mailchimp: network error/)
      .first()
      .waitFor();
    await dismissToasts(page);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, "list-sync");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "list-sync-dark");
    await page.emulateMedia({ colorScheme: "light" });

    // Edit: the key field is empty, the hint says it is kept.
    await mc.getByRole("button", { name: "Edit Mailchimp connection" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Mailchimp connection" });
    assert.equal(await edit.getByLabel("API key", { exact: true }).inputValue(), "");
    await edit.getByText(/Stored encrypted \(0123••••us21\)\. Leave empty to keep it\./).waitFor();
    await edit.getByLabel("Full sync schedule").selectOption("daily");
    await edit.getByRole("button", { name: "Save" }).click();
    await edit.waitFor({ state: "hidden" });
    await mc.getByText("every day").waitFor();

    // Disconnect SendGrid with confirmation.
    await sync.getByRole("button", { name: "Disconnect SendGrid" }).click();
    const confirm = page.getByRole("dialog", { name: "Disconnect SendGrid?" });
    await confirm.getByRole("button", { name: "Disconnect" }).click();
    await sync.getByRole("listitem").filter({ hasText: "SendGrid" }).waitFor({ state: "detached" });

    await dismissToasts(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "list-sync-phone");
  });
  await ctx.close();
});
