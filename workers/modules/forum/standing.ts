import { and, eq, sql } from "drizzle-orm";
import { forumBadges, forumMembers, forumPosts, forumSettings } from "../../../schema/forum";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { awardInserts, earnedBadges } from "./badges";
import { DEFAULT_TRUST } from "./settings.service";
import { nextTrustLevel } from "./trust";

/** Reputation points: a like received, an accepted answer, an up/down vote on one of the member's posts. */
export const REPUTATION = { like: 5, accepted: 15, upvote: 10, downvote: -2 } as const;

/**
 * Recomputes a member's trust level (unless staff locked it), reputation and badges from their
 * counters; called after posting, a like given/received, an accepted answer, read timings. One
 * batch writes the level, the reputation and any new badges (each awarded once).
 */
export async function refreshStanding(_env: Env, db: Db, tenantId: string, memberId: string): Promise<void> {
  const [[m], [s], [votes], held] = await db.batch([
    db
      .select()
      .from(forumMembers)
      .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, memberId)))
      .limit(1),
    db.select({ trust: forumSettings.trust }).from(forumSettings).where(eq(forumSettings.tenantId, tenantId)).limit(1),
    db
      .select({
        up: sql<number>`coalesce(sum(${forumPosts.upvotes}), 0)`,
        down: sql<number>`coalesce(sum(${forumPosts.downvotes}), 0)`,
      })
      .from(forumPosts)
      .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.authorId, memberId), eq(forumPosts.status, "visible"))),
    db
      .select({ badge: forumBadges.badge })
      .from(forumBadges)
      .where(and(eq(forumBadges.tenantId, tenantId), eq(forumBadges.memberId, memberId))),
  ]);
  if (!m) return;
  // A workspace that never saved its settings has the defaults (settings.service).
  const trust = s ? { ...DEFAULT_TRUST, ...s.trust } : DEFAULT_TRUST;
  const trustLevel = nextTrustLevel(m, trust);
  const reputation = Math.max(
    0,
    m.likesReceived * REPUTATION.like +
      m.acceptedAnswers * REPUTATION.accepted +
      Number(votes?.up ?? 0) * REPUTATION.upvote +
      Number(votes?.down ?? 0) * REPUTATION.downvote,
  );
  const has = new Set(held.map((b) => b.badge));
  const earned = (await earnedBadges(db, tenantId, m, trustLevel, has)).filter((b) => !has.has(b.badge));
  const badges = awardInserts(db, tenantId, memberId, earned);
  const changed = trustLevel !== m.trustLevel || reputation !== m.reputation;
  const update = db
    .update(forumMembers)
    .set({ trustLevel, reputation, updatedAt: Date.now() })
    .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, memberId), eq(forumMembers.trustLocked, m.trustLocked)));
  if (changed) await db.batch([update, ...badges]);
  else if (badges.length) {
    const [first, ...rest] = badges;
    if (first) await db.batch([first, ...rest]);
  }
}
