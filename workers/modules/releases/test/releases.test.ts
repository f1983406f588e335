import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../index";
import { renderMarkdown } from "../../../platform/markdown";
import { signUp } from "../../../../test/helpers";
import { runReleasesCron } from "../cron";
import { as, getText, newNote, published, tenantSlug, teammate } from "./releases-helpers";

describe("release notes: Markdown is sanitised on the server", () => {
  it("renders a <script>, an onerror= and a javascript: link inert", () => {
    const html = renderMarkdown(
      [
        "# Hello <script>alert(1)</script>",
        "",
        '<img src="x" onerror="alert(2)">',
        "",
        "[click me](javascript:alert(3)) [upper](JAVASCRIPT:alert(4)) [tab](<java\tscript:alert(5)>) [enc](java%0Ascript:alert(6))",
        "",
        "![pixel](data:image/png;base64,iVBORw0KGgo=) [data](data:text/html,<b>x</b>) <javascript:alert(7)>",
        "",
        "[site](https://example.com/a?b=1) [docs](/docs) [mail](mailto:hi@example.com) ![logo](https://cdn.example.com/l.png)",
      ].join("\n"),
    );
    // Nothing executable survives: no tags of the author's, no event handler attributes, no bad scheme in any URL.
    expect(html).not.toMatch(/<script|<img[^>]+onerror|<[a-z]+[^>]*\son\w+=/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=&quot;x&quot; onerror=&quot;alert(2)&quot;&gt;");
    const urls = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls).toEqual(["https://example.com/a?b=1", "/docs", "mailto:hi@example.com", "https://cdn.example.com/l.png"]);
    // Links are marked; the refused ones stay as text.
    expect(html).toContain('<a href="https://example.com/a?b=1" rel="nofollow noopener">site</a>');
    expect(html).toContain("[click me](javascript:alert(3))");
    expect(html).toContain('loading="lazy"');
  });

  it("the preview endpoint is the same renderer", async () => {
    const u = await signUp();
    const r = await as(u)("POST", "/api/v1/releases/preview", { body_md: "**bold** <script>x</script> [x](javascript:y)" });
    expect(r.status).toBe(200);
    expect(r.body.html).toBe(renderMarkdown("**bold** <script>x</script> [x](javascript:y)"));
    expect(r.body.html).toContain("<strong>bold</strong> &lt;script&gt;");
  });
});

