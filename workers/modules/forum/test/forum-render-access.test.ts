import { describe, expect, it } from "vitest";
import { call } from "../../../../test/helpers";
import { as } from "../../endusers/test/endusers-helpers";
import { canRead, canReply, canStartTopic, type CategoryRow, type TopicRow, type Viewer } from "../access";
import { renderPost } from "../render";
import { forum, forumUser, fu, setMember, startTopic } from "./forum-fixtures";

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
