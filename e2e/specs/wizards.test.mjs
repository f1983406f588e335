// The security wizard end to end (issue 18): a new owner enrols two-factor (API, with a TOTP computed
// here), signs in with a recovery code, runs the security wizard from the set-up guides (MFA
// required, 8-hour sessions, API keys allowed), sees the finish summary — then the policy is
// enforced: with two-factor turned off on the account, every workspace page shows the "Two-factor
// authentication required" screen (and the API answers 403 mfa-required). axe on the wizard page
// (light, dark, 390 px phone); screenshots e2e/artifacts/wizards-*.png.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, launch, liveTheme, loginUI, newContext, onFail, PASSWORD, screenshot, totp, uniqueEmail } from "../lib/browser.mjs";

let browser;
const IP = "127.8.94.1";
const owner = { name: "Sena Secure", email: uniqueEmail("wiz-owner") };

before(async () => {
  browser = await launch();
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: owner.name, workspace_name: "Secure Co" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  Object.assign(owner, { token: r.body.access_token, tenant: r.body.tenant.id });
  // Two-factor on for the owner (the wizard refuses to require it from someone without it).
  const enroll = await apiCall("/api/v1/me/mfa/enroll", { method: "POST", token: owner.token, ip: IP });
  assert.equal(enroll.status, 200, JSON.stringify(enroll.body));
  const confirm = await apiCall("/api/v1/me/mfa/confirm", {
    method: "POST",
    token: owner.token,
    ip: IP,
    body: { code: totp(enroll.body.secret).generate() },
  });
  assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
  owner.recovery = confirm.body.recovery_codes;
});
after(async () => browser?.close());

async function a11y(page, what) {
  for (const v of await axe(page)) assert.fail(`${what}: ${v}`);
}

test("an owner runs the security wizard end to end, and the MFA rule is enforced", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await onFail(page, "wizards", async () => {
    await loginUI(page, owner);
    await page.getByRole("button", { name: "Use a recovery code" }).click();
    await page.getByLabel("Recovery code").fill(owner.recovery[0]);
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/");

    await page.goto("/wizards");
    const card = page.getByRole("article").filter({ has: page.getByRole("heading", { name: "Security configuration" }) });
    await card.getByText("0 of 3 steps").waitFor();
    await card.getByRole("link", { name: "Start" }).click();

    // Step 1: the heading has focus; require two-factor; Enter submits.
    const h = page.getByRole("heading", { name: "Two-factor authentication", level: 2 });
    await h.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === "Two-factor authentication");
    await page.getByText("Two-factor on").waitFor();
    await page.getByRole("radio", { name: /Require two-factor authentication/ }).check();
    await a11y(page, "wizard step (light)");
    await screenshot(page, "wizards-step-light");
    await liveTheme(page, "dark");
    await a11y(page, "wizard step (dark)");
    await screenshot(page, "wizards-step-dark");
    await liveTheme(page, "light");
    await page.keyboard.press("Enter");

    // Step 2: session lifetime.
    await page.getByRole("heading", { name: "Session lifetime", level: 2 }).waitFor();
    await page.getByRole("radio", { name: /^8 hours/ }).check();
    await page.getByRole("button", { name: "Next" }).click();

    // Leave and resume: the run continues at step 3.
    await page.getByRole("heading", { name: "Sign-in methods", level: 2 }).waitFor();
    await page.goto("/wizards");
    await card.getByText("2 of 3 steps").waitFor();
    await card.getByRole("link", { name: "Resume" }).click();
    await page.getByRole("heading", { name: "Sign-in methods", level: 2 }).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await a11y(page, "wizard step (phone)");
    await screenshot(page, "wizards-step-phone");
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole("radio", { name: /Allow API keys/ }).check();
    await page.getByRole("button", { name: "Finish" }).click();

    // The summary lists the policy with a link to where it lives.
    await page.getByRole("heading", { name: "Security configuration is set up" }).waitFor();
    await page.getByText("Security policy — MFA required · sessions: 8 h · API keys allowed").waitFor();
    await a11y(page, "finish summary");
    await screenshot(page, "wizards-summary-light");
    const policy = await apiCall("/api/v1/security-policy", { token: owner.token, tenant: owner.tenant, ip: IP });
    assert.deepEqual(
      { mfa: policy.body.mfa_required, hours: policy.body.session_lifetime_hours, keys: policy.body.api_keys_allowed },
      { mfa: true, hours: 8, keys: true },
    );

    // Enforced: the owner turns two-factor off on the account → the workspace refuses them.
    const off = await apiCall("/api/v1/me/mfa/disable", {
      method: "POST",
      token: owner.token,
      ip: IP,
      body: { password: PASSWORD, recovery_code: owner.recovery[1] },
    });
    assert.equal(off.status, 204, JSON.stringify(off.body));
    // Within the per-isolate access cache's second (ACCESS_CACHE_MS), the refusal starts.
    let refused;
    for (let i = 0; i < 40; i++) {
      refused = await apiCall("/api/v1/tenant", { token: owner.token, tenant: owner.tenant, ip: IP });
      if (refused.status !== 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.type, "https://weft.dev/problems/mfa-required");
    await page.goto("/wizards");
    await page.getByRole("heading", { name: "Two-factor authentication required" }).waitFor();
    await a11y(page, "MFA required page");
    await screenshot(page, "wizards-mfa-required-light");
    // The way out stays open: the account's security settings.
    await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
    await page.getByRole("button", { name: "Set up authenticator app" }).waitFor();
  });
  await ctx.close();
});
