import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { forumCategories, forumPosts, forumTopics } from "../../../../schema/forum";
import { forumNotices } from "../../../../schema/forum-reading";
import { outboxMessages } from "../../../../schema/messaging";
import { as } from "../../endusers/test/endusers-helpers";
import { waitForNotification } from "../../endusers/test/portal-helpers";
import { digestTenant } from "../notify.service";
import { forum, forumDb, forumUser, fu, memberRow, replyAs, setMember, staffReply, startTopic } from "./forum-fixtures";

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
