import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { forumAiReviews, forumModActions } from "../../../../schema/forum-moderation";
import { forumNotices } from "../../../../schema/forum-reading";
import { localClassify } from "../ai-review";
import { afterPostWritten, screenNewPost, type ScreenInput } from "../screen";
import { getSettings } from "../settings.service";
import {
  db,
  forumWorld,
  memberRow,
  type ModWorld,
  pid,
  postRow,
  problemOf,
  pub,
  setMember,
  staff,
  topic,
  topicRow,
  u,
  writePost,
} from "./forum-moderation-fixtures";

async function screen(w: ModWorld, memberId: string, body: string, extra: Partial<ScreenInput> = {}) {
  const m = await memberRow(w.tenantId, memberId);
  if (!m) throw new Error("no member");
  return screenNewPost(env, db(), {
    tenantId: w.tenantId,
    member: m,
    settings: await getSettings(db(), w.tenantId),
    ip: "203.0.113.9",
    topicId: null,
    title: null,
    bodyMarkdown: body,
    searchText: body,
    links: 0,
    images: 0,
    ...extra,
  });
}

describe("screening new posts", () => {
  let w: ModWorld;
  let t: { topicId: string; postIds: string[] };
  beforeAll(async () => {
    w = await forumWorld(["ann", "bob", "cy", "dee"], { postsPerMinute: 2, postsPerMinutePerIp: 3, holdFirstPosts: 1 });
    for (const n of ["ann", "bob", "cy", "dee"]) await setMember(w.tenantId, u(w, n).id, { trustLevel: 1 });
    t = await topic(w.tenantId, w.categoryId, u(w, "ann").id, "Screening topic");
  });

  it("a suspended member gets 403 until `until`, then posts again", async () => {
    const id = u(w, "bob").id;
    await setMember(w.tenantId, id, { suspendedUntil: Date.now() + 60_000, sanctionReason: "cool off" });
    const p = await problemOf(screen(w, id, "hello while suspended"));
    expect(p.status).toBe(403);
    expect(p.slug).toBe("suspended");
    expect(p.detail).toContain("cool off");
    await setMember(w.tenantId, id, { suspendedUntil: Date.now() - 1 });
    expect(await screen(w, id, "hello after the suspension")).toEqual({ status: "visible", heldFor: null });
  });

  it("a silenced member's post is held", async () => {
    const id = u(w, "cy").id;
    await setMember(w.tenantId, id, { silencedUntil: Date.now() + 60_000 });
    expect(await screen(w, id, "quiet please")).toEqual({ status: "pending", heldFor: "silenced" });
    await setMember(w.tenantId, id, { silencedUntil: Date.now() - 1 });
    expect(await screen(w, id, "loud again")).toEqual({ status: "visible", heldFor: null });
  });

  it("trust level 0: link and image limits (422), first posts held until one is approved; TL1 has no limit", async () => {
    const id = u(w, "dee").id;
    await setMember(w.tenantId, id, { trustLevel: 0, approvedPostCount: 0 });
    const links = await problemOf(screen(w, id, "three links", { links: 3 }));
    expect(links.status).toBe(422);
    expect(links.slug).toBe("too-many-links");
    expect(links.detail).toContain("at most 2 links");
    expect((await problemOf(screen(w, id, "an image", { images: 1 }))).slug).toBe("images-not-allowed");
    expect(await screen(w, id, "two links ok", { links: 2 })).toEqual({ status: "pending", heldFor: "new-user" });
    await setMember(w.tenantId, id, { approvedPostCount: 1 });
    expect(await screen(w, id, "now visible")).toEqual({ status: "visible", heldFor: null });
    await setMember(w.tenantId, id, { trustLevel: 1 });
    expect(await screen(w, id, "many links", { links: 9, images: 2 })).toEqual({ status: "visible", heldFor: null });
  });

  it("the same text by the member within the window is refused (422), another member's is not", async () => {
    await writePost(w, t.topicId, u(w, "cy").id, "Exactly this text", "visible", "198.51.100.1");
    const p = await problemOf(screen(w, u(w, "cy").id, "Exactly this text", { ip: "198.51.100.2" }));
    expect(p.status).toBe(422);
    expect(p.slug).toBe("duplicate-post");
    expect(await screen(w, u(w, "dee").id, "Exactly this text", { ip: "198.51.100.3" })).toMatchObject({ status: "visible" });
  });

  it("rate limits per member and per IP: 429 with Retry-After", async () => {
    const bob = u(w, "bob").id;
    await writePost(w, t.topicId, bob, "one", "visible", "192.0.2.10");
    await writePost(w, t.topicId, bob, "two", "visible", "192.0.2.11");
    const p = await problemOf(screen(w, bob, "three", { ip: "192.0.2.12" }));
    expect(p.status).toBe(429);
    const retry = Number(p.headers["Retry-After"]);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    // Per IP: three posts from one address by different members.
    for (const n of ["cy", "dee", "ann"]) await writePost(w, t.topicId, u(w, n).id, `from shared ip ${n}`, "visible", "192.0.2.99");
    const ip = await problemOf(screen(w, u(w, "dee").id, "fourth from the ip", { ip: "192.0.2.99" }));
    expect(ip.status).toBe(429);
    expect(await screen(w, u(w, "dee").id, "another address", { ip: "192.0.2.100" })).toMatchObject({ status: "visible" });
  });
});