describe("release notes: CRUD and validation", () => {
  it("creates, lists with filters and search, edits, deletes — each audited", async () => {
    const u = await signUp();
    const api = as(u);
    const a = await newNote(u, { body_md: "Hello <b>world</b>" });
    expect(a).toMatchObject({ slug: "2-4-0-faster-search", status: "draft", version: "2.4.0", featured: false, created_by: u.userId });
    expect(a.body_html).toBe("<p>Hello &lt;b&gt;world&lt;/b&gt;</p>\n");
    const b = await newNote(u); // same title and version: the slug gets a suffix
    expect(b.slug).toBe("2-4-0-faster-search-2");
    const c = await newNote(u, { title: "Fix login loop", version: null, type: "fix", slug: "login-fix", featured: true });
    expect(c).toMatchObject({ slug: "login-fix", version: null, featured: true });
    await api("POST", `/api/v1/releases/${c.id}/publish`);

    const list = async (qs: string) => (await api("GET", `/api/v1/releases${qs}`)).body.data.map((n: { id: string }) => n.id);
    expect(await list("")).toEqual([c.id, b.id, a.id]);
    expect(await list("?status=published")).toEqual([c.id]);
    expect(await list("?status=draft&type=feature")).toEqual([b.id, a.id]);
    expect(await list("?type=security")).toEqual([]);
    expect(await list("?q=login")).toEqual([c.id]);
    expect(await list("?q=2.4")).toEqual([b.id, a.id]);
    expect(await list("?q=%25")).toEqual([]); // % is literal
    const page1 = await api("GET", "/api/v1/releases?limit=2");
    const page2 = await api("GET", `/api/v1/releases?limit=2&cursor=${page1.body.next_cursor}`);
    expect([...page1.body.data, ...page2.body.data].map((n: { id: string }) => n.id)).toEqual([c.id, b.id, a.id]);

    const edited = await api("PATCH", `/api/v1/releases/${a.id}`, {
      body_md: "Now *with* [a link](https://weft.dev)",
      type: "improvement",
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ type: "improvement", title: "Faster search" });
    expect(edited.body.body_html).toBe('<p>Now <em>with</em> <a href="https://weft.dev" rel="nofollow noopener">a link</a></p>\n');
    expect((await api("GET", `/api/v1/releases/${a.id}`)).body.body_md).toBe("Now *with* [a link](https://weft.dev)");

    expect((await api("DELETE", `/api/v1/releases/${b.id}`)).status).toBe(204);
    expect((await api("GET", `/api/v1/releases/${b.id}`)).status).toBe(404);
    const audit = await api("GET", "/api/v1/audit-logs?action=release_note.*&limit=50");
    expect(audit.body.data.map((e: { action: string }) => e.action).sort()).toEqual(
      ["created", "created", "created", "published", "updated", "deleted"].map((a) => `release_note.${a}`).sort(),
    );
  });

  it("answers validation errors as problem+json", async () => {
    const u = await signUp();
    const api = as(u);
    const bad = async (method: string, path: string, body: unknown, field: string) => {
      const r = await api(method, path, body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.res.headers.get("Content-Type")).toBe("application/problem+json");
      expect(r.body.type).toBe("https://weft.dev/problems/validation-failed");
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    };
    await bad("POST", "/api/v1/releases", { type: "feature", body_md: "" }, "title");
    await bad("POST", "/api/v1/releases", { title: "x", type: "breaking", body_md: "" }, "type");
    await bad("POST", "/api/v1/releases", { title: "a\nb", type: "fix", body_md: "" }, "title");
    await bad("POST", "/api/v1/releases", { title: "x", type: "fix", body_md: "", slug: "Not A Slug" }, "slug");
    await bad("POST", "/api/v1/releases", { title: "x", type: "fix", body_md: "x".repeat(50_001) }, "body_md");
    const n = await newNote(u, { slug: "taken" });
    await bad("PATCH", `/api/v1/releases/${n.id}`, { featured: "yes" }, "featured");
    await bad("POST", `/api/v1/releases/${n.id}/schedule`, { publish_at: "tomorrow" }, "publish_at");
    await bad("GET", "/api/v1/releases?status=live", undefined, "status");

    const past = await api("POST", `/api/v1/releases/${n.id}/schedule`, { publish_at: new Date(Date.now() - 60_000).toISOString() });
    expect([past.status, past.body.type]).toEqual([400, "https://weft.dev/problems/bad-request"]);
    const other = await newNote(u);
    const clash = await api("PATCH", `/api/v1/releases/${other.id}`, { slug: "taken" });
    expect([clash.status, clash.body.type]).toEqual([409, "https://weft.dev/problems/slug-taken"]);
    expect((await api("POST", "/api/v1/releases", { title: "y", type: "fix", body_md: "", slug: "taken" })).status).toBe(409);
  });

  it("viewers read but cannot write", async () => {
    const owner = await signUp();
    const viewer = await teammate(owner, "viewer");
    await newNote(owner);
    expect((await as(viewer)("GET", "/api/v1/releases")).body.data).toHaveLength(1);
    const r = await as(viewer)("POST", "/api/v1/releases", { title: "x", type: "fix", body_md: "" });
    expect(r.status).toBe(403);
  });
});

