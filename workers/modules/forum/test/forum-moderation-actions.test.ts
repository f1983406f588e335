import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { forumModActions } from "../../../../schema/forum-moderation";
import { auditLogs } from "../../../../schema/audit";
import { createFlag } from "../flags.service";
import { postTransition, runBatch } from "../moderation.core";
import { getSettings } from "../settings.service";
import {
  categoryRow,
  db,
  forumWorld,
  member,
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

async function mustMember(tenantId: string, id: string) {
  const m = await memberRow(tenantId, id);
  if (!m) throw new Error("no member");
  return m;
}

describe("flags", () => {
  let w: ModWorld;
  beforeAll(async () => {
    w = await forumWorld(["author", "f1", "f2", "f3", "mod"], { flagHideThreshold: 3 });
    for (const n of ["f1", "f2", "f3"]) await setMember(w.tenantId, u(w, n).id, { trustLevel: 1 });
    await setMember(w.tenantId, u(w, "mod").id, { moderator: true });
  });

  it("below the threshold the post stays; reaching it hides the post (out of the counts) and queues it; twice → 409; own post → 422", async () => {
    const t = await topic(w.tenantId, w.categoryId, u(w, "author").id, "Flag me", [u(w, "author").id]);
    const reply = pid(t, 1);
    const cat0 = await categoryRow(w.categoryId);
    const f = (n: string) => pub(w, w.users[n])("POST", `/posts/${reply}/flags`, { reason: "spam", note: "ads" });
    const r1 = await f("f1");
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    expect(r1.body).toMatchObject({ weight: 1, post_hidden: false });
    expect((await f("f1")).status).toBe(409);
    expect((await f("f2")).body.post_hidden).toBe(false);
    expect((await postRow(reply))?.status).toBe("visible");
    const r3 = await f("f3");
    expect(r3.body.post_hidden).toBe(true);
    expect(await postRow(reply)).toMatchObject({ status: "hidden", hiddenReason: "flags", flagWeight: 3 });
    expect((await topicRow(t.topicId))?.postCount).toBe(1);
    expect((await categoryRow(w.categoryId))?.postCount).toBe((cat0?.postCount ?? 0) - 1);
    expect((await pub(w, w.users.author)("POST", `/posts/${t.postIds[0]}/flags`, { reason: "spam" })).status).toBe(422);

    const q = await staff(w)("GET", "/forum/moderation/queue?kind=flagged");
    const item = q.body.data.find((i: { post: { id: string } }) => i.post.id === reply);
    expect(item.flags).toHaveLength(3);
    expect(item.topic.id).toBe(t.topicId);

    // Disagree: the post comes back, counted again, and leaves the queue.
    const d = await staff(w)("POST", `/forum/moderation/flags/${item.flags[0].id}/disagree`);
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body.post_status).toBe("visible");
    expect(await postRow(reply)).toMatchObject({ status: "visible", flagWeight: 0 });
    expect((await topicRow(t.topicId))?.postCount).toBe(2);
    expect((await categoryRow(w.categoryId))?.postCount).toBe(cat0?.postCount);
    expect(
      (await staff(w)("GET", "/forum/moderation/queue?kind=flagged")).body.data.some((i: { post: { id: string } }) => i.post.id === reply),
    ).toBe(false);
    expect((await staff(w)("POST", `/forum/moderation/flags/${item.flags[0].id}/agree`)).status).toBe(409);
  });

  it("a moderator's flag alone hides a post; so does a staff member's", async () => {
    const t = await topic(w.tenantId, w.categoryId, u(w, "author").id, "Moderator flag");
    const r = await pub(w, w.users.mod)("POST", `/posts/${t.postIds[0]}/flags`, { reason: "abusive" });
    expect(r.body).toMatchObject({ weight: 3, post_hidden: true });
    expect((await topicRow(t.topicId))?.status).toBe("hidden");

    const t2 = await topic(w.tenantId, w.categoryId, u(w, "author").id, "Staff flag", [u(w, "author").id]);
    const staffId = w.p.owner.userId;
    await member(w.tenantId, staffId, "owner");
    const viewer = { kind: "staff" as const, id: staffId, role: "owner" as const, member: await mustMember(w.tenantId, staffId) };
    const settings = await getSettings(db(), w.tenantId);
    const by = { id: staffId, kind: "staff" as const, actor: { type: "user" as const, id: staffId, ip: null, userAgent: null } };
    const out = await createFlag(db(), w.tenantId, settings, viewer, by, pid(t2, 1), { reason: "off_topic" });
    expect(out.post_hidden).toBe(true);
    expect((await postRow(pid(t2, 1)))?.status).toBe("hidden");
  });

  it("flags arriving together add up: the post is hidden once", async () => {
    const t = await topic(w.tenantId, w.categoryId, u(w, "author").id, "Flagged together", [u(w, "author").id]);
    const rs = await Promise.all(["f1", "f2", "f3"].map((n) => pub(w, u(w, n))("POST", `/posts/${pid(t, 1)}/flags`, { reason: "spam" })));
    expect(rs.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(await postRow(pid(t, 1))).toMatchObject({ status: "hidden", flagWeight: 3 });
    const hides = await db()
      .select()
      .from(forumModActions)
      .where(and(eq(forumModActions.tenantId, w.tenantId), eq(forumModActions.targetId, pid(t, 1))))
      .all();
    expect(hides.map((h) => [h.action, h.actorId])).toEqual([["hide", "flags"]]);
    expect((await topicRow(t.topicId))?.postCount).toBe(1);
  });

  it("a suspended member cannot flag (403)", async () => {
    const t = await topic(w.tenantId, w.categoryId, u(w, "author").id, "Suspended flagger");
    await setMember(w.tenantId, u(w, "f2").id, { suspendedUntil: Date.now() + 60_000 });
    const r = await pub(w, w.users.f2)("POST", `/posts/${t.postIds[0]}/flags`, { reason: "spam" });
    expect(r.status).toBe(403);
    expect(r.body.type).toContain("suspended");
    await setMember(w.tenantId, u(w, "f2").id, { suspendedUntil: null });
  });
});

describe("moderation actions are audited and reversible", () => {
  let w: ModWorld;
  beforeAll(async () => {
    w = await forumWorld(["writer", "helper"]);
  });

  it("hide → reverse → visible again, counters restored, audit rows written; reversing twice → 409", async () => {
    const t = await topic(w.tenantId, w.categoryId, u(w, "writer").id, "Hide me", [u(w, "helper").id]);
    const reply = pid(t, 1);
    const cat0 = await categoryRow(w.categoryId);
    const h = await staff(w)("POST", `/forum/moderation/posts/${reply}/hide`, { reason: "rude" });
    expect(h.status, JSON.stringify(h.body)).toBe(200);
    expect(await postRow(reply)).toMatchObject({ status: "hidden", hiddenReason: "rude" });
    expect((await topicRow(t.topicId))?.postCount).toBe(1);
    expect((await categoryRow(w.categoryId))?.postCount).toBe((cat0?.postCount ?? 0) - 1);
    expect((await staff(w)("POST", `/forum/moderation/posts/${reply}/hide`)).status).toBe(409);

    const audit = await db()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, w.tenantId), eq(auditLogs.action, "forum.moderation.hide")))
      .all();
    expect(audit.some((a) => a.targetId === reply)).toBe(true);

    const r = await staff(w)("POST", `/forum/moderation/actions/${h.body.action_id}/reverse`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await postRow(reply))?.status).toBe("visible");
    expect((await topicRow(t.topicId))?.postCount).toBe(2);
    expect((await categoryRow(w.categoryId))?.postCount).toBe(cat0?.postCount);
    expect((await staff(w)("POST", `/forum/moderation/actions/${h.body.action_id}/reverse`)).status).toBe(409);

    const log = await staff(w)("GET", `/forum/moderation/actions?target=${reply}`);
    expect(log.body.data.map((a: { action: string }) => a.action)).toEqual(["unhide", "hide"]);
    expect(log.body.data[1].reversed_at).not.toBeNull();
  });

  it("two moderators hiding the same post at once: one wins, the counts drop once", async () => {
    const t = await topic(w.tenantId, w.categoryId, u(w, "writer").id, "Race", [u(w, "helper").id]);
    const cat0 = await categoryRow(w.categoryId);
    const rs = await Promise.all([0, 1, 2].map(() => staff(w)("POST", `/forum/moderation/posts/${pid(t, 1)}/hide`)));
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect((await topicRow(t.topicId))?.postCount).toBe(1);
    expect((await categoryRow(w.categoryId))?.postCount).toBe((cat0?.postCount ?? 0) - 1);
    // A transition built from a stale read (the post was visible then) is refused whole: no counts move.
    const stale = { ...(await postRow(pid(t, 1))), status: "visible" as const } as NonNullable<Awaited<ReturnType<typeof postRow>>>;
    const p = await problemOf(runBatch(db(), postTransition(db(), w.tenantId, stale, "deleted", "x")));
    expect(p.slug).toBe("state-moved-on");
    expect((await postRow(pid(t, 1)))?.status).toBe("hidden");
    expect((await categoryRow(w.categoryId))?.postCount).toBe((cat0?.postCount ?? 0) - 1);
  });

  it("a reversal whose target moved on is refused (409)", async () => {
    const t = await topic(w.tenantId, w.categoryId, u(w, "writer").id, "Moved on", [u(w, "helper").id]);
    const h = await staff(w)("POST", `/forum/moderation/posts/${t.postIds[1]}/hide`);
    await staff(w)("POST", `/forum/moderation/posts/${t.postIds[1]}/delete`);
    const r = await staff(w)("POST", `/forum/moderation/actions/${h.body.action_id}/reverse`);
    expect(r.status).toBe(409);
    expect(r.body.type).toContain("state-moved-on");
  });

  it("merge renumbers the posts into the target and leaves the source merged; reverse puts them back", async () => {
    const a = await topic(w.tenantId, w.categoryId, u(w, "writer").id, "Target topic", [u(w, "helper").id]);
    const b = await topic(w.tenantId, w.categoryId, u(w, "helper").id, "Duplicate topic", [u(w, "writer").id]);
    const cat0 = await categoryRow(w.categoryId);
    const m = await staff(w)("POST", `/forum/moderation/topics/${b.topicId}/merge`, { into_topic_id: a.topicId });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect(await topicRow(b.topicId)).toMatchObject({ status: "merged", mergedIntoId: a.topicId });
    expect(await topicRow(a.topicId)).toMatchObject({ postCount: 4, lastPostNumber: 4 });
    expect(await postRow(pid(b, 0))).toMatchObject({ topicId: a.topicId, number: 3 });
    expect(await postRow(pid(b, 1))).toMatchObject({ topicId: a.topicId, number: 4 });
    expect((await categoryRow(w.categoryId))?.topicCount).toBe((cat0?.topicCount ?? 0) - 1);

    const r = await staff(w)("POST", `/forum/moderation/actions/${m.body.action_id}/reverse`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await topicRow(b.topicId)).toMatchObject({ status: "visible", mergedIntoId: null, postCount: 2 });
    expect(await postRow(pid(b, 0))).toMatchObject({ topicId: b.topicId, number: 1 });
    expect(await postRow(pid(b, 1))).toMatchObject({ topicId: b.topicId, number: 2 });
    expect((await topicRow(a.topicId))?.postCount).toBe(2);
    expect((await categoryRow(w.categoryId))?.topicCount).toBe(cat0?.topicCount);
  });

  it("lock, pin, move and topic hide are reversible; approve counts a held post", async () => {
    const t = await topic(w.tenantId, w.categoryId, u(w, "writer").id, "Topic actions");
    const other = (await import("./forum-moderation-fixtures")).category;
    const cat2 = await other(w.tenantId, "elsewhere");
    const lock = await staff(w)("POST", `/forum/moderation/topics/${t.topicId}/lock`);
    expect((await topicRow(t.topicId))?.lockedAt).toBeTypeOf("number");
    await staff(w)("POST", `/forum/moderation/actions/${lock.body.action_id}/reverse`);
    expect((await topicRow(t.topicId))?.lockedAt).toBeNull();
    const pin = await staff(w)("POST", `/forum/moderation/topics/${t.topicId}/pin`, { scope: "global" });
    expect((await topicRow(t.topicId))?.pin).toBe("global");
    await staff(w)("POST", `/forum/moderation/actions/${pin.body.action_id}/reverse`);
    expect((await topicRow(t.topicId))?.pin).toBe("none");
    const mv = await staff(w)("POST", `/forum/moderation/topics/${t.topicId}/move`, { category_id: cat2 });
    expect(mv.status, JSON.stringify(mv.body)).toBe(200);
    expect(await categoryRow(cat2)).toMatchObject({ topicCount: 1, postCount: 1 });
    await staff(w)("POST", `/forum/moderation/actions/${mv.body.action_id}/reverse`);
    expect(await categoryRow(cat2)).toMatchObject({ topicCount: 0, postCount: 0 });
    expect((await topicRow(t.topicId))?.categoryId).toBe(w.categoryId);
    const hide = await staff(w)("POST", `/forum/moderation/topics/${t.topicId}/hide`);
    expect((await topicRow(t.topicId))?.status).toBe("hidden");
    await staff(w)("POST", `/forum/moderation/actions/${hide.body.action_id}/reverse`);
    expect((await topicRow(t.topicId))?.status).toBe("visible");
    expect((await staff(w)("POST", `/forum/moderation/topics/${t.topicId}/move`, { category_id: "fcat_nope" })).status).toBe(404);

    const held = await writePost(w, t.topicId, u(w, "helper").id, "held reply", "pending", "203.0.113.77");
    const before = await memberRow(w.tenantId, u(w, "helper").id);
    expect(
      (await staff(w)("GET", "/forum/moderation/queue?kind=pending")).body.data.some((i: { post: { id: string } }) => i.post.id === held),
    ).toBe(true);
    expect((await staff(w)("POST", `/forum/moderation/posts/${held}/approve`)).status).toBe(200);
    expect((await topicRow(t.topicId))?.postCount).toBe(2);
    expect((await memberRow(w.tenantId, u(w, "helper").id))?.approvedPostCount).toBe((before?.approvedPostCount ?? 0) + 1);
  });

  it("suspend with a period, shown on the member; unsuspend by reversal; moderators need forum:manage", async () => {
    const id = u(w, "helper").id;
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const s = await staff(w)("POST", `/forum/members/${id}/suspend`, { until, reason: "spam" });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    const d = await staff(w)("GET", `/forum/members/${id}`);
    expect(d.body).toMatchObject({ suspended_until: until, sanction_reason: "spam" });
    expect(d.body.actions[0].action).toBe("suspend");
    expect((await staff(w)("GET", "/forum/members?sanctioned=true")).body.data.map((m: { id: string }) => m.id)).toContain(id);
    expect((await staff(w)("POST", `/forum/members/${id}/suspend`, { until: "2001-01-01T00:00:00Z" })).status).toBe(400);
    await staff(w)("POST", `/forum/moderation/actions/${s.body.action_id}/reverse`);
    expect((await memberRow(w.tenantId, id))?.suspendedUntil).toBeNull();

    const tl = await staff(w)("PUT", `/forum/members/${id}/trust`, { level: 4, locked: true });
    expect(tl.status).toBe(200);
    expect(await memberRow(w.tenantId, id)).toMatchObject({ trustLevel: 4, trustLocked: true });
    const promote = await staff(w)("PUT", `/forum/members/${id}/moderator`, { moderator: true });
    expect(promote.status).toBe(200);
    expect((await memberRow(w.tenantId, id))?.moderator).toBe(true);
  });
});

