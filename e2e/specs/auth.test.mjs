// Login with MFA (enrol TOTP in settings, then sign in with a code and with a recovery code),
// password reset through the dev mailbox, and email verification.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, freshCode, launch, linkFrom, loginUI, newContext, PASSWORD, uniqueEmail, waitForMail } from "../lib/browser.mjs";

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

async function apiSignUp(tag, ip) {
  const user = { name: `E2E ${tag}`, email: uniqueEmail(tag) };
  const res = await apiCall("/api/v1/auth/signup", { method: "POST", body: { ...user, password: PASSWORD }, ip });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return user;
}

async function signOut(page) {
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
}

test("MFA: enrol TOTP in settings, then sign in with a code and with a recovery code", async () => {
  const user = await apiSignUp("mfa", "127.0.8.1");
  const used = new Set();
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await loginUI(page, user);
  await page.waitForURL((u) => u.pathname === "/");

  await page.goto("/settings/security");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
  await page.getByText("Can't scan? Enter the key manually").click();
  const secret = (await page.getByTestId("mfa-secret").textContent()).trim();
  await page.getByLabel("6-digit code").fill(await freshCode(secret, used));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
  const codes = await page.getByRole("list", { name: "Recovery codes" }).locator("li").allTextContents();
  assert.equal(codes.length, 10);
  await page.getByRole("button", { name: "I've saved them" }).click();
  await page.getByText("On", { exact: true }).waitFor();

  await signOut(page);
  await loginUI(page, user);
  await page.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  await page.getByLabel("Authentication code").fill(await freshCode(secret, used));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await page.getByRole("heading", { name: /Welcome/ }).waitFor();

  await signOut(page);
  await loginUI(page, user);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(codes[0]);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await ctx.close();
});

test("password reset through the dev mailbox", async () => {
  const user = await apiSignUp("reset", "127.0.8.2");
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByRole("heading", { name: "Reset your password" }).waitFor();
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await page.getByText("Check your inbox.").waitFor();

  const mail = await waitForMail(user.email, /reset your weft password/i);
  await page.goto(linkFrom(mail, "/reset-password"));
  const next = "a-brand-new-password-42";
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("Confirm new password").fill(next);
  await page.getByRole("button", { name: "Set new password" }).click();
  await page.getByRole("heading", { name: "Password updated" }).waitFor();
  await page.getByRole("link", { name: "Sign in" }).click();
  await loginUI(page, { email: user.email, password: next });
  await page.waitForURL((u) => u.pathname === "/");

  const old = await apiCall("/api/v1/auth/login", { method: "POST", body: { email: user.email, password: PASSWORD }, ip: "127.0.8.3" });
  assert.equal(old.status, 401);
  await ctx.close();
});

test("email verification link from the signup email", async () => {
  const user = await apiSignUp("verify", "127.0.8.4");
  const mail = await waitForMail(user.email, /confirm your email/i);
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(linkFrom(mail, "/verify-email"));
  await page.getByRole("heading", { name: "Email confirmed" }).waitFor();
  // A second use of the single-use link fails with a helpful page.
  await page.reload();
  await page.getByRole("heading", { name: "We couldn't confirm your email" }).waitFor();
  await ctx.close();
});
