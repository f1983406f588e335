import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { forumFlags } from "../../../../schema/forum-moderation";
import { forumMembers, forumPosts, forumReactions, forumSettings, forumTopics } from "../../../../schema/forum";
import { getDb } from "../../../../workers/platform/db";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { median } from "../activity.service";

/**
 * GET /api/v1/forum/activity over rows written straight into D1 (the figures depend only on these
 * columns), placed on known UTC days relative to today.
 */
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const at = (daysAgo: number, hour = 10) => today - daysAgo * DAY + hour * 3_600_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let owner: TestUser;
const get = (days?: number) =>
  callJson(`/api/v1/forum/activity${days === undefined ? "" : `?days=${days}`}`, {
    token: owner.accessToken,
    tenant: owner.tenantId,
    ip: owner.ip,
  });

async function seed(tenantId: string) {
  const db = getDb(env.DB);
  const member = (id: string, daysAgo: number) => ({
    tenantId,
    id,
    kind: id.startsWith("usr") ? ("staff" as const) : ("enduser" as const),
    username: id,
    displayName: id,
    createdAt: at(daysAgo, 1),
    updatedAt: at(daysAgo, 1),
  });
  await db.insert(forumMembers).values([member("eu_ann", 40), member("eu_bob", 3), member("eu_cy", 2), member("usr_staff", 60)]);
  // [id, author, kind, status, days ago, first reply after min, first staff reply after min, accepted]
  const topics: [
    string,
    string,
    "question" | "discussion",
    "visible" | "hidden" | "pending" | "deleted",
    number,
    number | null,
    number | null,
    boolean,
  ][] = [
    ["ftop_q1", "eu_ann", "question", "visible", 2, 30, 30, true],
    ["ftop_q2", "eu_bob", "question", "visible", 2, 90, null, false],
    ["ftop_q3", "eu_cy", "question", "hidden", 1, null, null, false],
    ["ftop_d1", "eu_ann", "discussion", "visible", 0, 10, 120, false],
    ["ftop_pend", "eu_cy", "discussion", "pending", 0, null, null, false],
    ["ftop_del", "eu_bob", "question", "deleted", 1, 5, 5, true],
    ["ftop_old", "eu_ann", "question", "visible", 20, 1, 1, true],
  ];
  // One INSERT per row: D1 binds at most 100 parameters per statement.
  const topicRows = topics.map(([id, author, kind, status, ago, first, staff, accepted]) => ({
    tenantId,
    id,
    categoryId: "fcat_x",
    authorId: author,
    title: id,
    slug: id,
    kind,
    status,
    acceptedPostId: accepted ? `${id}_p2` : null,
    lastPostedAt: at(ago),
    lastPosterId: author,
    firstReplyAt: first === null ? null : at(ago) + first * 60_000,
    firstStaffReplyAt: staff === null ? null : at(ago) + staff * 60_000,
    createdAt: at(ago),
    updatedAt: at(ago),
  }));
  for (const row of topicRows) await db.insert(forumTopics).values(row);
  // [id, topic, number, author, status, days ago]
  const posts: [string, string, number, string, "visible" | "hidden" | "pending" | "deleted", number][] = [
    ["p1", "ftop_q1", 1, "eu_ann", "visible", 2],
    ["p2", "ftop_q1", 2, "usr_staff", "visible", 2],
    ["p3", "ftop_q2", 1, "eu_bob", "visible", 2],
    ["p4", "ftop_q2", 2, "eu_ann", "visible", 2],
    ["p5", "ftop_q3", 1, "eu_cy", "hidden", 1],
    ["p6", "ftop_d1", 1, "eu_ann", "visible", 0],
    ["p7", "ftop_d1", 2, "eu_bob", "pending", 0],
    ["p8", "ftop_pend", 1, "eu_cy", "pending", 0],
    ["p9", "ftop_del", 1, "eu_bob", "deleted", 1],
    ["p10", "ftop_old", 1, "eu_ann", "visible", 20],
  ];
  const postRows = posts.map(([id, topicId, number, authorId, status, ago]) => ({
    tenantId,
    id: `fpost_${id}`,
    topicId,
    number,
    authorId,
    bodyMarkdown: id,
    bodyHtml: `<p>${id}</p>`,
    searchText: id,
    status,
    reactions: {},
    createdAt: at(ago),
    updatedAt: at(ago),
  }));
  for (const row of postRows) await db.insert(forumPosts).values(row);
  // Cy reacts today (active today without a counted post); Bob reacts 2 days ago (already active then).
  await db.insert(forumReactions).values([
    { tenantId, postId: "fpost_p6", memberId: "eu_cy", reaction: "like", createdAt: at(0) },
    { tenantId, postId: "fpost_p1", memberId: "eu_bob", reaction: "heart", createdAt: at(2, 11) },
  ]);
  await db.insert(forumFlags).values([
    { tenantId, id: "fflag_1", postId: "fpost_p6", flaggerId: "eu_bob", reason: "spam", weight: 1, status: "pending", createdAt: at(0) },
    { tenantId, id: "fflag_2", postId: "fpost_p5", flaggerId: "eu_ann", reason: "spam", weight: 1, status: "agreed", createdAt: at(1) },
  ]);
}

