// Sign up → onboarding → invite teammates → accept from the dev mailbox in other browser contexts →
// the new member sees the workspace with their role → a viewer cannot invite (UI and API).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { subscribeViaSimulator } from "../lib/billing.mjs";
import { apiCall, launch, linkFrom, newContext, onFail, PASSWORD, signUpUI, uniqueEmail, waitForMail } from "../lib/browser.mjs";

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const owner = { name: "Olivia Owner", email: uniqueEmail("owner") };
const member = { name: "Max Member", email: uniqueEmail("member") };
const viewer = { name: "Vera Viewer", email: uniqueEmail("viewer") };
const WORKSPACE = "Acme E2E";

async function acceptInvite(person, role) {
  const mail = await waitForMail(person.email, /invited you to/i);
  assert.match(mail.subject, new RegExp(WORKSPACE));
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(linkFrom(mail, "/invite"));
  await onFail(page, `invite-${role}`, () => page.getByRole("heading", { name: `Join ${WORKSPACE}` }).waitFor());
  assert.ok(await page.getByText(role, { exact: true }).isVisible(), "the invite page shows the role");
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Your name").fill(person.name);
  assert.equal(await page.getByLabel("Work email").inputValue(), person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  return { ctx, page };
}

test("owner signs up, completes onboarding and invites two teammates", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await signUpUI(page, owner);

  // Step 1: name the workspace.
  await page.getByLabel("Workspace name").fill(WORKSPACE);
  await page.getByRole("button", { name: "Continue" }).click();
  // Step 2: invite a member and a viewer.
  await page.getByLabel("Email address 1").fill(member.email);
  await page.getByRole("button", { name: "Add another" }).click();
  await page.getByLabel("Email address 2").fill(viewer.email);
  await page.getByLabel("Role 2").selectOption("viewer");
  await page.getByRole("button", { name: "Send invitations" }).click();
  // Progress is saved on the server: a reload resumes at step 3.
  await page.getByText("What would you like to set up first?").waitFor();
  await page.reload();
  await page.getByText("What would you like to set up first?").waitFor();
  await page.getByText("Bring in my team").click();
  await page.getByRole("button", { name: "Finish setup" }).click();
  await page.waitForURL("**/team");

  await page.getByRole("tab", { name: "Invitations" }).click();
  await page.getByRole("cell", { name: member.email, exact: true }).waitFor();
  await page.getByRole("cell", { name: viewer.email, exact: true }).waitFor();
  await ctx.close();
});

test("an invited member accepts from the dev mailbox and sees the workspace with their role", async () => {
  const { ctx, page } = await acceptInvite(member, "member");
  await page.getByRole("button", { name: new RegExp(`${WORKSPACE}.*switch workspace`) }).waitFor();
  const role = page.locator("p", { hasText: "Your role" }).locator("..");
  await role.getByText("Member", { exact: true }).waitFor();
  // Members can see the team but not invite.
  await page.getByRole("link", { name: "Team" }).click();
  await page.getByRole("cell", { name: new RegExp(owner.name) }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Invite teammate" }).count(), 0);
  await ctx.close();
});

test("a viewer cannot invite: the UI hides it and the API answers 403", async () => {
  const { ctx, page } = await acceptInvite(viewer, "viewer");
  await page.locator("p", { hasText: "Your role" }).locator("..").getByText("Viewer", { exact: true }).waitFor();
  await page.goto("/team");
  await page.getByText("Only owners and admins can invite").waitFor();
  assert.equal(await page.getByRole("button", { name: "Invite teammate" }).count(), 0);
  assert.equal(await page.getByRole("tab", { name: "Invitations" }).count(), 0);
  // Role selects and remove actions are not offered either.
  assert.equal(await page.getByRole("combobox", { name: /Role of/ }).count(), 0);
  await ctx.close();

  const login = await apiCall("/api/v1/auth/login", { method: "POST", body: { email: viewer.email, password: PASSWORD }, ip: "127.0.9.1" });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const me = await apiCall("/api/v1/me", { token: login.body.access_token, ip: "127.0.9.1" });
  const tenant = me.body.memberships.find((m) => m.tenant.name === WORKSPACE);
  assert.equal(tenant.role, "viewer");
  const res = await apiCall("/api/v1/invitations", {
    method: "POST",
    token: login.body.access_token,
    tenant: tenant.tenant.id,
    ip: "127.0.9.1",
    body: { email: uniqueEmail("nope"), role: "viewer" },
  });
  assert.equal(res.status, 403);
  assert.equal(res.body.type, "https://weft.dev/problems/forbidden");
});

test("the owner sees both new members with their roles", async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await page.goto("/team");
  await page.getByRole("combobox", { name: `Role of ${member.name}` }).waitFor();
  assert.equal(await page.getByRole("combobox", { name: `Role of ${member.name}` }).inputValue(), "member");
  assert.equal(await page.getByRole("combobox", { name: `Role of ${viewer.name}` }).inputValue(), "viewer");
  // Change the viewer to member from the table; the API confirms.
  await page.getByRole("combobox", { name: `Role of ${viewer.name}` }).selectOption("member");
  await page.getByText(`${viewer.name} is now member`).waitFor();
  await ctx.close();
});

