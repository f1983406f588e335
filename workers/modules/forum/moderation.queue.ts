import { and, eq, exists, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { forumAiReviews, forumFlags, forumModActions } from "../../../schema/forum-moderation";
import { forumPosts, forumTopics } from "../../../schema/forum";
import type { Db } from "../../platform/db";
import { keyset, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { type AuthorView, authorsOf, DELETED_AUTHOR } from "./members.service";
import type { ModActionRow } from "./moderation.core";
import type { PostRow } from "./posting";

/**
 * The moderation queue: `flagged` (posts with pending flags), `pending` (held for approval: new
 * members, silenced members, the AI check) and `ai` (held by the AI check, not yet overridden).
 * Each item carries the post, its topic, its pending flags and the AI decision.
 */
export const QUEUE_KINDS = ["flagged", "pending", "ai"] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

const pendingFlagOf = (db: Db) =>
  db
    .select({ one: sql`1` })
    .from(forumFlags)
    .where(and(eq(forumFlags.tenantId, forumPosts.tenantId), eq(forumFlags.postId, forumPosts.id), eq(forumFlags.status, "pending")));
const aiHeldOf = (db: Db) =>
  db
    .select({ one: sql`1` })
    .from(forumAiReviews)
    .where(
      and(
        eq(forumAiReviews.tenantId, forumPosts.tenantId),
        eq(forumAiReviews.postId, forumPosts.id),
        eq(forumAiReviews.verdict, "hold"),
        isNull(forumAiReviews.overriddenAt),
      ),
    );

function kindCondition(db: Db, kind: QueueKind): SQL | undefined {
  if (kind === "pending") return eq(forumPosts.status, "pending");
  if (kind === "ai") return and(exists(aiHeldOf(db)), or(eq(forumPosts.status, "pending"), eq(forumPosts.status, "hidden")));
  return exists(pendingFlagOf(db));
}

export async function moderationQueue(db: Db, tenantId: string, kind: QueueKind, limit: number, cursor?: string) {
  const ks = keyset(forumPosts.createdAt, forumPosts.id, cursor);
  const rows = await db
    .select({ post: forumPosts, topic: forumTopics })
    .from(forumPosts)
    .innerJoin(forumTopics, and(eq(forumTopics.tenantId, forumPosts.tenantId), eq(forumTopics.id, forumPosts.topicId)))
    .where(and(eq(forumPosts.tenantId, tenantId), kindCondition(db, kind), ks.where))
    .orderBy(...ks.orderBy)
    .limit(limit + 1);
  const ids = rows.map((r) => r.post.id);
  const [flags, reviews] = ids.length
    ? await db.batch([
        db
          .select()
          .from(forumFlags)
          .where(and(eq(forumFlags.tenantId, tenantId), inArray(forumFlags.postId, ids), eq(forumFlags.status, "pending")))
          .orderBy(forumFlags.createdAt),
        db
          .select()
          .from(forumAiReviews)
          .where(and(eq(forumAiReviews.tenantId, tenantId), inArray(forumAiReviews.postId, ids))),
      ])
    : [[], []];
  const authors = await authorsOf(db, tenantId, [...rows.map((r) => r.post.authorId), ...flags.map((f) => f.flaggerId)]);
  const author = (id: string) => authors.get(id) ?? DELETED_AUTHOR;
  return toPage(
    rows,
    limit,
    (r) => ({ createdAt: r.post.createdAt, id: r.post.id }),
    (r) => {
      const review = reviews.find((x) => x.postId === r.post.id);
      return {
        kind,
        post: serializeModPost(r.post, author(r.post.authorId)),
        topic: { id: r.topic.id, title: r.topic.title, slug: r.topic.slug, category_id: r.topic.categoryId, status: r.topic.status },
        flags: flags
          .filter((f) => f.postId === r.post.id)
          .map((f) => ({
            id: f.id,
            reason: f.reason,
            note: f.note,
            weight: f.weight,
            flagger: author(f.flaggerId),
            created_at: iso(f.createdAt),
          })),
        ai_review: review ? serializeAiReview(review) : null,
      };
    },
  );
}

export const serializeModPost = (p: PostRow, author: AuthorView) => ({
  id: p.id,
  topic_id: p.topicId,
  number: p.number,
  status: p.status,
  hidden_reason: p.hiddenReason,
  body_html: p.bodyHtml,
  excerpt: p.searchText.slice(0, 280),
  author,
  flag_weight: p.flagWeight,
  ip: p.ip,
  created_at: iso(p.createdAt),
});

export const serializeAiReview = (r: typeof forumAiReviews.$inferSelect) => ({
  verdict: r.verdict,
  labels: r.labels,
  explanation: r.explanation,
  model: r.model,
  overridden_by_id: r.overriddenById,
  overridden_at: iso(r.overriddenAt),
  created_at: iso(r.createdAt),
});

export const serializeAction = (a: ModActionRow) => ({
  id: a.id,
  actor_id: a.actorId,
  action: a.action,
  target_kind: a.targetKind,
  target_id: a.targetId,
  reason: a.reason,
  before: a.before,
  after: a.after,
  reversed_by_id: a.reversedById,
  reversed_at: iso(a.reversedAt),
  created_at: iso(a.createdAt),
});

/** The actions log, newest first; `target` filters to one post, topic or member id. */
export async function listActions(db: Db, tenantId: string, q: { target?: string; limit: number; cursor?: string }) {
  const ks = keyset(forumModActions.createdAt, forumModActions.id, q.cursor);
  const rows = await db
    .select()
    .from(forumModActions)
    .where(and(eq(forumModActions.tenantId, tenantId), q.target ? eq(forumModActions.targetId, q.target) : undefined, ks.where))
    .orderBy(...ks.orderBy)
    .limit(q.limit + 1);
  const names = await authorsOf(
    db,
    tenantId,
    rows.map((r) => r.actorId),
  );
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => ({ ...serializeAction(r), actor: names.get(r.actorId) ?? null }),
  );
}

/** Queue sizes (for the dashboard's badge). */
export async function queueCounts(db: Db, tenantId: string) {
  const [[f], [p], [a]] = await db.batch([
    db
      .select({ n: sql<number>`count(*)` })
      .from(forumPosts)
      .where(and(eq(forumPosts.tenantId, tenantId), kindCondition(db, "flagged"))),
    db
      .select({ n: sql<number>`count(*)` })
      .from(forumPosts)
      .where(and(eq(forumPosts.tenantId, tenantId), kindCondition(db, "pending"))),
    db
      .select({ n: sql<number>`count(*)` })
      .from(forumPosts)
      .where(and(eq(forumPosts.tenantId, tenantId), kindCondition(db, "ai"))),
  ]);
  return { flagged: Number(f?.n ?? 0), pending: Number(p?.n ?? 0), ai: Number(a?.n ?? 0) };
}
