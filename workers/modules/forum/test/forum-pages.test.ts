import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../platform/db";
import type { Actor } from "../../../platform/audit";
import { createCategory } from "../categories.service";
import { viewerForStaff } from "../members.service";
import { reply } from "../posts.service";
import { updateSettings } from "../settings.service";
import { createTopic } from "../topics.create";
import type { ForumCtx } from "../topics.service";
import { FORUM_SCRIPT } from "../pages/script";
import { euSignUp, portal, type Portal } from "../../endusers/test/endusers-helpers";
import { BASE, freshIp } from "../../../../test/helpers";

/**
 * The hosted community pages (/community/<slug>/…): server-rendered HTML that needs no script, the
 * portal's session through its cookies, private categories invisible (404) to whoever may not read
 * them, the sitemap, cross-site form posts refused, and `?next=` after sign-in kept on this site.
 */
const db = getDb(env.DB);
const SYSTEM: Actor = { type: "system", id: null, ip: null, userAgent: null };

interface Community {
  p: Portal;
  tenantId: string;
  ctx: ForumCtx;
  pub: { id: string; slug: string };
  priv: { id: string; slug: string };
}

async function community(): Promise<Community> {
  const p = await portal();
  const tenantId = p.owner.tenantId;
  const settings = await updateSettings(db, tenantId, { enabled: true, title: "Help <Forum>", rules: { holdFirstPosts: 0 } }, SYSTEM);
  const pub = await createCategory(db, tenantId, { name: "Questions", read_access: "public", questions: true }, SYSTEM);
  const priv = await createCategory(db, tenantId, { name: "Staff room", read_access: "staff" }, SYSTEM);
  const ctx: ForumCtx = { tenantId, settings, site: { origin: BASE, slug: p.slug, title: settings.title }, ip: null };
  return { p, tenantId, ctx, pub, priv };
}

const staffViewer = (c: Community) => viewerForStaff(db, c.tenantId, c.p.owner.userId, "owner");

async function topicWithReplies(c: Community, categoryId: string, title: string, replies: string[]) {
  const v = await staffViewer(c);
  const { topic } = await createTopic(env, db, c.ctx, v, { category_id: categoryId, title, body: `First post of **${title}**` });
  for (const body of replies) await reply(env, db, c.ctx, await staffViewer(c), topic.id, { body });
  return topic;
}

