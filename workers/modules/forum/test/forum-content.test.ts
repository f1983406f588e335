import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { forumCategories, forumPosts, forumTopics } from "../../../../schema/forum";
import { forumNotices } from "../../../../schema/forum-reading";
import { outboxMessages } from "../../../../schema/messaging";
import { call } from "../../../../test/helpers";
import { as } from "../../endusers/test/endusers-helpers";
import { waitForNotification } from "../../endusers/test/portal-helpers";
import { canRead, canReply, canStartTopic, type CategoryRow, type TopicRow, type Viewer } from "../access";
import { digestTenant } from "../notify.service";
import { renderPost } from "../render";
import { forum, forumDb, forumUser, fu, memberRow, replyAs, setMember, staffReply, startTopic } from "./forum-fixtures";

// ── the renderer against XSS ────────────────────────────────────────────────────────────────────

const PAYLOADS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '<svg onload="alert(1)"><circle r=1 /></svg>',
  "<iframe src=//evil.example></iframe>",
  '<a href="javascript:alert(1)">x</a>',
  "<details open ontoggle=alert(1)>",
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](java%0ascript:alert(1))",
  "[x](java&#x09;script:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](  javascript:alert(1)  )",
  "[x](vbscript:msgbox(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[x][r]\n\n[r]: javascript:alert(1)",
  "<javascript:alert(1)>",
  "![x](javascript:alert(1))",
  "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
  "![x](http://evil.example/tracker.png)",
  '![a](https://ok.example/i.png "t" onerror=alert(1))',
  '[click](https://ok.example" onclick="alert(1))',
  '[quote=@bob" onmouseover="alert(1) post=x]hi[/quote]',
  '[quote=@bob post=x"><script>alert(1)</script>]hi[/quote]',
  "[quote=@bob post=fpost_1]<img src=x onerror=alert(1)>[x](javascript:alert(1))[/quote]",
  "@bob<script>alert(1)</script>",
  "`<script>alert(1)</script>`",
  "```html\n<script>alert(1)</script>\n```",
  "<style>body{display:none}</style>",
  '<div style="background:url(javascript:alert(1))">x</div>',
  '[x](https://ok.example/"><script>alert(1)</script>)',
];

const ALLOWED_TAGS = new Set(
  "p a em strong code pre blockquote ul ol li h1 h2 h3 h4 h5 h6 img br hr table thead tbody tr th td s del".split(" "),
);
const ALLOWED_ATTRS = new Set(["href", "src", "alt", "title", "rel", "class", "loading", "referrerpolicy", "data-post", "start", "style"]);