test("an existing user accepts while signed in and switches between workspaces", async () => {
  const ip = "127.0.9.2";
  const sam = { name: "Sam Switcher", email: uniqueEmail("switcher") };
  const own = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    body: { ...sam, password: PASSWORD, workspace_name: "Sam's Studio" },
    ip,
  });
  assert.equal(own.status, 201);
  const ownerLogin = await apiCall("/api/v1/auth/login", {
    method: "POST",
    body: { email: owner.email, password: PASSWORD },
    ip: "127.0.9.3",
  });
  const ownerMe = await apiCall("/api/v1/me", { token: ownerLogin.body.access_token, ip: "127.0.9.3" });
  const acme = ownerMe.body.memberships.find((m) => m.tenant.name === WORKSPACE).tenant.id;
  // Owner, member and viewer fill Free's 3 seats: a 4th person needs a paid plan (seats are enforced).
  const full = await apiCall("/api/v1/invitations", {
    method: "POST",
    token: ownerLogin.body.access_token,
    tenant: acme,
    ip: "127.0.9.3",
    body: { email: sam.email, role: "admin" },
  });
  assert.equal(full.status, 402, JSON.stringify(full.body));
  assert.equal(full.body.meter, "seats");
  await subscribeViaSimulator({ token: ownerLogin.body.access_token, tenant: acme, ip: "127.0.9.3" }, { plan: "starter", seats: 4 });
  const inv = await apiCall("/api/v1/invitations", {
    method: "POST",
    token: ownerLogin.body.access_token,
    tenant: acme,
    ip: "127.0.9.3",
    body: { email: sam.email, role: "admin" },
  });
  assert.equal(inv.status, 201, JSON.stringify(inv.body));

  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(sam.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  const mail = await waitForMail(sam.email, /invited you to/i);
  await page.goto(linkFrom(mail, "/invite"));
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  await page.getByRole("heading", { name: /Welcome/ }).waitFor();
  await page.getByText(`Here's what's happening in ${WORKSPACE}.`).waitFor();
  await page.locator("p", { hasText: "Your role" }).locator("..").getByText("Admin", { exact: true }).waitFor();

  // Switch to the other workspace; the choice survives a reload.
  await page.getByRole("button", { name: /switch workspace/ }).click();
  await page.getByRole("menuitemradio", { name: /Sam's Studio/ }).click();
  await page.getByText("Here's what's happening in Sam's Studio.").waitFor();
  await page.reload();
  await page.getByText("Here's what's happening in Sam's Studio.").waitFor();
  await page.locator("p", { hasText: "Your role" }).locator("..").getByText("Owner", { exact: true }).waitFor();
  await ctx.close();
});

test("a member leaves their only workspace and onboarding creates a new one", async () => {
  const lea = { name: "Lea Leaver", email: uniqueEmail("leaver") };
  const ownerLogin = await apiCall("/api/v1/auth/login", {
    method: "POST",
    body: { email: owner.email, password: PASSWORD },
    ip: "127.0.9.4",
  });
  const ownerMe = await apiCall("/api/v1/me", { token: ownerLogin.body.access_token, ip: "127.0.9.4" });
  const acme = ownerMe.body.memberships.find((m) => m.tenant.name === WORKSPACE).tenant.id;
  await apiCall("/api/v1/invitations", {
    method: "POST",
    token: ownerLogin.body.access_token,
    tenant: acme,
    ip: "127.0.9.4",
    body: { email: lea.email, role: "member" },
  });
  const { ctx, page } = await acceptInvite(lea, "member");

  await page.goto("/team");
  await page.getByRole("button", { name: `Actions for ${lea.name}` }).click();
  await page.getByRole("menuitem", { name: "Leave workspace" }).click();
  await page
    .getByRole("dialog", { name: `Leave ${WORKSPACE}?` })
    .getByRole("button", { name: "Leave workspace" })
    .click();
  // No workspace left: the app sends her to onboarding, which creates one.
  await page.getByRole("heading", { name: "Set up your workspace" }).waitFor();
  await page.getByLabel("Workspace name").fill("Lea's Lab");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Email address 1").waitFor();
  await page.getByRole("button", { name: "Skip for now" }).click();
  await page.getByRole("button", { name: "Finish setup" }).click();
  await page.waitForURL("**/team");
  await page.getByRole("button", { name: /Lea's Lab.*switch workspace/ }).waitFor();
  await ctx.close();
});