describe("AI moderation check", () => {
  it("the local rules label spam and let ordinary posts through", () => {
    const spam = localClassify({
      title: "BUY NOW",
      text: "Buy now! Click here for cheap replica watches, limited time offer",
      links: 4,
      images: 0,
    });
    expect(spam.verdict).toBe("hold");
    expect(spam.labels).toContain("spam-phrases");
    expect(spam.model).toBe("local-spam-rules-v1");
    const ok = localClassify({ title: null, text: "How do I reset my password? The email never arrives.", links: 0, images: 0 });
    expect(ok).toMatchObject({ verdict: "allow", labels: [] });
  });

  it("holds a spam post, logs the decision against the post (and an ai_hold action); staff override it", async () => {
    const w = await forumWorld(["spammer", "fine"], { aiModeration: true, holdFirstPosts: 0 });
    for (const n of ["spammer", "fine"]) await setMember(w.tenantId, u(w, n).id, { trustLevel: 1 });
    const t = await topic(w.tenantId, w.categoryId, u(w, "fine").id, "AI topic");
    const text = "Buy now!! Click here, limited time offer on cheap replica watches, free money";
    const s = await screen(w, u(w, "spammer").id, text, { links: 0 });
    expect(s).toEqual({ status: "pending", heldFor: "ai" });
    const postId = await writePost(w, t.topicId, u(w, "spammer").id, text, "pending", "203.0.113.50");
    await afterPostWritten(env, db(), w.tenantId, postId);
    const review = await db().select().from(forumAiReviews).where(eq(forumAiReviews.postId, postId)).get();
    expect(review).toMatchObject({ verdict: "hold", model: "local-spam-rules-v1" });
    expect(review?.labels).toContain("spam-phrases");
    const hold = await db()
      .select()
      .from(forumModActions)
      .where(and(eq(forumModActions.tenantId, w.tenantId), eq(forumModActions.targetId, postId)))
      .get();
    expect(hold).toMatchObject({ action: "ai_hold", actorId: "ai" });

    // An ordinary post passes and is logged as allowed.
    const okText = "Thanks, that fixed it for me.";
    expect(await screen(w, u(w, "fine").id, okText)).toEqual({ status: "visible", heldFor: null });
    const okId = await writePost(w, t.topicId, u(w, "fine").id, okText, "visible", "203.0.113.51");
    await afterPostWritten(env, db(), w.tenantId, okId);
    expect((await db().select().from(forumAiReviews).where(eq(forumAiReviews.postId, okId)).get())?.verdict).toBe("allow");

    const queue = await staff(w)("GET", "/forum/moderation/queue?kind=ai");
    expect(queue.status).toBe(200);
    expect(queue.body.data.map((i: { post: { id: string } }) => i.post.id)).toEqual([postId]);
    expect(queue.body.data[0].ai_review.labels).toContain("spam-phrases");

    const before = await topicRow(t.topicId);
    const o = await staff(w)("POST", `/forum/moderation/posts/${postId}/ai-override`, { verdict: "allow" });
    expect(o.status, JSON.stringify(o.body)).toBe(200);
    expect((await postRow(postId))?.status).toBe("visible");
    expect((await topicRow(t.topicId))?.postCount).toBe((before?.postCount ?? 0) + 1);
    expect((await db().select().from(forumAiReviews).where(eq(forumAiReviews.postId, postId)).get())?.overriddenAt).toBeTypeOf("number");
    expect((await staff(w)("GET", "/forum/moderation/queue?kind=ai")).body.data).toEqual([]);
    // The override is itself reversible.
    expect((await staff(w)("POST", `/forum/moderation/actions/${o.body.action_id}/reverse`)).status).toBe(200);
    expect((await postRow(postId))?.status).toBe("pending");
    expect((await topicRow(t.topicId))?.postCount).toBe(before?.postCount);
  });
});