const get = (path: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(BASE + path, { headers: { "CF-Connecting-IP": freshIp(), ...headers }, redirect: "manual" });
const postForm = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  exports.default.fetch(BASE + path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": freshIp(), ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
const cookieFor = (slug: string, accessToken: string) => ({ Cookie: `weft_eu_at_${slug}=${accessToken}` });

describe("community pages", () => {
  it("renders a topic's posts on the server (no script needed), with canonical URL, meta and the brand", async () => {
    const c = await community();
    const topic = await topicWithReplies(c, c.pub.id, "How do refunds work?", [
      "Reply number one <script>alert(1)</script>",
      "Reply two with `code`",
    ]);
    const res = await get(`/community/${c.p.slug}/t/${topic.slug}/${topic.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>How do refunds work?");
    expect(html).toContain("First post of <strong>How do refunds work?</strong>");
    expect(html).toContain("Reply number one");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain(`<link rel="canonical" href="${BASE}/community/${c.p.slug}/t/${topic.slug}/${topic.id}">`);
    expect(html).toContain('<meta property="og:title" content="How do refunds work?">');
    expect(html).toContain("Help &lt;Forum&gt;");
    expect(html).toContain('<span class="pill brand">Staff</span>');
    expect(html).toMatch(/Sign in to reply/);
    expect(html).toContain(`/portal/${c.p.slug}?next=${encodeURIComponent(`/community/${c.p.slug}/t/${topic.slug}/${topic.id}#reply`)}`);
    // No inline script: only the Worker-served one, allowed by the CSP.
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/community/_/forum.js" defer>']);
    expect(res.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    // Signed-out pages are reused only while the topic is unchanged: a new reply shows at once.
    await reply(env, db, c.ctx, await staffViewer(c), topic.id, { body: "A late third reply" });
    expect(await (await get(`/community/${c.p.slug}/t/${topic.slug}/${topic.id}`)).text()).toContain("A late third reply");
    // A stale slug (and the id alone) redirect to the canonical URL.
    const stale = await get(`/community/${c.p.slug}/t/old-title/${topic.id}`);
    expect(stale.status).toBe(301);
    expect(stale.headers.get("Location")).toBe(`/community/${c.p.slug}/t/${topic.slug}/${topic.id}`);
    // Home and category list it.
    const home = await (await get(`/community/${c.p.slug}`)).text();
    expect(home).toContain("How do refunds work?");
    expect(home).toContain("Questions");
    expect(home).not.toContain("Staff room");
    const cat = await get(`/community/${c.p.slug}/c/${c.pub.slug}?sort=unanswered`);
    expect(cat.status).toBe(200);
    expect(await cat.text()).not.toContain("How do refunds work?"); // it has replies
    console.log(`forum.js: ${FORUM_SCRIPT.length} bytes`);
  });

  it("a signed-in end user (the portal's cookie) replies through a plain form post; 303 back to the post", async () => {
    const c = await community();
    const topic = await topicWithReplies(c, c.pub.id, "Reply by form", []);
    const u = await euSignUp(c.p, undefined, "Robin Reader");
    const path = `/community/${c.p.slug}/t/${topic.slug}/${topic.id}`;
    const page = await (await get(path, cookieFor(c.p.slug, u.accessToken))).text();
    expect(page).toContain(`action="${path}/reply"`);
    expect(page).toContain("Robin Reader");
    const ok = await postForm(
      `${path}/reply`,
      { body: "Thanks, this helped me a lot!" },
      { ...cookieFor(c.p.slug, u.accessToken), "Sec-Fetch-Site": "same-origin" },
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.get("Location")).toBe(`${path}#post-2`);
    const after = await (await get(path)).text();
    expect(after).toContain("Thanks, this helped me a lot!");
    // Empty body: the page comes back with the reason, no post written.
    const bad = await postForm(`${path}/reply`, { body: "" }, { ...cookieFor(c.p.slug, u.accessToken), "Sec-Fetch-Site": "same-origin" });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(await bad.text()).toContain('role="alert"');
  });

  it("refuses cross-site form posts (Sec-Fetch-Site, else Origin vs Host) and sends the signed-out to sign in", async () => {
    const c = await community();
    const topic = await topicWithReplies(c, c.pub.id, "Cross site", []);
    const u = await euSignUp(c.p);
    const path = `/community/${c.p.slug}/t/${topic.slug}/${topic.id}/reply`;
    const cross = await postForm(path, { body: "csrf" }, { ...cookieFor(c.p.slug, u.accessToken), "Sec-Fetch-Site": "cross-site" });
    expect(cross.status).toBe(403);
    const origin = await postForm(path, { body: "csrf" }, { ...cookieFor(c.p.slug, u.accessToken), Origin: "https://evil.example" });
    expect(origin.status).toBe(403);
    const anon = await postForm(path, { body: "hello" }, { "Sec-Fetch-Site": "same-origin" });
    expect(anon.status).toBe(303);
    expect(anon.headers.get("Location")).toMatch(new RegExp(`^/portal/${c.p.slug}\\?next=`));
    const page = await (await get(`/community/${c.p.slug}/t/${topic.slug}/${topic.id}`)).text();
    expect(page).not.toContain("csrf");
  });

  it("a private category is 404 for the signed-out, an end user, and another workspace; the sitemap lists only public visible topics", async () => {
    const c = await community();
    const other = await community();
    const secret = await topicWithReplies(c, c.priv.id, "Secret staff plans", []);
    const open = await topicWithReplies(c, c.pub.id, "Open question", []);
    const u = await euSignUp(c.p);
    const secretPath = `/community/${c.p.slug}/t/${secret.slug}/${secret.id}`;
    expect((await get(secretPath)).status).toBe(404);
    expect((await get(secretPath, cookieFor(c.p.slug, u.accessToken))).status).toBe(404);
    expect((await get(`/community/${c.p.slug}/c/${c.priv.slug}`)).status).toBe(404);
    // Another workspace's community does not serve this workspace's topics, public or not.
    expect((await get(`/community/${other.p.slug}/t/${secret.slug}/${secret.id}`)).status).toBe(404);
    expect((await get(`/community/${other.p.slug}/t/${open.slug}/${open.id}`)).status).toBe(404);
    // An end user of the other workspace, with their own cookie, sees nothing either.
    const ou = await euSignUp(other.p);
    expect((await get(`/community/${other.p.slug}/t/${open.slug}/${open.id}`, cookieFor(other.p.slug, ou.accessToken))).status).toBe(404);
    // A promoted moderator (or staff) would; the sitemap never lists it.
    const map = await get(`/community/${c.p.slug}/sitemap.xml`);
    expect(map.status).toBe(200);
    const xml = await map.text();
    expect(xml).toContain(`/community/${c.p.slug}/t/${open.slug}/${open.id}</loc>`);
    expect(xml).not.toContain(secret.id);
    expect(xml).not.toContain(c.priv.slug);
    const robots = await (await get(`/community/${c.p.slug}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${BASE}/community/${c.p.slug}/sitemap.xml`);
    // A community that is off, and an unknown slug, are 404.
    const off = await portal();
    expect((await get(`/community/${off.slug}`)).status).toBe(404);
    expect((await get("/community/no-such-workspace-xyz")).status).toBe(404);
  });

  it("the portal's sign-in keeps ?next= only for this workspace's portal or community paths", async () => {
    const c = await community();
    const u = await euSignUp(c.p);
    const signIn = (next: string) =>
      postForm(
        `/portal/${c.p.slug}/signin`,
        { email: u.email, password: "end user password 123", next },
        { "Sec-Fetch-Site": "same-origin" },
      );
    const good = await signIn(`/community/${c.p.slug}/t/x/ftop_1#reply`);
    expect(good.status).toBe(303);
    expect(good.headers.get("Location")).toBe(`/community/${c.p.slug}/t/x/ftop_1#reply`);
    expect(good.headers.getSetCookie().some((s) => s.startsWith(`weft_eu_at_${c.p.slug}=`) && /Path=\/(;|$)/.test(s))).toBe(true);
    for (const bad of [
      "https://evil.example/community/x",
      `//evil.example/community/${c.p.slug}`,
      "/\\evil.example",
      "/community/another-workspace/t/x/1",
      "/api/v1/tenant",
      "javascript:alert(1)",
    ]) {
      const r = await signIn(bad);
      expect(r.status, bad).toBe(303);
      expect(r.headers.get("Location"), bad).toBe(`/portal/${c.p.slug}`);
    }
    // The sign-in page carries next into its forms (escaped).
    const page = await (await get(`/portal/${c.p.slug}?next=${encodeURIComponent(`/community/${c.p.slug}/new`)}`)).text();
    expect(page).toContain(`name="next" value="/community/${c.p.slug}/new"`);
  });

  it("reactions and votes work as plain forms (303) and as the script's JSON; flags and drafts; a new topic by form", async () => {
    const c = await community();
    const topic = await topicWithReplies(c, c.pub.id, "Reactions by form", ["A staff answer worth a like"]);
    const u = await euSignUp(c.p, undefined, "Vera Voter");
    const me = { ...cookieFor(c.p.slug, u.accessToken), "Sec-Fetch-Site": "same-origin" };
    const path = `/community/${c.p.slug}/t/${topic.slug}/${topic.id}`;
    const html = await (await get(path, me)).text();
    const postId = /data-post="(fpost_[^"]+)" data-number="2"/.exec(html)?.[1] ?? "";
    expect(postId).not.toBe("");
    // No script: the like button is a form; it comes back to the post, pressed.
    const like = await postForm(`/community/${c.p.slug}/-/posts/${postId}/react`, { reaction: "like", on: "1" }, me);
    expect(like.status).toBe(303);
    expect(like.headers.get("Location")).toBe(`${path}#post-2`);
    const after = await (await get(path, me)).text();
    expect(after).toMatch(/aria-pressed="true" aria-label="like, 1"/);
    // The script: same URL, JSON answer with the counts.
    const voted = await postForm(`/community/${c.p.slug}/-/posts/${postId}/vote`, { value: "1" }, { ...me, Accept: "application/json" });
    expect(voted.status).toBe(200);
    expect(await voted.json()).toMatchObject({ score: 1, value: 1 });
    const badReaction = await postForm(
      `/community/${c.p.slug}/-/posts/${postId}/react`,
      { reaction: "poop", on: "1" },
      { ...me, Accept: "application/json" },
    );
    expect(badReaction.status).toBe(400);
    // Another workspace's post id through this community: 404.
    const other = await community();
    const foreign = await topicWithReplies(other, other.pub.id, "Foreign topic", ["foreign reply"]);
    const fhtml = await (await get(`/community/${other.p.slug}/t/${foreign.slug}/${foreign.id}`)).text();
    const foreignPost = /data-post="(fpost_[^"]+)" data-number="2"/.exec(fhtml)?.[1] ?? "";
    expect((await postForm(`/community/${c.p.slug}/-/posts/${foreignPost}/react`, { reaction: "like", on: "1" }, me)).status).toBe(404);
    // Flag by form: back with a notice; twice is refused with a reason.
    const flag = await postForm(`/community/${c.p.slug}/-/posts/${postId}/flag`, { reason: "off_topic" }, me);
    expect(flag.status).toBe(303);
    expect(flag.headers.get("Location")).toBe(`${path}#post-2`);
    const flash = flag.headers.getSetCookie().find((x) => x.startsWith("weft_community_flash=")) ?? "";
    const thanks = await (await get(path, { ...me, Cookie: `${me.Cookie}; ${flash.split(";")[0]}` })).text();
    expect(thanks).toContain('role="status">Thanks — the moderators will look at it.');
    const again = await postForm(`/community/${c.p.slug}/-/posts/${postId}/flag`, { reason: "off_topic" }, me);
    expect(again.status).toBe(303);
    expect(decodeURIComponent(again.headers.getSetCookie().join(";"))).toContain('"kind":"error"');
    // A crafted link cannot put a message on the page.
    expect(await (await get(`${path}?error=Call+us+now&notice=Call+us+now`)).text()).not.toContain("Call us now");
    // Drafts (the script): saved, read back, only by their owner.
    const key = `reply:${topic.id}`;
    const put = await exports.default.fetch(`${BASE}/community/${c.p.slug}/-/drafts/${key}`, {
      method: "PUT",
      headers: { ...me, Accept: "application/json", "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
      body: JSON.stringify({ body: "half-written thought" }),
    });
    expect(put.status).toBe(200);
    const draft = await (await get(`/community/${c.p.slug}/-/drafts/${key}`, { ...me, Accept: "application/json" })).json();
    expect(draft).toMatchObject({ body: "half-written thought" });
    const u2 = await euSignUp(c.p);
    expect(
      await (
        await get(`/community/${c.p.slug}/-/drafts/${key}`, { ...cookieFor(c.p.slug, u2.accessToken), Accept: "application/json" })
      ).json(),
    ).toBeNull();
    // A new topic by form lands on its page (this workspace holds no first posts here).
    const form = await (await get(`/community/${c.p.slug}/new?category=${c.pub.id}`, me)).text();
    expect(form).toContain("data-similar");
    const created = await postForm(
      `/community/${c.p.slug}/new`,
      { category_id: c.pub.id, title: "Where is my invoice?", body: "I cannot find the invoice for May.", kind: "question" },
      me,
    );
    expect(created.status).toBe(303);
    const topicPage = await (await get(created.headers.get("Location") ?? "", me)).text();
    expect(topicPage).toContain("I cannot find the invoice for May.");
    const noTitle = await postForm(`/community/${c.p.slug}/new`, { category_id: c.pub.id, title: "", body: "text" }, me);
    expect(noTitle.status).toBe(400);
    expect(await noTitle.text()).toContain('role="alert"');
  });

  it("search shows highlighted snippets of readable posts only; similar topics for a title", async () => {
    const c = await community();
    await topicWithReplies(c, c.pub.id, "Payouts to my bank are late", ["Payouts arrive after seven days."]);
    await topicWithReplies(c, c.priv.id, "Payouts secret roadmap", ["Secret payouts plan."]);
    const res = await get(`/community/${c.p.slug}/search?q=payouts`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<mark>");
    expect(html).toContain("Payouts to my bank are late");
    expect(html).not.toContain("secret roadmap");
    expect(html).toContain('<meta name="robots" content="noindex">');
    const similar: { data: { title: string }[] } = await (
      await get(`/community/${c.p.slug}/-/similar?title=${encodeURIComponent("late payouts")}`)
    ).json();
    expect(similar.data.map((t: { title: string }) => t.title)).toContain("Payouts to my bank are late");
    expect(JSON.stringify(similar)).not.toContain("secret");
  });
});