describe("forum activity figures", () => {
  beforeAll(async () => {
    owner = await signUp({ workspace: "Activity Co" });
    await seed(owner.tenantId);
  });

  it("counts topics, posts and active members per UTC day, zero-filled, with the period's totals", async () => {
    const r = await get(7);
    expect(r.status).toBe(200);
    const a = r.body;
    expect(a.days).toBe(7);
    expect(a.series).toHaveLength(7);
    expect(a.to).toBe(isoDay(today));
    expect(a.from).toBe(isoDay(today - 6 * DAY));
    const day = (ago: number) => a.series.find((s: { day: string }) => s.day === isoDay(at(ago)));
    // Pending and deleted topics/posts are not counted; a hidden one is (it happened).
    expect(day(2)).toEqual({ day: isoDay(at(2)), topics: 2, posts: 4, active_members: 3 });
    expect(day(1)).toEqual({ day: isoDay(at(1)), topics: 1, posts: 1, active_members: 1 });
    expect(day(0)).toEqual({ day: isoDay(at(0)), topics: 1, posts: 1, active_members: 2 });
    expect(day(5)).toEqual({ day: isoDay(at(5)), topics: 0, posts: 0, active_members: 0 });
    expect(a.totals).toEqual({
      topics: 4,
      posts: 6,
      active_members: 4,
      new_members: 2,
      questions: 3,
      solved: 1,
      solved_rate: 1 / 3,
      unanswered: 1,
      // first replies after 30, 90 and 10 minutes → 30; staff replies after 30 and 120 → 75
      median_first_reply_minutes: 30,
      median_first_staff_reply_minutes: 75,
    });
    expect(a.attention).toEqual({ pending_flags: 1, pending_posts: 2 });
    expect(a.enabled).toBe(false);
    expect(a.community_path).toMatch(/^\/community\/[a-z0-9-]+$/);
  });

  it("a longer period takes in older topics; the forum's switch and title come from its settings", async () => {
    await getDb(env.DB)
      .insert(forumSettings)
      .values({
        tenantId: owner.tenantId,
        enabled: true,
        title: "Activity Co community",
        trust: {} as never,
        rules: {} as never,
        updatedAt: Date.now(),
      });
    const a = (await get(30)).body;
    expect(a.series).toHaveLength(30);
    expect(a.totals.topics).toBe(5);
    expect(a.totals.questions).toBe(4);
    expect(a.totals.solved).toBe(2);
    expect(a.totals.solved_rate).toBe(0.5);
    expect(a.enabled).toBe(true);
    expect(a.title).toBe("Activity Co community");
    expect((await get()).body.days).toBe(30);
  });

  it("refuses a period outside 1–365 days with the failing field", async () => {
    for (const days of [0, 366]) {
      const r = await get(days);
      expect(r.status).toBe(400);
      expect(r.res.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.stringify(r.body)).toContain("days");
    }
  });

  it("median of odd and even counts", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
