import { and, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { forumCategories, forumMembers, forumPosts, forumTopics } from "../../../schema/forum";
import { forumFlags, forumModActions } from "../../../schema/forum-moderation";
import { containsPattern, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { keyset, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { isModerator, type ForumMemberRow, type Viewer } from "./access";
import { badgesOf } from "./badges";
import { memberByUsername } from "./members.service";
import { serializeAction } from "./moderation.queue";
import { TRUST_LEVEL_NAMES } from "./trust";

/** Staff's view of a member (sanctions, counters, trust lock). */
export const serializeMember = (m: ForumMemberRow, now = Date.now()) => ({
  id: m.id,
  kind: m.kind,
  username: m.username,
  display_name: m.displayName,
  trust_level: m.trustLevel,
  trust_level_name: TRUST_LEVEL_NAMES[m.trustLevel] ?? "new",
  trust_locked: m.trustLocked,
  moderator: m.kind === "staff" || m.moderator,
  reputation: m.reputation,
  topic_count: m.topicCount,
  post_count: m.postCount,
  likes_given: m.likesGiven,
  likes_received: m.likesReceived,
  accepted_answers: m.acceptedAnswers,
  days_visited: m.daysVisited,
  posts_read: m.postsRead,
  read_minutes: Math.floor(m.readSeconds / 60),
  suspended_until: m.suspendedUntil && m.suspendedUntil > now ? iso(m.suspendedUntil) : null,
  silenced_until: m.silencedUntil && m.silencedUntil > now ? iso(m.silencedUntil) : null,
  sanction_reason: (m.suspendedUntil ?? 0) > now || (m.silencedUntil ?? 0) > now ? m.sanctionReason : null,
  last_posted_at: iso(m.lastPostedAt),
  last_seen_at: iso(m.lastSeenAt),
  created_at: iso(m.createdAt),
});

export interface MemberListQuery {
  q?: string;
  trust?: number;
  sanctioned?: boolean;
  limit: number;
  cursor?: string;
}

/** Staff's members list: newest first; search by username or name; filter by trust level or sanctions in force. */
export async function listForumMembers(db: Db, tenantId: string, q: MemberListQuery) {
  const now = Date.now();
  const ks = keyset(forumMembers.createdAt, forumMembers.id, q.cursor);
  const pattern = q.q ? containsPattern(q.q.toLowerCase()) : null;
  const rows = await db
    .select()
    .from(forumMembers)
    .where(
      and(
        eq(forumMembers.tenantId, tenantId),
        pattern
          ? or(
              sql`${forumMembers.username} like ${pattern} escape '\\'`,
              sql`lower(${forumMembers.displayName}) like ${pattern} escape '\\'`,
            )
          : undefined,
        q.trust !== undefined ? eq(forumMembers.trustLevel, q.trust) : undefined,
        q.sanctioned === true ? or(gt(forumMembers.suspendedUntil, now), gt(forumMembers.silencedUntil, now)) : undefined,
        q.sanctioned === false
          ? sql`coalesce(${forumMembers.suspendedUntil}, 0) <= ${now} and coalesce(${forumMembers.silencedUntil}, 0) <= ${now}`
          : undefined,
        ks.where,
      ),
    )
    .orderBy(...ks.orderBy)
    .limit(q.limit + 1);
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => serializeMember(r, now),
  );
}

/** Staff's member detail: the member, badges, the moderation actions on them, flags they raised and received. */
export async function forumMemberDetail(db: Db, tenantId: string, memberId: string) {
  const m = await db
    .select()
    .from(forumMembers)
    .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, memberId)))
    .get();
  if (!m) throw notFound("Member");
  const [actions, raised, received] = await db.batch([
    db
      .select()
      .from(forumModActions)
      .where(and(eq(forumModActions.tenantId, tenantId), eq(forumModActions.targetKind, "member"), eq(forumModActions.targetId, m.id)))
      .orderBy(desc(forumModActions.createdAt))
      .limit(20),
    db
      .select({ n: sql<number>`count(*)` })
      .from(forumFlags)
      .where(and(eq(forumFlags.tenantId, tenantId), eq(forumFlags.flaggerId, m.id))),
    db
      .select({ n: sql<number>`count(*)` })
      .from(forumFlags)
      .innerJoin(forumPosts, and(eq(forumPosts.tenantId, forumFlags.tenantId), eq(forumPosts.id, forumFlags.postId)))
      .where(and(eq(forumFlags.tenantId, tenantId), eq(forumPosts.authorId, m.id))),
  ]);
  return {
    ...serializeMember(m),
    badges: await badgesOf(db, tenantId, m.id),
    actions: actions.map(serializeAction),
    flags_raised: Number(raised[0]?.n ?? 0),
    flags_received: Number(received[0]?.n ?? 0),
  };
}

/** The read access levels a viewer has (categories they cannot read never show up on a profile). */
function readableAccess(v: Viewer): ("public" | "signed_in" | "staff")[] {
  if (isModerator(v)) return ["public", "signed_in", "staff"];
  return v.kind === "anonymous" ? ["public"] : ["public", "signed_in"];
}

/** Public profile: name, trust level, badges, reputation, counts, recent visible posts the viewer may read. */
export async function publicProfile(db: Db, tenantId: string, username: string, viewer: Viewer) {
  const m = await memberByUsername(db, tenantId, username);
  if (!m) throw notFound("Member");
  const recent = await db
    .select({
      id: forumPosts.id,
      number: forumPosts.number,
      text: forumPosts.searchText,
      createdAt: forumPosts.createdAt,
      topicId: forumTopics.id,
      title: forumTopics.title,
      slug: forumTopics.slug,
    })
    .from(forumPosts)
    .innerJoin(forumTopics, and(eq(forumTopics.tenantId, forumPosts.tenantId), eq(forumTopics.id, forumPosts.topicId)))
    .innerJoin(forumCategories, and(eq(forumCategories.tenantId, forumTopics.tenantId), eq(forumCategories.id, forumTopics.categoryId)))
    .where(
      and(
        eq(forumPosts.tenantId, tenantId),
        eq(forumPosts.authorId, m.id),
        eq(forumPosts.status, "visible"),
        eq(forumTopics.status, "visible"),
        inArray(forumCategories.readAccess, readableAccess(viewer)),
      ),
    )
    .orderBy(desc(forumPosts.createdAt))
    .limit(10);
  return {
    username: m.username,
    display_name: m.displayName,
    bio: m.bio,
    staff: m.kind === "staff",
    moderator: m.kind === "staff" || m.moderator,
    trust_level: m.trustLevel,
    trust_level_name: TRUST_LEVEL_NAMES[m.trustLevel] ?? "new",
    reputation: m.reputation,
    badges: await badgesOf(db, tenantId, m.id),
    counts: {
      topics: m.topicCount,
      posts: m.postCount,
      likes_received: m.likesReceived,
      likes_given: m.likesGiven,
      accepted_answers: m.acceptedAnswers,
      days_visited: m.daysVisited,
    },
    recent_posts: recent.map((r) => ({
      id: r.id,
      number: r.number,
      excerpt: r.text.slice(0, 200),
      topic: { id: r.topicId, title: r.title, slug: r.slug },
      created_at: iso(r.createdAt),
    })),
    member_since: iso(m.createdAt),
  };
}