/** Every tag is an allowed one, every attribute too, every URL is http(s), mailto, relative or a fragment. */
function assertSafe(html: string, source: string) {
  for (const m of html.matchAll(/<\s*\/?\s*([a-zA-Z0-9-]+)([^>]*)>/g)) {
    const tag = (m[1] ?? "").toLowerCase();
    expect(ALLOWED_TAGS.has(tag), `tag <${tag}> from ${source}: ${html}`).toBe(true);
    expect((m[2] ?? "").replace(/"[^"]*"/g, '""'), `event handler in <${tag}> from ${source}`).not.toMatch(/(^|\s)on[a-z]+\s*=/i);
    for (const a of (m[2] ?? "").matchAll(/([^\s=/]+)\s*=\s*"([^"]*)"/g)) {
      const name = (a[1] ?? "").toLowerCase();
      expect(ALLOWED_ATTRS.has(name), `attribute ${name} from ${source}: ${html}`).toBe(true);
      if (name === "style") expect(tag, "style only on table cells (markdown alignment)").toMatch(/^t[hd]$/);
      if (name === "href" || name === "src") {
        const url = (a[2] ?? "").replace(/&amp;/g, "&");
        expect(url, `${name} from ${source}`).toMatch(/^(https?:\/\/|mailto:|\/(?!\/)|#|[a-z0-9._~-]+(?:\/|$))/i);
        if (name === "src") expect(url, `image from ${source}`).toMatch(/^(https:\/\/|\/(?!\/))/);
      }
    }
  }
  expect(html).not.toMatch(/<script|<svg|<iframe|<style|<details/i); // text is escaped: a raw "<" only opens a real tag
}

describe("forum renderer", () => {
  it("neutralises every XSS payload", () => {
    for (const p of PAYLOADS) assertSafe(renderPost(p).html, p);
  });

  it("renders forum rules: nofollow ugc links, https/same-site images only, code, quotes naming the author, mentions of known members", () => {
    const r = renderPost(
      [
        "Hi @bob and @nobody, see https://docs.example/guide and [the faq](/faq).",
        "",
        "![ok](https://cdn.example/a.png) ![local](/files/fil_1/a.png) ![no](http://cdn.example/b.png)",
        "",
        "```js\nconst a = 1 < 2;\n```",
        "",
        "[quote=@carol post=fpost_01abc]",
        "You said **this**.",
        "[/quote]",
        "",
        "`@bob` in code is no mention.",
      ].join("\n"),
      { knownMentions: new Set(["bob", "carol"]), profileUrl: (u) => `/community/acme/u/${u}` },
    );
    expect(r.html).toContain('<a href="https://docs.example/guide" rel="nofollow ugc noopener">');
    expect(r.html).toContain('<a href="/community/acme/u/bob" class="mention" rel="nofollow ugc noopener">@bob</a>');
    expect(r.html).not.toContain("/u/nobody"); // not a member: stays text
    expect(r.html).toContain('src="https://cdn.example/a.png"');
    expect(r.html).toContain('src="/files/fil_1/a.png"');
    expect(r.html).not.toContain("http://cdn.example/b.png");
    expect(r.html).toContain('<pre><code class="language-js">const a = 1 &lt; 2;');
    expect(r.html).toContain('<blockquote class="forum-quote" data-post="fpost_01abc"><p class="forum-quote-author">@carol wrote:</p>');
    expect(r.html).toContain("<strong>this</strong>");
    expect(r.mentions.sort()).toEqual(["bob", "nobody"]);
    expect(r.quotes).toEqual([{ username: "carol", postId: "fpost_01abc" }]);
    expect(r.links).toBe(2); // the URL and /faq; mention links are ours and do not count
    expect(r.images).toBe(3);
    expect(r.text).toContain("const a = 1 < 2;");
    expect(r.text).not.toMatch(/<\/?(p|strong|pre|code|blockquote)>/);
  });
});

// ── the permission matrix ───────────────────────────────────────────────────────────────────────

const cat = (o: Partial<CategoryRow>): CategoryRow => ({
  tenantId: "t",
  id: "fcat_x",
  slug: "x",
  name: "x",
  description: "",
  color: "#000000",
  position: 0,
  readAccess: "public",
  topicAccess: "signed_in",
  replyAccess: "signed_in",
  minTrustToTopic: 0,
  questions: false,
  topicCount: 0,
  postCount: 0,
  lastPostedAt: null,
  archivedAt: null,
  createdAt: 0,
  updatedAt: 0,
  ...o,
});
const topicRow = (o: Partial<TopicRow> = {}) =>
  ({ status: "visible", lockedAt: null, authorId: "eu_author", kind: "discussion", ...o }) as TopicRow;
const member = (o: Record<string, unknown>) =>
  ({ trustLevel: 0, moderator: false, suspendedUntil: null, kind: "enduser", ...o }) as unknown as NonNullable<
    Extract<Viewer, { kind: "enduser" }>["member"]
  >;

describe("forum permission matrix", () => {
  const viewers: Record<string, Viewer> = {
    anonymous: { kind: "anonymous" },
    "end user (no member row yet)": { kind: "enduser", id: "eu_1", member: null },
    "end user TL0": { kind: "enduser", id: "eu_1", member: member({ trustLevel: 0 }) },
    "end user TL2": { kind: "enduser", id: "eu_1", member: member({ trustLevel: 2 }) },
    "suspended TL2": { kind: "enduser", id: "eu_1", member: member({ trustLevel: 2, suspendedUntil: Date.now() + 60_000 }) },
    "moderator (end user)": { kind: "enduser", id: "eu_1", member: member({ moderator: true }) },
    "staff owner": { kind: "staff", id: "usr_1", member: null, role: "owner" },
    "staff viewer role": { kind: "staff", id: "usr_1", member: null, role: "viewer" },
  };
  const cats = {
    public: cat({}),
    "signed-in": cat({ readAccess: "signed_in" }),
    "staff only": cat({ readAccess: "staff", topicAccess: "staff", replyAccess: "staff" }),
    "public, staff topics": cat({ topicAccess: "staff" }),
    "min trust 2": cat({ minTrustToTopic: 2 }),
    archived: cat({ archivedAt: 1 }),
  };
  // read / start topic / reply (visible topic) / reply (locked topic)
  const expected: Record<string, Record<string, string>> = {
    anonymous: {
      public: "R---",
      "signed-in": "----",
      "staff only": "----",
      "public, staff topics": "R---",
      "min trust 2": "R---",
      archived: "R---",
    },
    "end user (no member row yet)": {
      public: "RTP-",
      "signed-in": "RTP-",
      "staff only": "----",
      "public, staff topics": "R-P-",
      "min trust 2": "R-P-",
      archived: "R---",
    },
    "end user TL0": {
      public: "RTP-",
      "signed-in": "RTP-",
      "staff only": "----",
      "public, staff topics": "R-P-",
      "min trust 2": "R-P-",
      archived: "R---",
    },
    "end user TL2": {
      public: "RTP-",
      "signed-in": "RTP-",
      "staff only": "----",
      "public, staff topics": "R-P-",
      "min trust 2": "RTP-",
      archived: "R---",
    },
    "suspended TL2": {
      public: "R---",
      "signed-in": "R---",
      "staff only": "----",
      "public, staff topics": "R---",
      "min trust 2": "R---",
      archived: "R---",
    },
    "moderator (end user)": {
      public: "RTPL",
      "signed-in": "RTPL",
      "staff only": "RTPL",
      "public, staff topics": "RTPL",
      "min trust 2": "RTPL",
      archived: "R---",
    },
    "staff owner": {
      public: "RTPL",
      "signed-in": "RTPL",
      "staff only": "RTPL",
      "public, staff topics": "RTPL",
      "min trust 2": "RTPL",
      archived: "R---",
    },
    "staff viewer role": {
      public: "RTPL",
      "signed-in": "RTPL",
      "staff only": "RTPL",
      "public, staff topics": "RTPL",
      "min trust 2": "RTPL",
      archived: "R---",
    },
  };

  it("answers read / start topic / reply / reply-when-locked for every category × viewer", () => {
    const got: Record<string, Record<string, string>> = {};
    for (const [vn, v] of Object.entries(viewers)) {
      got[vn] = {};
      for (const [cn, c] of Object.entries(cats)) {
        got[vn][cn] = [
          canRead(c, v) ? "R" : "-",
          canStartTopic(c, v) ? "T" : "-",
          canReply(c, topicRow(), v) ? "P" : "-",
          canReply(c, topicRow({ lockedAt: 1 }), v) ? "L" : "-",
        ].join("");
      }
    }
    expect(got).toEqual(expected);
  });

  it("applies it over HTTP: 404 (never 403) for what a caller cannot read, in this and other workspaces", async () => {
    const f = await forum();
    const erin = await forumUser(f, "Erin");
    const other = await forum();
    const outsider = await forumUser(other, "Olga");
    const staffTopic = await as(f.owner)("POST", "/api/v1/forum/topics", {
      category_id: f.cats.staff,
      title: "Staff only plans",
      body: "Secret roadmap",
    });
    const membersTopic = await startTopic(f, erin, { category: f.cats.members, title: "Members lounge chat", body: "Only for members" });
    expect(staffTopic.status).toBe(201);

    const anon = await fu(f)("GET", "");
    expect(anon.status).toBe(200);
    expect(anon.body.categories.map((c: { id: string }) => c.id)).toEqual([f.cats.general, f.cats.qa]);
    expect(anon.body.member).toBeNull();
    const signedIn = await fu(f, erin)("GET", "");
    expect(signedIn.body.categories.map((c: { id: string }) => c.id)).toEqual([f.cats.general, f.cats.qa, f.cats.members]);
    expect(signedIn.body.member.username).toBe("erin");

    for (const [who, caller] of [
      ["anonymous", fu(f)],
      ["another workspace's end user", fu(f, outsider)],
    ] as const) {
      const t = await caller("GET", `/topics/${membersTopic.topic.id}`);
      expect(t.status, who).toBe(who === "anonymous" ? 404 : 401);
    }
    expect((await fu(f)("GET", `/topics/${membersTopic.topic.id}`)).status).toBe(404);
    expect((await fu(f, erin)("GET", `/topics/${staffTopic.body.topic.id}`)).status).toBe(404);
    expect((await fu(f, erin)("GET", `/topics?category=${f.cats.staff}`)).status).toBe(404);
    expect((await fu(f, erin)("POST", "/topics", { category_id: f.cats.staff, title: "Let me in", body: "please" })).status).toBe(404);
    expect((await fu(f, erin)("POST", `/topics/${staffTopic.body.topic.id}/posts`, { body: "hi" })).status).toBe(404);
    // Another workspace's community never shows A's topics, even by id.
    expect((await fu(other, outsider)("GET", `/topics/${membersTopic.topic.id}`)).status).toBe(404);
    // Minimum trust: TL0 may read but not start topics (403), TL2 may.
    await as(f.owner)("PATCH", `/api/v1/forum/categories/${f.cats.general}`, { min_trust_to_topic: 2 });
    const low = await fu(f, erin)("POST", "/topics", { category_id: f.cats.general, title: "Too new to post", body: "hello" });
    expect(low.status).toBe(403);
    await setMember(f, erin, { trustLevel: 2, trustLocked: true });
    expect((await fu(f, erin)("POST", "/topics", { category_id: f.cats.general, title: "Now I may post", body: "hello" })).status).toBe(
      201,
    );
    // Bad input names the fields.
    const bad = await fu(f, erin)("POST", "/topics", { category_id: f.cats.general, title: "x", body: "" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/title/);
    // A workspace's own site calls with its end users' tokens (headers, not cookies): CORS answers.
    const pre = await call(`${f.base}/topics`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://shop.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
      },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    // Forum off: everything is 404 for end users and the public.
    await as(f.owner)("PUT", "/api/v1/forum/settings", { enabled: false });
    expect((await fu(f)("GET", "")).status).toBe(404);
    expect((await fu(f, erin)("POST", "/topics", { category_id: f.cats.general, title: "While off", body: "x" })).status).toBe(404);
  });
});

// ── topics, posts, counters, revisions, accepted answers, notifications ─────────────────────────

const outbox = (tenantId: string, recipient: string) =>
  forumDb()
    .select()
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.tenantId, tenantId),
        eq(outboxMessages.recipient, recipient),
        eq(outboxMessages.template, "forum.notification"),
      ),
    );

