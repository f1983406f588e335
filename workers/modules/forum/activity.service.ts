import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import type { ForumActivity } from "./activity.schemas";

/**
 * Activity figures for the dashboard's Community overview (read-only, UTC days, zero-filled so a
 * chart's x axis is continuous). What counts:
 * - topics / posts: started or written that day and still standing — visible, or hidden later by a
 *   moderator or flags (they happened); held (`pending`), deleted and merged ones do not count;
 * - active members: distinct members who posted (any counted post) or reacted that day;
 * - time to first reply and solved rate: over the topics started in the period (`first_reply_at`,
 *   `first_staff_reply_at`, `accepted_post_id` on the topic row, kept by the posting code);
 * - attention: what waits in the moderation queue right now (pending flags, held posts).
 * Every query is `tenant_id = ? AND created_at …` on an index that starts with tenant_id; they run
 * concurrently (drizzle's D1 batch does not take raw `db.all` queries).
 */

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const COUNTED_TOPIC = sql.raw(`status IN ('visible', 'hidden')`);
const COUNTED_POST = sql.raw(`p.status IN ('visible', 'hidden')`);

/** The middle value (the mean of the two middle ones for an even count), or null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
const toMinutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 600) / 100);

export async function forumActivity(db: Db, tenantId: string, days: number, now = Date.now()): Promise<ForumActivity> {
  const to = Math.floor(now / DAY) * DAY + DAY; // exclusive: the end of today (UTC)
  const from = to - days * DAY;
  const [settings, topicDays, postDays, activeDays, activeTotal, topicFigures, replyTimes, newMembers, attention, tenant] =
    await Promise.all([
      db.all<{ enabled: number; title: string }>(sql`SELECT enabled, title FROM forum_settings WHERE tenant_id = ${tenantId}`),
      db.all<{ day: string; n: number }>(sql`
      SELECT date(created_at / 1000, 'unixepoch') AS day, count(*) AS n FROM forum_topics
      WHERE tenant_id = ${tenantId} AND created_at >= ${from} AND created_at < ${to} AND ${COUNTED_TOPIC} GROUP BY day`),
      db.all<{ day: string; n: number }>(sql`
      SELECT date(p.created_at / 1000, 'unixepoch') AS day, count(*) AS n FROM forum_posts p
      WHERE p.tenant_id = ${tenantId} AND p.created_at >= ${from} AND p.created_at < ${to} AND ${COUNTED_POST} GROUP BY day`),
      db.all<{ day: string; n: number }>(sql`
      SELECT day, count(DISTINCT member) AS n FROM (${activitySql(tenantId, from, to)}) GROUP BY day`),
      db.all<{ n: number }>(sql`SELECT count(DISTINCT member) AS n FROM (${activitySql(tenantId, from, to)})`),
      db.all<{ questions: number; solved: number; unanswered: number }>(sql`
      SELECT coalesce(sum(kind = 'question'), 0) AS questions,
             coalesce(sum(kind = 'question' AND accepted_post_id IS NOT NULL), 0) AS solved,
             coalesce(sum(first_reply_at IS NULL), 0) AS unanswered
      FROM forum_topics
      WHERE tenant_id = ${tenantId} AND created_at >= ${from} AND created_at < ${to} AND ${COUNTED_TOPIC}`),
      db.all<{ first: number | null; staff: number | null }>(sql`
      SELECT first_reply_at - created_at AS first, first_staff_reply_at - created_at AS staff FROM forum_topics
      WHERE tenant_id = ${tenantId} AND created_at >= ${from} AND created_at < ${to} AND ${COUNTED_TOPIC}
        AND first_reply_at IS NOT NULL`),
      db.all<{ n: number }>(sql`
      SELECT count(*) AS n FROM forum_members WHERE tenant_id = ${tenantId} AND created_at >= ${from} AND created_at < ${to}`),
      db.all<{ flags: number; posts: number }>(sql`
      SELECT (SELECT count(*) FROM forum_flags WHERE tenant_id = ${tenantId} AND status = 'pending') AS flags,
             (SELECT count(*) FROM forum_posts WHERE tenant_id = ${tenantId} AND status = 'pending') AS posts`),
      getTenant(db, tenantId),
    ]);

  const byDay = (rows: { day: string; n: number }[]) => new Map(rows.map((r) => [r.day, Number(r.n)]));
  const t = byDay(topicDays);
  const p = byDay(postDays);
  const a = byDay(activeDays);
  const series: ForumActivity["series"] = [];
  for (let d = from; d < to; d += DAY) {
    const day = isoDay(d);
    series.push({ day, topics: t.get(day) ?? 0, posts: p.get(day) ?? 0, active_members: a.get(day) ?? 0 });
  }
  const sum = (k: "topics" | "posts") => series.reduce((n, s) => n + s[k], 0);
  const f = topicFigures[0] ?? { questions: 0, solved: 0, unanswered: 0 };
  const questions = Number(f.questions);
  const solved = Number(f.solved);
  const staffTimes = replyTimes.flatMap((r) => (r.staff === null ? [] : [Number(r.staff)]));
  return {
    enabled: Boolean(settings[0]?.enabled),
    title: settings[0]?.title ?? "Community",
    community_path: `/community/${tenant.slug}`,
    days,
    from: isoDay(from),
    to: isoDay(to - DAY),
    series,
    totals: {
      topics: sum("topics"),
      posts: sum("posts"),
      active_members: Number(activeTotal[0]?.n ?? 0),
      new_members: Number(newMembers[0]?.n ?? 0),
      questions,
      solved,
      solved_rate: questions === 0 ? null : solved / questions,
      unanswered: Number(f.unanswered),
      median_first_reply_minutes: toMinutes(median(replyTimes.map((r) => Number(r.first)))),
      median_first_staff_reply_minutes: toMinutes(median(staffTimes)),
    },
    attention: { pending_flags: Number(attention[0]?.flags ?? 0), pending_posts: Number(attention[0]?.posts ?? 0) },
  };
}

/** (day, member) pairs of activity in [from, to): counted posts and reactions. */
function activitySql(tenantId: string, from: number, to: number) {
  return sql`
    SELECT date(p.created_at / 1000, 'unixepoch') AS day, p.author_id AS member FROM forum_posts p
    WHERE p.tenant_id = ${tenantId} AND p.created_at >= ${from} AND p.created_at < ${to} AND ${COUNTED_POST}
    UNION ALL
    SELECT date(created_at / 1000, 'unixepoch'), member_id FROM forum_reactions
    WHERE tenant_id = ${tenantId} AND created_at >= ${from} AND created_at < ${to}`;
}
