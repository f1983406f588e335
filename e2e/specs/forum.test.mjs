// The community (issue 16) in the browser: an end user at phone width opens the workspace's
// community, follows "Sign in" to the portal (magic link from the dev mailbox) and comes back to the
// community (`?next=`), asks a question; a staff member answers it and marks the answer accepted
// through the staff API; the asker gets the notification on the portal's notifications page and sees
// the topic solved with the accepted answer on top; a like without a reload (the script); the topic
// page with JavaScript disabled. axe on the pages; screenshots in e2e/artifacts/forum-topic-*.png
// (390 px light and dark, desktop).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  apiCall,
  axe,
  BASE,
  launch,
  linkFrom,
  newContext,
  onFail,
  PASSWORD,
  screenshot,
  uniqueEmail,
  waitForMail,
} from "../lib/browser.mjs";

let browser;
const owner = {};
const IP = "127.8.32.1";
const staff = (method, path, body) => apiCall(path, { method, token: owner.token, tenant: owner.tenant, ip: IP, body });

before(async () => {
  browser = await launch();
  owner.email = uniqueEmail("forum-owner");
  const r = await apiCall("/api/v1/auth/signup", {
    method: "POST",
    ip: IP,
    body: { email: owner.email, password: PASSWORD, name: "Sam Staff", workspace_name: "Juniper Tools" },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  owner.token = r.body.access_token;
  owner.tenant = r.body.tenant.id;
  owner.slug = r.body.tenant.slug;
  const portal = await staff("PUT", "/api/v1/end-users/portal-settings", {
    enabled: true,
    brand_name: "Juniper Tools",
    primary_color: "#b45309",
  });
  assert.equal(portal.status, 200, JSON.stringify(portal.body));
  // New members' first posts are not held here (the default holds one for approval).
  const s = await staff("PUT", "/api/v1/forum/settings", { enabled: true, title: "Juniper community", rules: { holdFirstPosts: 0 } });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  const cat = await staff("POST", "/api/v1/forum/categories", {
    name: "Questions",
    description: "Ask anything about our tools",
    questions: true,
    color: "#b45309",
  });
  assert.equal(cat.status, 201, JSON.stringify(cat.body));
  owner.category = cat.body;
});
after(async () => browser?.close());

async function a11y(page, what) {
  for (const v of await axe(page)) assert.fail(`${what}: ${v}`);
}

test("an end user asks, staff answer and accept, the asker is notified; the topic reads without JavaScript", async () => {
  const phone = await newContext(browser, { viewport: { width: 390, height: 844 } });
  const page = await phone.newPage();
  const email = uniqueEmail("asker");
  const title = "Where do I find the warranty for my drill?";
  let topicPath = "";
  await onFail(page, "forum-asker", async () => {
    await page.goto(`/community/${owner.slug}`);
    await page.getByRole("heading", { name: "Juniper community", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Questions" }).waitFor();
    await a11y(page, "community home");
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("Email", { exact: true }).first().fill(email);
    const sent = Date.now();
    await page.getByRole("button", { name: "Email me a sign-in code" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const mail = await waitForMail(email, /sign-in code/, { after: sent - 1000 });
    await page.goto(linkFrom(mail, `/portal/${owner.slug}/magic`));
    await page.getByRole("button", { name: "Sign in" }).click();
    // Back on the community (next=), signed in.
    await page.waitForURL((u) => u.pathname === `/community/${owner.slug}`);
    await page.getByRole("link", { name: "Notifications" }).waitFor();

    await page.getByRole("link", { name: "New topic" }).first().click();
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Question (answers can be accepted)").check();
    await page.getByLabel("Body").fill("I bought the cordless drill in March. Where is the warranty card, and how long is it valid?");
    await page.getByText("Draft saved.").waitFor(); // the script saved it as I typed
    await a11y(page, "new topic");
    await page.getByRole("button", { name: "Post topic" }).click();
    await page.getByRole("heading", { name: title, level: 1 }).waitFor();
    topicPath = new URL(page.url()).pathname;
    assert.match(topicPath, new RegExp(`^/community/${owner.slug}/t/[a-z0-9-]+/ftop_`));
  });

  // Staff answer and mark the answer accepted (staff API).
  const topicId = topicPath.split("/").pop();
  const ans = await staff("POST", `/api/v1/forum/topics/${topicId}/posts`, {
    body: "The warranty is **3 years**; the card is in the manual, and you can register online too.",
  });
  assert.equal(ans.status, 201, JSON.stringify(ans.body));
  const postId = ans.body.id ?? ans.body.post?.id;
  const acc = await staff("POST", `/api/v1/forum/topics/${topicId}/accepted`, { post_id: postId });
  assert.ok(acc.status === 200 || acc.status === 201, JSON.stringify(acc.body));

  await onFail(page, "forum-asker-notified", async () => {
    // The in-app notification arrives through the outbox queue: load the page until it is there.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await page.request.get(`/portal/${owner.slug}/notifications`);
      if ((await res.text()).includes("warranty for my drill")) break;
      if (Date.now() > deadline) assert.fail("no notification of the answer");
    }
    await page.goto(`/portal/${owner.slug}/notifications`);
    await page
      .getByRole("link", { name: /warranty for my drill/ })
      .first()
      .click();
    await page.getByRole("heading", { name: title, level: 1 }).waitFor();
    await page.getByText("Solved").first().waitFor();
    const accepted = page.locator("#accepted-answer");
    await accepted.getByText("The warranty is").waitFor();
    await accepted.getByText("Staff", { exact: true }).waitFor();
    await a11y(page, "topic page (solved)");
    await screenshot(page, "forum-topic-390-light");

    // The script: a like without a reload.
    const answer = page.locator("#post-2");
    const like = answer.getByRole("button", { name: /^like, / });
    const before = page.url();
    await like.click();
    await answer.locator('button[aria-pressed="true"][aria-label="like, 1"]').waitFor();
    assert.equal(page.url(), before);
  });
  await phone.close();

  const dark = await newContext(browser, { viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const d = await dark.newPage();
  await onFail(d, "forum-dark", async () => {
    await d.goto(topicPath);
    await d.getByText("The warranty is").first().waitFor();
    await a11y(d, "topic page (dark, signed out)");
    await screenshot(d, "forum-topic-390-dark");
  });
  await dark.close();

  // No JavaScript: the same page, server-rendered, with its posts and the way to sign in.
  const nojs = await browser.newContext({
    baseURL: BASE,
    javaScriptEnabled: false,
    extraHTTPHeaders: { "CF-Connecting-IP": "127.8.32.9" },
  });
  const n = await nojs.newPage();
  await onFail(n, "forum-nojs", async () => {
    await n.goto(topicPath);
    await n.getByRole("heading", { name: title, level: 1 }).waitFor();
    await n.getByText("I bought the cordless drill in March.").waitFor();
    await n.getByText("The warranty is").first().waitFor();
    await n.getByRole("link", { name: "Sign in to reply" }).waitFor();
    assert.equal(await n.locator("article.post").count(), 3); // the accepted answer on top + the two posts
    await screenshot(n, "forum-topic-desktop-nojs");
  });
  await nojs.close();
});