describe("forum topics and posts", () => {
  it("creates topics and replies with their counters, lists pinned first, keeps edit history, and the asker sees the accepted answer", async () => {
    const f = await forum();
    const ann = await forumUser(f, "Ann Asker");
    const bob = await forumUser(f, "Bob Builder");
    const q = await startTopic(f, ann, { category: f.cats.qa, title: "Export to CSV fails", body: "It times out after 30 s." });
    expect(q.post).toMatchObject({ number: 1, status: "visible" });
    const r1 = await replyAs(f, bob, q.topic.id, "Try the *async* export.");
    const r2 = await staffReply(f, q.topic.id, "Fixed in 2.4; the async export is the way.");
    expect([r1.number, r2.number]).toEqual([2, 3]);
    // Concurrent replies get distinct numbers.
    const nums = await Promise.all([1, 2, 3].map((i) => replyAs(f, bob, q.topic.id, `Parallel reply ${i}`)));
    expect(nums.map((p) => p.number).sort()).toEqual([4, 5, 6]);

    const view = await fu(f, ann)("GET", `/topics/${q.topic.id}`);
    expect(view.status).toBe(200);
    expect(view.body.topic).toMatchObject({ kind: "question", post_count: 6, reply_count: 5, last_post_number: 6, solved: false });
    expect(view.body.posts.map((p: { number: number }) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(view.body.posts[2].author.staff).toBe(true);
    expect(view.body.can_accept).toBe(true);
    const page2 = await fu(f, ann)("GET", `/topics/${q.topic.id}?after=4&limit=1`);
    expect(page2.body.posts.map((p: { number: number }) => p.number)).toEqual([5]);
    expect(page2.body.next_after).toBe(5);

    const c = await forumDb()
      .select()
      .from(forumCategories)
      .where(and(eq(forumCategories.tenantId, f.tenantId), eq(forumCategories.id, f.cats.qa)))
      .get();
    expect([c?.topicCount, c?.postCount]).toEqual([1, 6]);
    const bobRow = await memberRow(f, bob.id);
    expect([bobRow?.postCount, bobRow?.topicCount]).toEqual([4, 0]);
    const t = await forumDb().select().from(forumTopics).where(eq(forumTopics.id, q.topic.id)).get();
    expect(t?.firstReplyAt).not.toBeNull();
    expect(t?.firstStaffReplyAt).not.toBeNull();
    expect(t?.viewCount).toBe(1); // the first page counted, not the second

    // Bob cannot accept (not the asker), Ann can; the answerer is notified once.
    expect((await fu(f, bob)("POST", `/topics/${q.topic.id}/accepted`, { post_id: r1.id })).status).toBe(403);
    expect((await fu(f, ann)("POST", `/topics/${q.topic.id}/accepted`, { post_id: q.post.id })).status).toBe(422);
    const acc = await fu(f, ann)("POST", `/topics/${q.topic.id}/accepted`, { post_id: r1.id });
    expect(acc.status).toBe(200);
    expect(acc.body).toMatchObject({ solved: true, accepted_post_id: r1.id });
    expect((await memberRow(f, bob.id))?.acceptedAnswers).toBe(1);
    await fu(f, ann)("DELETE", `/topics/${q.topic.id}/accepted`);
    await fu(f, ann)("POST", `/topics/${q.topic.id}/accepted`, { post_id: r1.id });
    expect((await memberRow(f, bob.id))?.acceptedAnswers).toBe(1);
    const accepted = (await outbox(f.tenantId, bob.id)).filter((m) => String(m.data.what).includes("accepted"));
    expect(accepted).toHaveLength(1);
    await waitForNotification(f.portal, bob, "accepted your answer");
    // The asker watches their topic: the staff reply reached them.
    await waitForNotification(f.portal, ann, "posted in");
    // Solved list.
    const solved = await fu(f)("GET", "/topics?sort=solved");
    expect(solved.body.data.map((x: { id: string }) => x.id)).toEqual([q.topic.id]);

    // Edit: within the grace period no revision; a title edit by a moderator (staff) is a revision.
    const e1 = await fu(f, ann)("PATCH", `/posts/${q.post.id}`, { body: "It times out after 30 seconds." });
    expect(e1.status).toBe(200);
    expect(e1.body.post.revision_count).toBe(0);
    const e2 = await as(f.owner)("PATCH", `/api/v1/forum/posts/${q.post.id}`, {
      body: "CSV export times out after 30 seconds.",
      title: "CSV export times out",
      reason: "clearer",
    });
    expect(e2.status).toBe(200);
    expect(e2.body.post.revision_count).toBe(1);
    const revs = await fu(f)("GET", `/posts/${q.post.id}/revisions`);
    expect(
      revs.body.data.map((r: { body_markdown: string; title: string | null; current: boolean }) => [r.body_markdown, r.title, r.current]),
    ).toEqual([
      ["It times out after 30 seconds.", "Export to CSV fails", false],
      ["CSV export times out after 30 seconds.", "CSV export times out", true],
    ]);
    expect((await fu(f, bob)("PATCH", `/posts/${q.post.id}`, { body: "hijack" })).status).toBe(403);
    expect((await fu(f, ann)("PATCH", `/posts/${r1.id}`, { body: "x", title: "No title on replies" })).status).toBe(403);

    // Pins: a global pin leads every list, a category pin leads its category only.
    const other = await startTopic(f, bob, { title: "Welcome thread", body: "Say hi" });
    const db = forumDb();
    await db.update(forumTopics).set({ pin: "global" }).where(eq(forumTopics.id, other.topic.id));
    await db.update(forumTopics).set({ pin: "category" }).where(eq(forumTopics.id, q.topic.id));
    const latest = await fu(f)("GET", "/topics");
    expect(latest.body.data[0].id).toBe(other.topic.id);
    const inQa = await fu(f)("GET", `/topics?category=${f.cats.qa}`);
    expect(inQa.body.data[0].id).toBe(q.topic.id);
    const unanswered = await fu(f)("GET", "/topics?sort=unanswered");
    expect(unanswered.body.data.map((x: { id: string }) => x.id)).toContain(other.topic.id);
    expect(unanswered.body.data.map((x: { id: string }) => x.id)).not.toContain(q.topic.id);
  });

  it("holds a new member's first post (pending: seen by the author and moderators, not counted) and sends mention notifications once", async () => {
    const f = await forum({ rules: { holdFirstPosts: 1 } });
    const nia = await forumUser(f, "Nia New");
    const mo = await forumUser(f, "Mo Mentioned");
    const zed = await forumUser(f, "Zed Zero");
    await setMember(f, mo, { trustLevel: 1, trustLocked: true });
    await setMember(f, zed, { trustLevel: 1, trustLocked: true });
    const held = await startTopic(f, nia, { title: "My first question here", body: "Hello @mo" });
    expect(held.held_for).toBe("new-user");
    expect(held.post.status).toBe("pending");
    expect((await fu(f, nia)("GET", `/topics/${held.topic.id}`)).body.posts[0].awaiting_approval).toBe(true);
    expect((await fu(f, mo)("GET", `/topics/${held.topic.id}`)).status).toBe(404);
    expect((await as(f.owner)("GET", `/api/v1/forum/topics/${held.topic.id}`)).status).toBe(200);
    expect((await memberRow(f, nia.id))?.postCount).toBe(0);
    expect(await outbox(f.tenantId, mo.id)).toHaveLength(0); // nothing until visible

    // A visible post mentioning @mo (and @zed in a private category Zed can read) → once each, edits add nothing.
    const t = await startTopic(f, mo, { title: "Mentions test topic", body: "Hi @zed and @mo and @nobody" });
    const rows = await forumDb().select().from(forumNotices).where(eq(forumNotices.postId, t.post.id));
    expect(rows.map((r) => [r.memberId, r.reason])).toEqual([[zed.id, "mention"]]); // never the author
    await waitForNotification(f.portal, zed, "mentioned you");
    const e = await fu(f, mo)("PATCH", `/posts/${t.post.id}`, { body: "Hi @zed (edited), @zed again and @nia now" });
    expect(e.status).toBe(200);
    const after = await forumDb().select().from(forumNotices).where(eq(forumNotices.postId, t.post.id));
    expect(after.map((r) => r.memberId).sort()).toEqual([zed.id, nia.id].sort());
    expect(await outbox(f.tenantId, zed.id)).toHaveLength(1); // the in-app one (the e-mail's recipient is the address), once
    expect(await outbox(f.tenantId, zed.email.toLowerCase())).toHaveLength(1);
    // Mentions in the staff room never reach an end user who cannot read it.
    const s = await as(f.owner)("POST", "/api/v1/forum/topics", {
      category_id: f.cats.staff,
      title: "Staff talk about zed",
      body: "@zed is great",
    });
    expect(s.status).toBe(201);
    expect(await forumDb().select().from(forumNotices).where(eq(forumNotices.postId, s.body.post.id))).toHaveLength(0);
  });

  it("keeps reaction and vote counters exact (repeats change nothing) and records reading state, drafts and levels", async () => {
    const f = await forum();
    const ann = await forumUser(f, "Ann");
    const bob = await forumUser(f, "Bob");
    const t = await startTopic(f, ann, { title: "Counting things right", body: "Count me" });
    const like = () => fu(f, bob)("PUT", `/posts/${t.post.id}/reactions/like`);
    const [l1, l2] = await Promise.all([like(), like()]);
    expect([l1.status, l2.status]).toEqual([200, 200]);
    expect((await fu(f, bob)("PUT", `/posts/${t.post.id}/reactions/heart`)).body.reactions).toEqual({ like: 1, heart: 1 });
    expect((await fu(f, ann)("PUT", `/posts/${t.post.id}/reactions/like`)).status).toBe(422); // own post
    expect((await fu(f, bob)("PUT", `/posts/${t.post.id}/reactions/rocket`)).status).toBe(400);
    expect([(await memberRow(f, bob.id))?.likesGiven, (await memberRow(f, ann.id))?.likesReceived]).toEqual([1, 1]);
    const un = await fu(f, bob)("DELETE", `/posts/${t.post.id}/reactions/like`);
    await fu(f, bob)("DELETE", `/posts/${t.post.id}/reactions/like`);
    expect(un.body.reactions).toEqual({ like: 0, heart: 1 });
    expect([(await memberRow(f, bob.id))?.likesGiven, (await memberRow(f, ann.id))?.likesReceived]).toEqual([0, 0]);

    expect((await fu(f, bob)("PUT", `/posts/${t.post.id}/vote`, { value: 1 })).body).toMatchObject({ upvotes: 1, downvotes: 0, score: 1 });
    await fu(f, bob)("PUT", `/posts/${t.post.id}/vote`, { value: 1 });
    expect((await fu(f, bob)("PUT", `/posts/${t.post.id}/vote`, { value: -1 })).body).toMatchObject({
      upvotes: 0,
      downvotes: 1,
      score: -1,
    });
    const topicRow1 = await forumDb().select().from(forumTopics).where(eq(forumTopics.id, t.topic.id)).get();
    expect(topicRow1?.score).toBe(-1);
    expect((await fu(f, bob)("PUT", `/posts/${t.post.id}/vote`, { value: 0 })).body).toMatchObject({ upvotes: 0, downvotes: 0 });
    expect((await forumDb().select().from(forumTopics).where(eq(forumTopics.id, t.topic.id)).get())?.score).toBe(0);
    const mine = await fu(f, bob)("GET", `/topics/${t.topic.id}`);
    expect(mine.body.posts[0]).toMatchObject({ my_reactions: ["heart"], my_vote: 0 });

    // Reading: unread counts per category follow the read position.
    await replyAs(f, ann, t.topic.id, "second");
    await replyAs(f, ann, t.topic.id, "third");
    const timing = await fu(f, bob)("POST", `/topics/${t.topic.id}/timings`, { read_to: 2, seconds: 5000 });
    expect(timing.body).toEqual({ topic_id: t.topic.id, read_position: 2, seconds_counted: 600 });
    let home = await fu(f, bob)("GET", "");
    expect(home.body.categories.find((c: { id: string }) => c.id === f.cats.general)).toMatchObject({ unread: 1 });
    await fu(f, bob)("POST", `/topics/${t.topic.id}/timings`, { read_to: 99, seconds: 3 });
    home = await fu(f, bob)("GET", "");
    expect(home.body.categories.find((c: { id: string }) => c.id === f.cats.general)).toMatchObject({ unread: 0 });
    const bobRow = await memberRow(f, bob.id);
    expect([bobRow?.postsRead, bobRow?.readSeconds, bobRow?.topicsEntered, bobRow?.daysVisited]).toEqual([3, 603, 1, 1]);
    expect((await fu(f, bob)("GET", `/topics/${t.topic.id}`)).body.read_position).toBe(3);

    // Levels: muting a topic silences its watching notices.
    expect((await fu(f, bob)("PUT", `/topics/${t.topic.id}/notification-level`, { level: "watching" })).status).toBe(200);
    await replyAs(f, ann, t.topic.id, "Bob is watching this");
    expect((await outbox(f.tenantId, bob.id)).length).toBe(1); // watching: in-app only
    await fu(f, bob)("PUT", `/topics/${t.topic.id}/notification-level`, { level: "muted" });
    await replyAs(f, ann, t.topic.id, "Bob muted this");
    expect((await outbox(f.tenantId, bob.id)).length).toBe(1);
    expect((await fu(f, bob)("PUT", `/categories/${f.cats.general}/notification-level`, { level: "loud" })).status).toBe(400);

    // Drafts are per member.
    const key = `reply:${t.topic.id}`;
    expect((await fu(f, bob)("PUT", `/drafts/${key}`, { body: "half a thought" })).status).toBe(200);
    expect((await fu(f, bob)("GET", `/drafts/${key}`)).body.body).toBe("half a thought");
    expect((await fu(f, ann)("GET", `/drafts/${key}`)).status).toBe(404);
    expect((await fu(f, bob)("PUT", "/drafts/whatever", { body: "x" })).status).toBe(400);
    expect((await fu(f, bob)("DELETE", `/drafts/${key}`)).status).toBe(204);
    expect((await fu(f, bob)("GET", `/drafts/${key}`)).status).toBe(404);

    // Suspended members cannot react or post.
    await setMember(f, bob, { suspendedUntil: Date.now() + 60_000 });
    expect((await fu(f, bob)("PUT", `/posts/${t.post.id}/reactions/eyes`)).status).toBe(403);
    expect((await fu(f, bob)("POST", `/topics/${t.topic.id}/posts`, { body: "let me" })).status).toBe(403);
  });

  it("erases an end user's forum data (GDPR): posts become a tombstone, reactions and votes go with their counters fixed", async () => {
    const f = await forum();
    const ann = await forumUser(f, "Ann Erased", `ann-${Date.now()}@example.test`);
    const bob = await forumUser(f, "Bob Stays");
    const t = await startTopic(f, ann, { title: "Ann's personal story", body: "My phone is 555-0100" });
    const r = await replyAs(f, bob, t.topic.id, "Nice");
    await fu(f, ann)("PUT", `/posts/${r.id}/reactions/like`);
    await fu(f, ann)("PUT", `/posts/${r.id}/vote`, { value: 1 });
    await fu(f, ann)("PUT", `/drafts/reply:${t.topic.id}`, { body: "draft" });
    expect((await memberRow(f, bob.id))?.likesReceived).toBe(1);
    const del = await as(f.owner)("DELETE", `/api/v1/end-users/${ann.id}`);
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect(del.body.modules.forum).toBeGreaterThan(0);
    expect(await memberRow(f, ann.id)).toBeUndefined();
    const post = await forumDb().select().from(forumPosts).where(eq(forumPosts.id, t.post.id)).get();
    expect(post?.authorId).toBe("deleted");
    expect(post?.bodyMarkdown).not.toContain("555");
    expect(post?.ip).toBeNull();
    const reply = await forumDb().select().from(forumPosts).where(eq(forumPosts.id, r.id)).get();
    expect([reply?.reactions, reply?.upvotes]).toEqual([{}, 0]);
    expect((await memberRow(f, bob.id))?.likesReceived).toBe(0);
    const view = await fu(f)("GET", `/topics/${t.topic.id}`);
    expect(view.body.posts[0].author.display_name).toBe("Deleted user");
    const s = await fu(f)("GET", "/search?q=555");
    expect(s.body.data, JSON.stringify(s.body)).toEqual([]);
  });
});

describe("forum digest", () => {
  it("e-mails a member who has not visited the new topics they may read, once per period", async () => {
    const f = await forum();
    const ann = await forumUser(f, "Ann Author");
    const dora = await forumUser(f, "Dora Digest");
    await setMember(f, dora, { createdAt: Date.now() - 3 * 86_400_000 });
    await startTopic(f, ann, { title: "Fresh public topic", body: "hello" });
    await startTopic(f, ann, { category: f.cats.members, title: "Fresh members topic", body: "hello" });
    await as(f.owner)("POST", "/api/v1/forum/topics", { category_id: f.cats.staff, title: "Fresh staff topic", body: "internal" });
    expect(await digestTenant(env, forumDb(), f.tenantId)).toBe(1); // Ann joined just now: not due yet
    const mail = await forumDb()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.tenantId, f.tenantId), eq(outboxMessages.template, "forum.digest")));
    expect(mail.map((m) => m.recipient)).toEqual([dora.email.toLowerCase()]);
    const topics = String(mail[0]?.data.topics);
    expect(topics).toContain("Fresh public topic");
    expect(topics).toContain("Fresh members topic");
    expect(topics).not.toContain("Fresh staff topic");
    expect(await digestTenant(env, forumDb(), f.tenantId)).toBe(0);
  });
});

