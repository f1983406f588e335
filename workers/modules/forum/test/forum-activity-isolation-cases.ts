import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { forumPosts, forumTopics } from "../../../../schema/forum";
import { getDb } from "../../../../workers/platform/db";
import { newId } from "../../../../workers/platform/ids";
import { callJson, type TestUser } from "../../../../test/helpers";

/**
 * Tenant-isolation case for the dashboard's activity figures, spread into CASES in
 * test/tenant-isolation.test.ts: A gets a topic with its first post five days ago (rows written
 * once, lazily); B's figures, asked through B's workspace, count nothing on that day (other cases
 * may give B topics of its own, but today) and name B's community.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;

const DAY = 86_400_000;
const A_DAY = () => new Date(Date.now() - 5 * DAY).toISOString().slice(0, 10);
let seeded: Promise<void> | null = null;
function seedA(tenantId: string) {
  seeded ??= (async () => {
    const db = getDb(env.DB);
    const now = Date.now() - 5 * DAY;
    const topicId = newId("ftop");
    const author = newId("eu");
    await db.insert(forumTopics).values({
      tenantId,
      id: topicId,
      categoryId: "fcat_iso",
      authorId: author,
      title: "Activity isolation",
      slug: "activity-isolation",
      kind: "question",
      lastPostedAt: now,
      lastPosterId: author,
      createdAt: now,
      updatedAt: now,
    });
    await db.insert(forumPosts).values({
      tenantId,
      id: newId("fpost"),
      topicId,
      number: 1,
      authorId: author,
      bodyMarkdown: "a",
      bodyHtml: "<p>a</p>",
      searchText: "a",
      reactions: {},
      createdAt: now,
      updatedAt: now,
    });
  })();
  return seeded;
}

const asOf = (u: TestUser) => callJson("/api/v1/forum/activity?days=7", { token: u.accessToken, tenant: u.tenantId, ip: u.ip });

export const FORUM_ACTIVITY_CASES: Record<string, Case> = {
  "GET /api/v1/forum/activity": async (w) => {
    await seedA(w.a.tenantId);
    const day = (r: { body: { series: { day: string; topics: number }[] } }) => r.body.series.find((s) => s.day === A_DAY());
    const a = await asOf(w.a);
    expect(a.status).toBe(200);
    expect(day(a)?.topics).toBeGreaterThanOrEqual(1);
    const b = await asOf(w.b);
    expect(b.status).toBe(200);
    expect(day(b)).toMatchObject({ topics: 0, posts: 0, active_members: 0 });
    expect(b.body.community_path).not.toBe(a.body.community_path);
  },
};
