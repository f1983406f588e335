import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { forumBadges } from "../../../../schema/forum";
import { refreshStanding } from "../standing";
import { db, forumWorld, memberRow, pub, setMember, u } from "./forum-moderation-fixtures";

describe("trust levels, reputation and badges", () => {
  it("activity promotes a member; badges are awarded once; the public profile shows them", async () => {
    const w = await forumWorld(["reader"]);
    const id = u(w, "reader").id;
    await refreshStanding(env, db(), w.tenantId, id);
    expect((await memberRow(w.tenantId, id))?.trustLevel).toBe(0);
    await setMember(w.tenantId, id, { topicsEntered: 5, postsRead: 30, readSeconds: 600, postCount: 1, likesGiven: 1 });
    await refreshStanding(env, db(), w.tenantId, id);
    expect((await memberRow(w.tenantId, id))?.trustLevel).toBe(1);
    await setMember(w.tenantId, id, {
      daysVisited: 50,
      postsRead: 500,
      readSeconds: 4000,
      likesReceived: 20,
      likesGiven: 30,
      postCount: 10,
      acceptedAnswers: 1,
    });
    await refreshStanding(env, db(), w.tenantId, id);
    await refreshStanding(env, db(), w.tenantId, id);
    const m = await memberRow(w.tenantId, id);
    expect(m?.trustLevel).toBe(3);
    expect(m?.reputation).toBe(20 * 5 + 15);
    const badges = await db()
      .select()
      .from(forumBadges)
      .where(and(eq(forumBadges.tenantId, w.tenantId), eq(forumBadges.memberId, id)))
      .all();
    expect(badges.map((b) => b.badge).sort()).toEqual(["accepted_1", "first_like", "first_post", "regular"]);
    // A locked level is not recomputed.
    await setMember(w.tenantId, id, { trustLevel: 0, trustLocked: true });
    await refreshStanding(env, db(), w.tenantId, id);
    expect((await memberRow(w.tenantId, id))?.trustLevel).toBe(0);

    const profile = await pub(w)("GET", "/members/reader");
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    expect(profile.body.badges.map((b: { badge: string }) => b.badge)).toContain("regular");
    expect(profile.body.reputation).toBe(115);
    expect((await pub(w)("GET", "/members/nobody-here")).status).toBe(404);
  });
});
