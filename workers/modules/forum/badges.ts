import { and, desc, eq, sql } from "drizzle-orm";
import { forumBadges, forumPosts, type forumMembers } from "../../../schema/forum";
import type { Db } from "../../platform/db";

type ForumMemberRow = typeof forumMembers.$inferSelect;

/** Likes one post needs for the `helpful` badge. */
export const HELPFUL_LIKES = 5;

export const BADGES = {
  first_post: { name: "First post", description: "Wrote a first post" },
  first_like: { name: "First like", description: "Liked a post" },
  helpful: { name: "Helpful", description: `A post liked ${HELPFUL_LIKES} times` },
  accepted_1: { name: "Solved it", description: "An answer accepted" },
  accepted_10: { name: "Problem solver", description: "10 answers accepted" },
  accepted_50: { name: "Guru", description: "50 answers accepted" },
  regular: { name: "Regular", description: "Reached trust level 3" },
} as const;
export type BadgeId = keyof typeof BADGES;

/** The badges a member's counters earn, with the post that earned `helpful` (the most liked one). */
export async function earnedBadges(
  db: Db,
  tenantId: string,
  m: ForumMemberRow,
  trustLevel: number,
  held: ReadonlySet<string> = new Set(),
): Promise<{ badge: BadgeId; postId: string | null }[]> {
  const out: { badge: BadgeId; postId: string | null }[] = [];
  if (m.postCount > 0 || m.topicCount > 0) out.push({ badge: "first_post", postId: null });
  if (m.likesGiven > 0) out.push({ badge: "first_like", postId: null });
  if (m.likesReceived >= HELPFUL_LIKES && !held.has("helpful")) {
    const likes = sql<number>`coalesce(json_extract(${forumPosts.reactions}, '$.like'), 0)`;
    const [best] = await db
      .select({ id: forumPosts.id })
      .from(forumPosts)
      .where(
        and(
          eq(forumPosts.tenantId, tenantId),
          eq(forumPosts.authorId, m.id),
          eq(forumPosts.status, "visible"),
          sql`${likes} >= ${HELPFUL_LIKES}`,
        ),
      )
      .orderBy(desc(likes))
      .limit(1);
    if (best) out.push({ badge: "helpful", postId: best.id });
  }
  if (m.acceptedAnswers >= 1) out.push({ badge: "accepted_1", postId: null });
  if (m.acceptedAnswers >= 10) out.push({ badge: "accepted_10", postId: null });
  if (m.acceptedAnswers >= 50) out.push({ badge: "accepted_50", postId: null });
  if (trustLevel >= 3) out.push({ badge: "regular", postId: null });
  return out;
}

/** Inserts for badges not yet held (the primary key makes each one once per member). */
export function awardInserts(
  db: Db,
  tenantId: string,
  memberId: string,
  earned: { badge: BadgeId; postId: string | null }[],
  now = Date.now(),
) {
  return earned.map((b) =>
    db.insert(forumBadges).values({ tenantId, memberId, badge: b.badge, postId: b.postId, awardedAt: now }).onConflictDoNothing(),
  );
}

export async function badgesOf(db: Db, tenantId: string, memberId: string) {
  const rows = await db
    .select()
    .from(forumBadges)
    .where(and(eq(forumBadges.tenantId, tenantId), eq(forumBadges.memberId, memberId)))
    .orderBy(forumBadges.awardedAt);
  return rows.map((r) => ({
    badge: r.badge,
    name: BADGES[r.badge as BadgeId]?.name ?? r.badge,
    description: BADGES[r.badge as BadgeId]?.description ?? "",
    post_id: r.postId,
    awarded_at: new Date(r.awardedAt).toISOString(),
  }));
}
