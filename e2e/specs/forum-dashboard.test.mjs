// The community in the dashboard, in the browser: end users (through the public forum API) post a
// question and a spam reply, two of them flag the spam; a moderator finds it in Community →
// Moderation with the flags' reasons and flaggers, hides it (confirmed), and it leaves the public
// topic page. A staff member answers the question from Community → Topics and marks the answer
// accepted: the public page shows "Solved" and the Staff badge. The overview counts it all.
// axe on each dashboard page; screenshots e2e/artifacts/forum-dashboard-*.png (light, dark, 390 px).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { apiCall, axe, BASE, launch, loginUI, newContext, onFail, PASSWORD, screenshot, uniqueEmail } from "../lib/browser.mjs";

let browser;
let owner;
const IP = "127.8.61.1";
const SPAM = `Cheap glazes 90% off at spam-outlet-${Date.now().toString(36)}.example.net`;
const ANSWER = "Fire it to cone 6 and let it cool slowly: the crazing stops.";
const staff = (method, path, body) => apiCall(path, { method, token: owner.token, tenant: owner.tenant, ip: IP, body });
let question; // { id, slug, title }
let spamPostId;

/** An end user of the workspace's portal (open sign-up), with a token for the public forum API. */
async function endUser(tag, n) {
  const ip = `127.8.62.${n}`;
  const r = await apiCall(`/public/v1/portal/${owner.slug}/auth/signup`, {
    method: "POST",
    ip,
    body: { email: uniqueEmail(tag), password: PASSWORD, name: `${tag[0].toUpperCase()}${tag.slice(1)} Maker` },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return (method, path, body) => apiCall(`/public/v1/forum/${owner.slug}${path}`, { method, token: r.body.access_token, ip, body });
}

before(async () => {
  browser = await launch();
  owner = { email: uniqueEmail("forum-owner") };
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: "Rosa Kiln", workspace_name: "Kiln Corner" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  Object.assign(owner, { token: r.body.access_token, tenant: r.body.tenant.id, slug: r.body.tenant.slug });
  const portal = await staff("PUT", "/api/v1/end-users/portal-settings", {
    enabled: true,
    signup_policy: "open",
    brand_name: "Kiln Corner",
  });
  assert.equal(portal.status, 200, JSON.stringify(portal.body));
  // New members' first posts are not held here: the test is about flags, not approvals.
  const on = await staff("PUT", "/api/v1/forum/settings", { enabled: true, title: "Kiln Corner community", rules: { holdFirstPosts: 0 } });
  assert.equal(on.status, 200, JSON.stringify(on.body));
  const cat = await staff("POST", "/api/v1/forum/categories", { name: "Glaze help", questions: true, color: "#0f766e" });
  assert.equal(cat.status, 201, JSON.stringify(cat.body));

  const asker = await endUser("asker", 1);
  const spammer = await endUser("spammer", 2);
  const t = await asker("POST", "/topics", {
    category_id: cat.body.id,
    title: "Why does my clear glaze craze?",
    body: "It crazes a week after firing. What am I doing wrong?",
    kind: "question",
  });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  const topic = t.body.topic ?? t.body;
  question = { id: topic.id, slug: topic.slug, title: topic.title };
  const spam = await spammer("POST", `/topics/${question.id}/posts`, { body: SPAM });
  assert.equal(spam.status, 201, JSON.stringify(spam.body));
  spamPostId = (spam.body.post ?? spam.body).id;
  for (const [i, reason] of [
    [3, "spam"],
    [4, "spam"],
  ]) {
    const flagger = await endUser(`flagger${i}`, i);
    const f = await flagger("POST", `/posts/${spamPostId}/flags`, { reason, note: i === 3 ? "Link spam" : undefined });
    assert.equal(f.status, 201, JSON.stringify(f.body));
  }
});
after(async () => browser?.close());

async function signedIn(opts = {}) {
  const ctx = await newContext(browser, opts);
  const page = await ctx.newPage();
  await loginUI(page, { email: owner.email });
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return { ctx, page };
}
const topicUrl = () => `/community/${owner.slug}/t/${question.slug}/${question.id}`;
async function publicText() {
  const res = await fetch(`${BASE}${topicUrl()}`, { headers: { "CF-Connecting-IP": "127.8.63.1" } });
  assert.equal(res.status, 200);
  return res.text();
}
async function a11y(page, what) {
  for (const v of await axe(page)) assert.fail(`${what}: ${v}`);
}

test("a spam reply flagged by end users reaches the queue; a moderator hides it and it leaves the public topic page", async () => {
  assert.ok((await publicText()).includes(SPAM), "the spam is on the public page before moderation");
  const { ctx, page } = await signedIn();
  await onFail(page, "forum-dashboard-moderation", async () => {
    await page.goto("/forum/moderation");
    await page.getByRole("heading", { name: "Moderation", level: 1 }).waitFor();
    const card = page.getByRole("article", { name: `Post by Spammer Maker in ${question.title}` });
    await card.getByText(SPAM).waitFor();
    await card.getByText("2 flags").waitFor();
    await card.getByText("“Link spam”").waitFor();
    await card.getByText("Flagger3 Maker").waitFor();
    await card.getByText("Flagger4 Maker").waitFor();
    await a11y(page, "moderation queue");
    await screenshot(page, "forum-dashboard-moderation-light");
    await card.getByRole("button", { name: "Hide post" }).click();
    const confirm = page.getByRole("dialog", { name: "Hide this post?" });
    await confirm.getByRole("button", { name: "Hide" }).click();
    await page.getByText("No flagged posts").waitFor();
    // The log has the action, with Reverse.
    await page.getByRole("tab", { name: "Moderation log" }).click();
    await page.getByRole("row", { name: /Hide/ }).getByRole("button", { name: "Reverse" }).waitFor();
  });
  await ctx.close();
  const html = await publicText();
  assert.ok(!html.includes(SPAM), "the hidden spam is gone from the public topic page");
});

test("staff answer a question from the dashboard and accept it: the public page shows Solved and the Staff badge", async () => {
  const { ctx, page } = await signedIn();
  await onFail(page, "forum-dashboard-answer", async () => {
    await page.goto("/forum/topics");
    await page.getByRole("heading", { name: "Topics", level: 1 }).waitFor();
    await a11y(page, "topics");
    await page.getByRole("link", { name: question.title }).click();
    await page.getByRole("heading", { name: question.title, level: 1 }).waitFor();
    await page.getByLabel("Your reply").fill(ANSWER);
    await page.getByRole("button", { name: "Post reply" }).click();
    const reply = page.getByRole("article", { name: /Post \d+ by Rosa Kiln/ });
    await reply.getByText(ANSWER).waitFor();
    await reply.getByText("Staff", { exact: true }).waitFor();
    await reply.getByRole("button", { name: "Accept answer" }).click();
    await reply.getByText("✓ Accepted answer").waitFor();
    await page.getByText("Solved", { exact: true }).first().waitFor();
    await a11y(page, "topic");
  });
  await ctx.close();
  const html = await publicText();
  assert.ok(html.includes(ANSWER), "the staff answer is on the public page");
  assert.match(html, /<span class="pill ok">Solved<\/span>/);
  assert.match(html, /<span class="pill brand">Staff<\/span>/);
});

test("the overview counts the activity; overview and topic in light, dark and at 390 px, settings and a member in light", async () => {
  // One sign-in: the dark scheme and the phone width are switched on the same page (a sign-in and
  // each SPA load cost seconds on the shared stack).
  const { ctx, page } = await signedIn({ colorScheme: "light" });
  for (const mode of ["light", "dark", "phone"]) {
    if (mode === "dark") await page.emulateMedia({ colorScheme: "dark" });
    if (mode === "phone") {
      await page.emulateMedia({ colorScheme: "light" });
      await page.setViewportSize({ width: 390, height: 844 });
    }
    const suffix = mode === "phone" ? "390" : mode;
    await onFail(page, `forum-dashboard-overview-${suffix}`, async () => {
      await page.goto("/forum");
      await page.getByRole("heading", { name: "Community", level: 1 }).waitFor();
      const topics = page.getByRole("term").filter({ hasText: /^Topics$/ });
      await topics.waitFor();
      await page.getByRole("link", { name: /Open the community/ }).waitFor();
      await page.getByRole("img", { name: /Bar chart of topics and posts per day over 30 days: 1 topics and 3 posts/ }).waitFor();
      if (mode === "light") await a11y(page, "overview");
      await screenshot(page, `forum-dashboard-overview-${suffix}`);
      await page.goto(`/forum/topics/${question.id}`);
      await page.getByRole("heading", { name: question.title, level: 1 }).waitFor();
      await screenshot(page, `forum-dashboard-topic-${suffix}`);
      // Settings and members once (light): each page load costs seconds on the shared stack.
      if (mode !== "light") return;
      await page.goto("/forum/settings");
      await page.getByRole("heading", { name: "Community settings", level: 1 }).waitFor();
      await page.getByText("Glaze help").waitFor();
      if (mode === "light") await a11y(page, "settings");
      await screenshot(page, "forum-dashboard-settings-light");
      await page.goto("/forum/members");
      await page.getByRole("button", { name: "Open Spammer Maker" }).click();
      await page.getByRole("dialog", { name: "Spammer Maker" }).getByText("Posts").waitFor();
      await a11y(page, "member");
      await screenshot(page, "forum-dashboard-members-light");
    });
  }
  await ctx.close();
});