// ── the staff API ───────────────────────────────────────────────────────────────────────────────

describe("forum staff API", () => {
  it("manages settings and categories (reorder, conflicts, delete only when empty) and turns a solved topic into knowledge", async () => {
    const f = await forum();
    const api = as(f.owner);
    const s = await api("PUT", "/api/v1/forum/settings", { rules: { flagHideThreshold: 5 }, trust: { basic: { postsRead: 10 } } });
    expect(s.body.rules).toMatchObject({ flagHideThreshold: 5, holdFirstPosts: 0 });
    expect(s.body.trust.basic).toMatchObject({ postsRead: 10, topicsEntered: 5 });
    expect((await api("PUT", "/api/v1/forum/settings", { rules: { flagHideThreshold: 0 } })).status).toBe(400);
    expect((await api("POST", "/api/v1/forum/categories", { name: "General" })).status).toBe(409);
    const list = await api("GET", "/api/v1/forum/categories");
    const ids = list.body.data.map((c: { id: string }) => c.id).reverse();
    expect((await api("POST", "/api/v1/forum/categories/reorder", { ids: ids.slice(1) })).status).toBe(400);
    const re = await api("POST", "/api/v1/forum/categories/reorder", { ids });
    expect(re.body.data.map((c: { id: string }) => c.id)).toEqual(ids);
    const erin = await forumUser(f, "Erin");
    const t = await startTopic(f, erin, { category: f.cats.qa, title: "How to reset my password", body: "The link expired." });
    expect((await api("DELETE", `/api/v1/forum/categories/${f.cats.qa}`)).status).toBe(409);
    expect((await api("POST", `/api/v1/forum/topics/${t.topic.id}/knowledge`, {})).status).toBe(422);
    const ans = await staffReply(f, t.topic.id, "Ask for a new link; they last one hour.");
    expect((await api("POST", `/api/v1/forum/topics/${t.topic.id}/accepted`, { post_id: ans.id })).status).toBe(200);
    const k = await api("POST", `/api/v1/forum/topics/${t.topic.id}/knowledge`, { collection: "faq" });
    expect(k.status, JSON.stringify(k.body)).toBe(201);
    const src = await api("GET", `/api/v1/knowledge/sources/${k.body.source_id}`);
    expect(src.body.faq).toMatchObject({ question: "How to reset my password" });
    expect(src.body.faq.answer).toContain("they last one hour");
    const staffList = await api("GET", `/api/v1/forum/topics?category=${f.cats.qa}&q=reset`);
    expect(staffList.body.data.map((x: { id: string }) => x.id)).toEqual([t.topic.id]);
  });
});

