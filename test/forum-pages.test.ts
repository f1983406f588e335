import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../workers/platform/db";
import type { Actor } from "../workers/platform/audit";
import { createCategory } from "../workers/modules/forum/categories.service";
import { viewerForStaff } from "../workers/modules/forum/members.service";
import { reply } from "../workers/modules/forum/posts.service";
import { updateSettings } from "../workers/modules/forum/settings.service";
import { createTopic, type ForumCtx } from "../workers/modules/forum/topics.service";
import { FORUM_SCRIPT } from "../workers/modules/forum/pages/script";
import { euSignUp, portal, type Portal } from "../workers/modules/endusers/test/endusers-helpers";
import { BASE, freshIp } from "./helpers";

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
});
