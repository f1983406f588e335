import { exports } from "cloudflare:workers";
import type { Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { callJson, signUp } from "../../../../test/helpers";
import { as, getText, newNote, nth, parseXml, published, teammate, tenantSlug, texts } from "./releases-helpers";

const ATOM = "http://www.w3.org/2005/Atom";

describe("public changelog", () => {
  it("lists published notes, featured first, with type badges, feed links and absolute URLs", async () => {
    const u = await signUp({ workspace: "Changelog <Co> & Sons" });
    const slug = await tenantSlug(u);
    const old = await published(u, { title: "Older feature", featured: true, type: "feature" });
    const fix = await published(u, { title: "A <fix> & more", version: "1.0.1", type: "fix", body_md: "Fixed `x` <script>y</script>" });
    await newNote(u, { title: "Unpublished draft" });

    const { status, text, res } = await getText(`/changelog/${slug}`);
    expect(status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    expect(text).toContain("<title>Changelog &lt;Co&gt; &amp; Sons changelog</title>");
    expect(text).toContain(
      `<link rel="alternate" type="application/atom+xml" title="Changelog &lt;Co&gt; &amp; Sons changelog (Atom)" href="http://weft.test/changelog/${slug}/feed.atom">`,
    );
    expect(text).toContain(`<link rel="alternate" type="application/rss+xml"`);
    expect(text).not.toContain("<script");
    expect(text).not.toContain("Unpublished draft");
    // Featured on top although older; newest published first after that.
    expect(text.indexOf("Older feature")).toBeLessThan(text.indexOf("A &lt;fix&gt; &amp; more"));
    expect(text).toContain('<span class="badge b-fix">Fix</span>');
    expect(text).toContain('<span class="badge b-featured">Featured</span>');
    expect(text).toContain(`href="http://weft.test/changelog/${slug}/${fix.slug}"`);
    expect(text).toContain("Fixed <code>x</code> &lt;script&gt;y&lt;/script&gt;");

    const one = await getText(`/changelog/${slug}/${old.slug}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain("<h1>2.4.0 — Older feature</h1>");
    expect(one.text).toContain(`<link rel="canonical" href="http://weft.test/changelog/${slug}/${old.slug}">`);

    const missing = await getText("/changelog/no-such-workspace");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("<h1>Not found</h1>");
    expect((await getText(`/changelog/${slug}/no-such-note`)).status).toBe(404);
    const slash = await exports.default.fetch(`http://weft.test/changelog/${slug}/?page=1`, { redirect: "manual" });
    expect([slash.status, slash.headers.get("Location")]).toEqual([301, `/changelog/${slug}?page=1`]);
  });

  it("paginates 20 a page", async () => {
    const u = await signUp();
    const slug = await tenantSlug(u);
    for (let i = 1; i <= 21; i++) await published(u, { title: `Note number ${i}.`, version: null });
    const p1 = (await getText(`/changelog/${slug}`)).text;
    const p2 = (await getText(`/changelog/${slug}?page=2`)).text;
    expect(p1).toContain("Note number 21.");
    expect(p1).not.toContain("Note number 1.");
    expect(p1).toContain('rel="next"');
    expect(p2).toContain("Note number 1.");
    expect(p2).not.toContain("Note number 2.");
    expect(p2).toContain('rel="prev"');
  });

  it("/changelog is the house workspace's (HOUSE_WORKSPACE_SLUG, default weft)", async () => {
    const weft = await signUp({ workspace: "Weft" });
    expect(await tenantSlug(weft)).toBe("weft");
    await published(weft, { title: "Weft's own news" });
    const page = await getText("/changelog");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Weft changelog");
    expect(page.text).toContain("Weft&#39;s own news");
    expect(page.text).toContain('href="http://weft.test/changelog/weft/feed.atom"');
  });
});

describe("feeds", () => {
  it("Atom and RSS are well-formed XML with the published notes, escaped, with absolute links", async () => {
    const u = await signUp({ workspace: "Feeds & <Things>" });
    const slug = await tenantSlug(u);
    const first = await published(u, {
      title: "First <one>",
      version: "1.0",
      type: "feature",
      body_md: "Hello & **welcome** <script>x</script>",
    });
    const second = await published(u, {
      title: "Second & last",
      version: null,
      type: "security",
      body_md: "[patch](https://example.com/p?a=1&b=2)",
    });
    await newNote(u, { title: "Draft stays out" });

    const atom = await getText(`/changelog/${slug}/feed.atom`);
    expect(atom.status).toBe(200);
    expect(atom.res.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const doc = parseXml(atom.text);
    const feed = nth([doc.documentElement]);
    expect([feed.localName, feed.namespaceURI]).toEqual(["feed", ATOM]);
    const entries = Array.from(feed.getElementsByTagName("entry"));
    expect(entries.map((e) => texts(e, "title")[0])).toEqual(["Second & last", "1.0 — First <one>"]);
    expect(texts(feed, "title")[0]).toBe("Feeds & <Things> changelog");
    const link = (el: Element, rel: string) =>
      Array.from(el.getElementsByTagName("link"))
        .find((l) => l.getAttribute("rel") === rel)
        ?.getAttribute("href");
    expect(link(feed, "self")).toBe(`http://weft.test/changelog/${slug}/feed.atom`);
    expect(link(nth(entries, 1), "alternate")).toBe(`http://weft.test/changelog/${slug}/${first.slug}`);
    expect(texts(nth(entries, 0), "id")[0]).toMatch(new RegExp(`^tag:weft\\.test,2026:release-notes/${second.id}$`));
    expect(nth(entries, 0).getElementsByTagName("category")[0]?.getAttribute("term")).toBe("security");
    expect(texts(nth(entries, 0), "published")[0]).toBe(second.published_at);
    // The content is the sanitised HTML, carried as escaped text.
    expect(texts(nth(entries, 1), "content")[0]).toBe("<p>Hello &amp; <strong>welcome</strong> &lt;script&gt;x&lt;/script&gt;</p>\n");
    expect(texts(nth(entries, 0), "content")[0]).toContain('href="https://example.com/p?a=1&amp;b=2" rel="nofollow noopener"');
    expect(atom.text).not.toContain("Draft stays out");

    const rss = await getText(`/changelog/${slug}/rss.xml`);
    expect(rss.res.headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
    const rdoc = parseXml(rss.text);
    expect(nth([rdoc.documentElement]).getAttribute("version")).toBe("2.0");
    const channel = nth(rdoc.getElementsByTagName("channel"));
    expect(texts(channel, "link")[0]).toBe(`http://weft.test/changelog/${slug}`);
    const items = Array.from(channel.getElementsByTagName("item"));
    expect(items.map((i) => texts(i, "title")[0])).toEqual(["Second & last", "1.0 — First <one>"]);
    expect(items.map((i) => texts(i, "link")[0])).toEqual([
      `http://weft.test/changelog/${slug}/${second.slug}`,
      `http://weft.test/changelog/${slug}/${first.slug}`,
    ]);
    expect(Date.parse(nth(texts(nth(items, 0), "pubDate")))).toBe(Math.floor(Date.parse(second.published_at) / 1000) * 1000);
    expect(texts(nth(items, 1), "description")[0]).toContain("<strong>welcome</strong>");
    expect(nth(items, 0).getElementsByTagName("guid")[0]?.getAttribute("isPermaLink")).toBe("false");
  });

  it("an empty workspace has valid, empty feeds", async () => {
    const u = await signUp();
    const slug = await tenantSlug(u);
    expect(parseXml((await getText(`/changelog/${slug}/feed.atom`)).text).getElementsByTagName("entry")).toHaveLength(0);
    expect(parseXml((await getText(`/changelog/${slug}/rss.xml`)).text).getElementsByTagName("item")).toHaveLength(0);
  });
});

describe("What's new (dashboard users)", () => {
  it("keeps unread counts per user: two users of one workspace see different counts", async () => {
    const owner = await signUp();
    const mate = await teammate(owner, "member");
    const viewer = await teammate(owner, "viewer");
    const n1 = await published(owner, { title: "One" });
    const n2 = await published(owner, { title: "Two" });
    await newNote(owner, { title: "Draft" });
    const state = async (u: typeof owner) => {
      const r = await as(u)("GET", "/api/v1/releases/whats-new");
      expect(r.status).toBe(200);
      return r.body as { unread_count: number; data: { id: string; unread: boolean }[] };
    };
    expect((await state(owner)).unread_count).toBe(2);
    expect((await state(mate)).data.map((n) => [n.id, n.unread])).toEqual([
      [n2.id, true],
      [n1.id, true],
    ]);

    // The owner opens the panel: everything read, for the owner only.
    const read = await as(owner)("POST", "/api/v1/releases/whats-new/read");
    expect(read.body).toMatchObject({ unread_count: 0, read_through: n2.published_at });
    expect((await state(owner)).unread_count).toBe(0);
    expect((await state(mate)).unread_count).toBe(2);

    // The member had only seen up to the first note.
    expect((await as(mate)("POST", "/api/v1/releases/whats-new/read", { through: n1.published_at })).body.unread_count).toBe(1);
    expect((await state(mate)).data.map((n) => n.unread)).toEqual([true, false]);
    // The watermark never moves back.
    await as(owner)("POST", "/api/v1/releases/whats-new/read", { through: "2000-01-01T00:00:00Z" });
    expect((await state(owner)).unread_count).toBe(0);

    const n3 = await published(owner, { title: "Three" });
    expect([(await state(owner)).unread_count, (await state(mate)).unread_count, (await state(viewer)).unread_count]).toEqual([1, 2, 3]);
    expect((await state(owner)).data.find((n) => n.id === n3.id)?.unread).toBe(true);
    // Viewers may mark their own read too.
    expect((await as(viewer)("POST", "/api/v1/releases/whats-new/read")).body.unread_count).toBe(0);
  });

  it("needs a signed-in user (an API key has no read state)", async () => {
    const u = await signUp();
    const key = await as(u)("POST", "/api/v1/api-keys", { name: "k", scopes: ["releases:read"] });
    const r = await callJson("/api/v1/releases/whats-new", { token: key.body.secret });
    expect(r.status).toBe(403);
    expect((await callJson("/api/v1/releases", { token: key.body.secret })).status).toBe(200);
  });
});

describe("public JSON for a tenant's site", () => {
  const SITE = "https://shop.example";

  it("serves published notes for the key's allowed origin, with CORS and since → unread", async () => {
    const u = await signUp({ workspace: "Site Co" });
    const pk = await as(u)("POST", "/api/v1/publishable-keys", { name: "site", allowed_origins: [SITE] });
    expect(pk.status).toBe(201);
    const key = pk.body.key as string;
    const n1 = await published(u, { title: "Old news" });
    const n2 = await published(u, { title: "Big news", featured: true });
    await newNote(u, { title: "Secret draft" });

    const r = await callJson(`/public/v1/releases?key=${key}`, { headers: { Origin: SITE } });
    expect(r.status).toBe(200);
    expect(r.res.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    expect(r.res.headers.get("Vary")).toContain("Origin");
    expect(r.body.workspace).toEqual({ name: "Site Co", slug: await tenantSlug(u) });
    expect(r.body.unread_count).toBeNull();
    expect(r.body.data.map((n: { title: string }) => n.title)).toEqual(["Big news", "Old news"]);
    expect(r.body.data[0]).toMatchObject({ id: n2.id, featured: true, published_at: n2.published_at, unread: null, type: "feature" });
    expect(r.body.data[0].url).toBe(`http://weft.test/changelog/${r.body.workspace.slug}/${n2.slug}`);
    expect(JSON.stringify(r.body)).not.toContain("Secret draft");
    expect(JSON.stringify(r.body)).not.toContain("body_md");

    const since = await callJson(`/public/v1/releases?key=${key}&since=${encodeURIComponent(n1.published_at)}`, {
      headers: { Origin: SITE },
    });
    expect(since.body.unread_count).toBe(1);
    expect(since.body.data.map((n: { unread: boolean }) => n.unread)).toEqual([true, false]);
  });

  it("refuses a wrong origin, a missing origin and a bad key — without CORS headers", async () => {
    const u = await signUp();
    const pk = await as(u)("POST", "/api/v1/publishable-keys", { name: "site", allowed_origins: [SITE] });
    await published(u);
    const key = pk.body.key as string;
    for (const [k, origin] of [
      [key, "https://evil.example"],
      [key, "https://shop.example.evil.example"],
      [key, undefined],
      ["pk_live_nope", SITE],
    ] as const) {
      const r = await callJson(`/public/v1/releases?key=${k}`, { headers: origin ? { Origin: origin } : {} });
      expect(r.status, `${k} from ${origin}`).toBe(401);
      expect(r.res.headers.get("Access-Control-Allow-Origin")).toBeNull();
      expect(r.res.headers.get("Content-Type")).toBe("application/problem+json");
    }
    const noKey = await callJson("/public/v1/releases", { headers: { Origin: SITE } });
    expect([noKey.status, noKey.body.type]).toEqual([400, "https://weft.dev/problems/validation-failed"]);
  });
});
