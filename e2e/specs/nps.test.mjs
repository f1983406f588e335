// NPS end to end: a tenant's site (its own origin) loads /surveys.js; the server says the identified
// user is eligible, the prompt appears in the script's shadow DOM, the user answers it with the
// keyboard, and the answer shows on the dashboard's NPS page. Screenshots in light, dark and phone.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { freePort } from "../../scripts/local.mjs";
import { apiCall, axe, BASE, launch, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
let site;
let auth;
const owner = { email: uniqueEmail("nps-owner") };
const COMMENT = "Lovely glazes, slow checkout";

/** A minimal tenant page: the install snippet from the NPS page plus an identify() after sign-in. */
const page = (key) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tenant app</title>
<script src="${BASE}/surveys.js" data-key="${key}" defer></script></head>
<body><main><h1>Tenant app</h1><p>Signed in as user 42.</p></main>
<script>addEventListener("load", () => weftSurveys.identify("user-42", { plan: "pro", signed_up_at: "${new Date(Date.now() - 60 * 86_400_000).toISOString()}" }));</script>
</body></html>`;

before(async () => {
  browser = await launch();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const ip = "127.9.3.1";
  const signup = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip,
    body: { email: owner.email, password: PASSWORD, name: "Nia Owner", workspace_name: "Glaze Co" },
  });
  assert.equal(signup.status, 201, JSON.stringify(signup.body));
  auth = { token: signup.body.access_token, tenant: signup.body.tenant?.id ?? signup.body.memberships[0].tenant.id, ip };
  const pk = await apiCall("/api/v1/publishable-keys", { method: "POST", ...auth, body: { name: "App", allowed_origins: [origin] } });
  assert.equal(pk.status, 201);
  const settings = await apiCall("/api/v1/surveys/settings", {
    method: "PATCH",
    ...auth,
    body: { nps_enabled: true, min_days_since_signup: 14 },
  });
  assert.equal(settings.status, 200);
  const html = page(pk.body.key);
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(html);
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  site = { url: origin, close: () => new Promise((r) => server.close(r)) };
});
after(async () => {
  await site?.close();
  await browser?.close();
});

test("an eligible user answers the NPS prompt with the keyboard; the answer shows on the NPS page", async () => {
  const userCtx = await newContext(browser, { colorScheme: "dark" });
  const app = await userCtx.newPage();
  await app.goto(site.url);
  const prompt = app.getByRole("dialog", { name: /How likely are you to recommend us/ });
  await onFail(app, "nps-prompt", async () => {
    await prompt.waitFor();
    // Focus starts on the scale: End → 10, ArrowLeft → 9 (a radio group, roving tabindex).
    await app.keyboard.press("End");
    await app.keyboard.press("ArrowLeft");
    assert.equal(await prompt.getByRole("radio", { name: "9" }).getAttribute("aria-checked"), "true");
    await screenshot(app, "nps-prompt-dark");
    await prompt.getByLabel(/main reason for your score/).fill(COMMENT);
    await prompt.getByRole("button", { name: "Send" }).click();
    await app.getByRole("dialog", { name: "Thank you for your feedback!" }).waitFor();
  });
  assert.ok(await app.getByRole("button", { name: "Feedback" }).isVisible());
  // Answered: the server no longer offers the prompt to this user.
  await app.reload();
  await app.getByRole("button", { name: "Feedback" }).waitFor();
  assert.equal(await prompt.count(), 0);

  const teamCtx = await newContext(browser);
  const dash = await teamCtx.newPage();
  await loginUI(dash, { email: owner.email });
  await dash.waitForURL((u) => !u.pathname.startsWith("/login"));
  await dash.goto("/surveys/nps");
  await onFail(dash, "nps-dashboard", async () => {
    await dash.getByRole("cell", { name: COMMENT }).waitFor();
    const row = dash.getByRole("row").filter({ hasText: COMMENT });
    const cells = await row.getByRole("cell").allTextContents(); // when, score, comment, user, follow-up
    assert.equal(cells[1], "9");
    assert.match(cells[3], /user-42.*pro/);
    await dash.getByText("+100").first().waitFor(); // one promoter → NPS +100
  });
  assert.deepEqual(await axe(dash), []);
  await screenshot(dash, "nps-dashboard-light");
  await userCtx.close();
  await teamCtx.close();
});