describe("release notes: publishing", () => {
  it("drafts are not public until published; unpublished notes leave again", async () => {
    const u = await signUp({ workspace: "Publishing Co" });
    const slug = await tenantSlug(u);
    const n = await newNote(u, { title: "Quiet draft" });
    const page = async () => (await getText(`/changelog/${slug}`)).text;
    expect(await page()).not.toContain("Quiet draft");
    expect((await getText(`/changelog/${slug}/${n.slug}`)).status).toBe(404);

    const pub = await as(u)("POST", `/api/v1/releases/${n.id}/publish`);
    expect(pub.body).toMatchObject({ status: "published", publish_at: null });
    expect(Date.parse(pub.body.published_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(await page()).toContain("Quiet draft");
    expect((await getText(`/changelog/${slug}/${n.slug}`)).status).toBe(200);
    // Publishing again keeps the date.
    expect((await as(u)("POST", `/api/v1/releases/${n.id}/publish`)).body.published_at).toBe(pub.body.published_at);

    expect((await as(u)("POST", `/api/v1/releases/${n.id}/unpublish`)).body).toMatchObject({ status: "draft", published_at: null });
    expect(await page()).not.toContain("Quiet draft");
    expect((await getText(`/changelog/${slug}/${n.slug}`)).status).toBe(404);
  });

  it("a scheduled note stays private until the cron tick at or after its time publishes it", async () => {
    const u = await signUp({ workspace: "Scheduling Co" });
    const slug = await tenantSlug(u);
    const n = await newNote(u, { title: "Coming soon" });
    const at = Date.now() + 3_600_000;
    const s = await as(u)("POST", `/api/v1/releases/${n.id}/schedule`, { publish_at: new Date(at).toISOString() });
    expect(s.body).toMatchObject({ status: "scheduled", publish_at: new Date(at).toISOString(), published_at: null });
    const visible = async () => (await getText(`/changelog/${slug}`)).text.includes("Coming soon");

    await runReleasesCron(env, at - 1);
    expect(await visible()).toBe(false);
    expect((await as(u)("GET", `/api/v1/releases/${n.id}`)).body.status).toBe("scheduled");

    const tick = at + 4 * 60_000;
    expect((await runReleasesCron(env, tick)).published).toBeGreaterThanOrEqual(1);
    expect(await visible()).toBe(true);
    const after = await as(u)("GET", `/api/v1/releases/${n.id}`);
    expect(after.body).toMatchObject({ status: "published", published_at: new Date(tick).toISOString() });
    expect(await runReleasesCron(env, tick + 1)).toEqual({ published: 0 }); // idempotent
    const audit = await as(u)("GET", "/api/v1/audit-logs?action=release_note.published");
    expect(audit.body.data[0]).toMatchObject({ actor_type: "system", target_id: n.id });
  });

  it("unpublishing a scheduled note cancels it; the worker's scheduled() runs the cron", async () => {
    const u = await signUp();
    const cancelled = await newNote(u, { title: "Cancelled" });
    const due = await newNote(u, { title: "Due" });
    const at = Date.now() + 120_000;
    for (const n of [cancelled, due]) await as(u)("POST", `/api/v1/releases/${n.id}/schedule`, { publish_at: new Date(at).toISOString() });
    await as(u)("POST", `/api/v1/releases/${cancelled.id}/unpublish`);

    const ctx = createExecutionContext();
    await worker.scheduled?.(createScheduledController({ scheduledTime: at + 1000, cron: "*/10 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const status = async (id: string) => (await as(u)("GET", `/api/v1/releases/${id}`)).body.status;
    expect([await status(cancelled.id), await status(due.id)]).toEqual(["draft", "published"]);
  });
});

describe("release notes: isolation", () => {
  it("another workspace's note ids answer 404 and its notes never show", async () => {
    const a = await signUp({ workspace: "Iso A" });
    const b = await signUp({ workspace: "Iso B" });
    const note = await published(a, { title: "A's secret launch" });
    const draft = await newNote(a, { title: "A's draft" });
    const asB = as(b);
    for (const id of [note.id, draft.id]) {
      expect((await asB("GET", `/api/v1/releases/${id}`)).status).toBe(404);
      expect((await asB("PATCH", `/api/v1/releases/${id}`, { title: "pwned" })).status).toBe(404);
      expect((await asB("POST", `/api/v1/releases/${id}/publish`)).status).toBe(404);
      expect((await asB("POST", `/api/v1/releases/${id}/unpublish`)).status).toBe(404);
      expect(
        (await asB("POST", `/api/v1/releases/${id}/schedule`, { publish_at: new Date(Date.now() + 60_000).toISOString() })).status,
      ).toBe(404);
      expect((await asB("DELETE", `/api/v1/releases/${id}`)).status).toBe(404);
    }
    expect((await asB("GET", "/api/v1/releases")).body.data).toEqual([]);
    expect((await asB("GET", "/api/v1/releases/whats-new")).body).toMatchObject({ unread_count: 0, data: [] });
    // B's user naming A's workspace is not a member there.
    const cross = await as({ ...b, tenantId: a.tenantId })("GET", `/api/v1/releases/${note.id}`);
    expect(cross.status).toBe(404);
    // A's notes are untouched; B's changelog shows none of them, and A's note slug is not under B.
    expect((await as(a)("GET", `/api/v1/releases/${draft.id}`)).body).toMatchObject({ title: "A's draft", status: "draft" });
    const bSlug = await tenantSlug(b);
    expect((await getText(`/changelog/${bSlug}`)).text).not.toContain("secret launch");
    expect((await getText(`/changelog/${bSlug}/${note.slug}`)).status).toBe(404);
  });
});