describe("promoted moderators (end users)", () => {
  it("a moderator hides a post through the public API; a non-moderator gets 403; another workspace's token is refused", async () => {
    const w = await forumWorld(["moddy", "plain", "poster"]);
    await setMember(w.tenantId, u(w, "moddy").id, { moderator: true });
    const t = await topic(w.tenantId, w.categoryId, u(w, "poster").id, "Public moderation", [u(w, "poster").id]);
    const path = `/moderation/posts/${t.postIds[1]}/hide`;
    expect((await pub(w, w.users.plain)("POST", path)).status).toBe(403);
    expect((await pub(w, undefined)("POST", path)).status).toBe(401);
    const other = await forumWorld(["outsider"]);
    await setMember(other.tenantId, u(other, "outsider").id, { moderator: true });
    expect((await pub(w, other.users.outsider)("POST", path)).status).toBe(401);
    // B's moderator acting on A's post through B's own portal: not found there.
    expect((await pub(other, other.users.outsider)("POST", path)).status).toBe(404);
    const r = await pub(w, w.users.moddy)("POST", path, { reason: "spam" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await postRow(pid(t, 1)))?.status).toBe("hidden");
    const lock = await pub(w, w.users.moddy)("POST", `/moderation/topics/${t.topicId}/lock`);
    expect(lock.status).toBe(200);
    const acts = await db().select().from(forumModActions).where(eq(forumModActions.targetId, t.topicId)).all();
    expect(acts[0]?.actorId).toBe(u(w, "moddy").id);
  });
});
