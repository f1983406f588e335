import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { forumPosts } from "../../../../schema/forum";
import { as } from "../../endusers/test/endusers-helpers";
import { forum, forumDb, forumUser, fu, replyAs, staffReply, startTopic } from "./forum-fixtures";

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