// ── search ──────────────────────────────────────────────────────────────────────────────────────

describe("forum search", () => {
  it("ranks title matches and recent posts first, highlights safely, filters, pages, and never shows what the caller cannot read", async () => {
    const f = await forum();
    const other = await forum();
    const ann = await forumUser(f, "Ann Author");
    const bob = await forumUser(f, "Bob Body");
    const old = await startTopic(f, ann, { title: "Rotating keys safely", body: "Zanzibar tokens expire; rotate them yearly." });
    const recent = await startTopic(f, ann, { title: "Rotating keys quickly", body: "Zanzibar tokens expire; rotate them yearly." });
    const titled = await startTopic(f, bob, { title: "Zanzibar token basics", body: "Start here <b>bold</b> & friends." });
    const q = await startTopic(f, ann, { category: f.cats.qa, title: "Where is the Zanzibar setting?", body: "Cannot find it" });
    const answer = await replyAs(f, bob, q.topic.id, "The zanzibar setting is under Security.");
    await fu(f, ann)("POST", `/topics/${q.topic.id}/accepted`, { post_id: answer.id });
    const hidden = await startTopic(f, ann, { category: f.cats.members, title: "Zanzibar members secret", body: "members only" });
    const staffOnly = await as(f.owner)("POST", "/api/v1/forum/topics", {
      category_id: f.cats.staff,
      title: "Zanzibar staff plan",
      body: "staff only",
    });
    const elsewhere = await startTopic(other, await forumUser(other, "Olga"), { title: "Zanzibar in another workspace", body: "zanzibar" });
    // Realistic statistics: most posts do not mention the word (BM25's IDF is clamped when most do).
    const chat = await startTopic(f, bob, { title: "Unrelated chatter", body: "Nothing to see" });
    for (let i = 0; i < 24; i++) await replyAs(f, bob, chat.topic.id, `Filler reply number ${i} about gardening`);
    // The old twin is a year old.
    const yearAgo = Date.now() - 365 * 86_400_000;
    await forumDb().update(forumPosts).set({ createdAt: yearAgo }).where(eq(forumPosts.id, old.post.id));

    const anon = await fu(f)("GET", "/search?q=zanzibar");
    expect(anon.status).toBe(200);
    const topicsOf = (r: { body: { data: { topic: { id: string } }[] } }) => r.body.data.map((d) => d.topic.id);
    const found = topicsOf(anon);
    expect(found).toEqual(expect.arrayContaining([old.topic.id, recent.topic.id, titled.topic.id, q.topic.id]));
    for (const id of [hidden.topic.id, staffOnly.body.topic.id, elsewhere.topic.id]) expect(found).not.toContain(id);
    // A title match outranks body-only matches; of two identical posts the recent one ranks first.
    // Title matches (first posts) outrank a body-only match, even an accepted answer (×1.5).
    const posts = anon.body.data.map((d: { post: { id: string } }) => d.post.id);
    expect(posts.indexOf(answer.id)).toBeGreaterThan(posts.indexOf(titled.post.id));
    expect(posts.indexOf(answer.id)).toBeGreaterThan(posts.indexOf(q.post.id));
    expect(found.indexOf(recent.topic.id)).toBeLessThan(found.indexOf(old.topic.id));
    const first = anon.body.data.find((d: { topic: { id: string } }) => d.topic.id === titled.topic.id);
    expect(first.topic.title_html).toBe("<mark>Zanzibar</mark> token basics");
    expect(first.snippet).toContain("&lt;b&gt;bold&lt;/b&gt; &amp; friends");
    expect(first.snippet).not.toContain("<b>");
    expect(first.score).toBeGreaterThan(0);
    // FTS syntax typed by the caller is inert.
    expect((await fu(f)("GET", `/search?q=${encodeURIComponent('zanzibar" OR fts_scope:*')}`)).status).toBe(200);

    // Filters: category, author, solved, date range; pages.
    expect(topicsOf(await fu(f)("GET", `/search?q=zanzibar&category=${f.cats.qa}`))).toEqual([q.topic.id, q.topic.id]);
    const byBob = await fu(f)("GET", "/search?q=zanzibar&author=bob");
    expect(byBob.body.data.map((d: { post: { id: string } }) => d.post.id).sort()).toEqual([titled.post.id, answer.id].sort());
    const solved = await fu(f)("GET", "/search?q=zanzibar&solved=true");
    expect(solved.body.data.map((d: { post: { id: string; accepted: boolean } }) => [d.post.id, d.post.accepted])).toEqual([
      [q.post.id, false],
      [answer.id, true],
    ]);
    const to = new Date(Date.now() - 30 * 86_400_000).toISOString();
    expect(topicsOf(await fu(f)("GET", `/search?q=zanzibar&to=${encodeURIComponent(to)}`))).toEqual([old.topic.id]);
    const p1 = await fu(f)("GET", "/search?q=zanzibar&limit=2");
    expect(p1.body.data).toHaveLength(2);
    const p2 = await fu(f)("GET", `/search?q=zanzibar&limit=2&cursor=${p1.body.next_cursor}`);
    const postIds = (r: { body: { data: { post: { id: string } }[] } }) => r.body.data.map((d) => d.post.id);
    expect(postIds(p2).filter((id: string) => postIds(p1).includes(id))).toEqual([]);
    expect(postIds(p2)).toHaveLength(2);
    expect((await fu(f)("GET", "/search?q=zanzibar&cursor=bogus")).status).toBe(400);

    // Signed in: the members category appears; staff see the staff room in their own lists only.
    expect(topicsOf(await fu(f, bob)("GET", "/search?q=zanzibar&limit=50"))).toContain(hidden.topic.id);
    expect(topicsOf(await fu(f, bob)("GET", "/search?q=zanzibar&limit=50"))).not.toContain(staffOnly.body.topic.id);
    // The other workspace's search never shows A's posts.
    expect(topicsOf(await fu(other)("GET", "/search?q=zanzibar&limit=50"))).toEqual([elsewhere.topic.id]);

    // Similar topics for a new title.
    const sim = await fu(f)("GET", `/similar?title=${encodeURIComponent("How do I rotate keys?")}`);
    expect(sim.body.data.map((s: { id: string }) => s.id).sort()).toEqual([old.topic.id, recent.topic.id].sort());
    expect((await fu(f)("GET", "/similar?title=the")).body.data).toEqual([]);
  });
});