describe("through the posting routes", () => {
  it("a suspended member can neither reply nor react until `until`; a new member's first reply is held, approved, then the next is visible", async () => {
    const w = await forumWorld(["asker", "newbie"], { holdFirstPosts: 1 });
    const t = await topic(w.tenantId, w.categoryId, u(w, "asker").id, "Routes topic");
    const as = pub(w, u(w, "newbie"));
    await setMember(w.tenantId, u(w, "newbie").id, { suspendedUntil: Date.now() + 60_000, sanctionReason: "spam" });
    const blocked = await as("POST", `/topics/${t.topicId}/posts`, { body: "Let me in" });
    expect(blocked.status).toBe(403);
    expect(blocked.body.type).toContain("suspended");
    expect((await as("PUT", `/posts/${pid(t, 0)}/reactions/like`)).status).toBe(403);
    await setMember(w.tenantId, u(w, "newbie").id, { suspendedUntil: Date.now() - 1 });
    expect((await as("PUT", `/posts/${pid(t, 0)}/reactions/like`)).status).toBe(200);

    const first = await as("POST", `/topics/${t.topicId}/posts`, { body: "My first reply here, @asker" });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.held_for).toBe("new-user");
    expect((await topicRow(t.topicId))?.postCount).toBe(1);
    // Held: nobody is told yet (the mention waits for the approval).
    const notices = () => db().select().from(forumNotices).where(eq(forumNotices.postId, first.body.post.id));
    expect(await notices()).toEqual([]);
    const queue = await staff(w)("GET", "/forum/moderation/queue?kind=pending");
    expect(queue.body.data.map((i: { post: { id: string } }) => i.post.id)).toContain(first.body.post.id);
    expect((await staff(w)("POST", `/forum/moderation/posts/${first.body.post.id}/approve`)).status).toBe(200);
    expect((await topicRow(t.topicId))?.postCount).toBe(2);
    // Approved: the mention goes out now, once.
    expect((await notices()).map((n) => [n.memberId, n.reason])).toEqual([[u(w, "asker").id, "mention"]]);
    const second = await as("POST", `/topics/${t.topicId}/posts`, { body: "And a second one" });
    expect(second.status).toBe(201);
    expect(second.body.held_for).toBeNull();
    expect((await topicRow(t.topicId))?.postCount).toBe(3);
  });

  it("with AI moderation on, a spam reply through the route is held for `ai` and its decision logged against the post", async () => {
    const w = await forumWorld(["regular", "spammy"], { aiModeration: true, holdFirstPosts: 0 });
    await setMember(w.tenantId, u(w, "spammy").id, { trustLevel: 1 });
    const t = await topic(w.tenantId, w.categoryId, u(w, "regular").id, "AI through routes");
    const r = await pub(w, u(w, "spammy"))("POST", `/topics/${t.topicId}/posts`, {
      body: "BUY NOW!!! Click here for the limited time offer, cheap replica watches and free money",
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.held_for).toBe("ai");
    const review = await db().select().from(forumAiReviews).where(eq(forumAiReviews.postId, r.body.post.id)).get();
    expect(review).toMatchObject({ verdict: "hold", model: "local-spam-rules-v1" });
    const ok = await pub(w, u(w, "spammy"))("POST", `/topics/${t.topicId}/posts`, {
      body: "Sorry, wrong thread. How do I export my invoices?",
    });
    expect(ok.body.held_for).toBeNull();
  });
});
