import { and, asc, desc, eq, gt, inArray, isNotNull, ne, sql, type SQL } from "drizzle-orm";
import { forumPosts, forumReactions, forumTopics, forumVotes, type ForumTopicKind, type ForumTopicStatus } from "../../../schema/forum";
import { forumTopicMembers } from "../../../schema/forum-reading";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { forbidden, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { publishEventSafely } from "../webhooks";
import {
  canAccept,
  canReply,
  canSeeTopic,
  canStartTopic,
  isModerator,
  isSuspended,
  viewerId,
  type CategoryRow,
  type TopicRow,
  type Viewer,
} from "./access";
import { getCategoryRow, readableCategories, readableCategory, slugify } from "./categories.service";
import { actingMember, authorsOf, DELETED_AUTHOR, type AuthorView, type MemberIdentity } from "./members.service";
import { notifyNewPost } from "./notify.service";
import { afterWrite, countVisiblePost, preparePost, topicPath, type ForumSite, type PostRow } from "./posting";
import { suspendedProblem } from "./screen";
import type { ForumSettingsRow } from "./settings.service";

/**
 * Topics: lists (latest, top, unanswered, solved — pinned first), the topic view with a page of
 * posts, view counts, and starting a topic (the topic row is inserted before its first post in
 * one batch: the FTS trigger reads the title).
 */

/** One forum request's context: the workspace, its settings and where its community lives. */
export interface ForumCtx {
  tenantId: string;
  settings: ForumSettingsRow;
  site: ForumSite;
  ip: string | null;
}

export async function getTopicRow(db: Db, tenantId: string, id: string): Promise<TopicRow> {
  const row = await db
    .select()
    .from(forumTopics)
    .where(tenantScope(db, tenantId).where(forumTopics, eq(forumTopics.id, id)))
    .get();
  if (!row) throw notFound("Topic");
  return row;
}

/** A topic and its category as the viewer may see them; 404 otherwise (never 403). */
export async function loadTopicFor(db: Db, tenantId: string, id: string, v: Viewer): Promise<{ topic: TopicRow; category: CategoryRow }> {
  const topic = await getTopicRow(db, tenantId, id);
  const category = await getCategoryRow(db, tenantId, topic.categoryId);
  if (!canSeeTopic(category, topic, v)) throw notFound("Topic");
  return { topic, category };
}

export const TOPIC_SORTS = ["latest", "top", "unanswered", "solved"] as const;
export type TopicSort = (typeof TOPIC_SORTS)[number];

export interface TopicListQuery {
  category?: string;
  sort?: TopicSort;
  /** Staff lists only: any status (default: visible). */
  status?: ForumTopicStatus;
  /** Staff lists: title contains. */
  q?: string;
  authorId?: string;
  limit: number;
  cursor?: string;
}

export const serializeTopic = (t: TopicRow, authors: Map<string, AuthorView>, category?: CategoryRow) => ({
  id: t.id,
  slug: t.slug,
  title: t.title,
  kind: t.kind,
  status: t.status,
  category_id: t.categoryId,
  ...(category ? { category: { id: category.id, slug: category.slug, name: category.name, color: category.color } } : {}),
  author: authors.get(t.authorId) ?? DELETED_AUTHOR,
  pinned: t.pin,
  locked: t.lockedAt !== null,
  solved: t.acceptedPostId !== null,
  accepted_post_id: t.acceptedPostId,
  merged_into_id: t.mergedIntoId,
  post_count: t.postCount,
  reply_count: Math.max(0, t.postCount - 1),
  last_post_number: t.lastPostNumber,
  view_count: t.viewCount,
  like_count: t.likeCount,
  score: t.score,
  last_posted_at: new Date(t.lastPostedAt).toISOString(),
  last_poster: authors.get(t.lastPosterId) ?? DELETED_AUTHOR,
  created_at: new Date(t.createdAt).toISOString(),
  updated_at: new Date(t.updatedAt).toISOString(),
});
export type TopicJson = ReturnType<typeof serializeTopic>;

/**
 * A page of topics the viewer may read. Pinned topics come first on the first page (global pins,
 * then — inside a category — that category's pins); the rest by the sort, cursor-paged.
 */
export async function listTopics(db: Db, tenantId: string, v: Viewer, q: TopicListQuery) {
  const sort = q.sort ?? "latest";
  const readable = await readableCategories(db, tenantId, v);
  const cats = new Map(readable.map((c) => [c.id, c]));
  if (q.category && !cats.has(q.category)) throw notFound("Category");
  const ids = q.category ? [q.category] : [...cats.keys()];
  if (!ids.length) return { data: [], next_cursor: null };
  const base: (SQL | undefined)[] = [
    inArray(forumTopics.categoryId, ids),
    eq(forumTopics.status, q.status ?? "visible"),
    q.authorId ? eq(forumTopics.authorId, q.authorId) : undefined,
    q.q ? sql`${forumTopics.title} like ${`%${q.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} escape '\\'` : undefined,
    sort === "unanswered" ? eq(forumTopics.postCount, 1) : undefined,
    sort === "solved" ? isNotNull(forumTopics.acceptedPostId) : undefined,
  ];
  // Pins lead only the plain lists (not a status filter, a search or an author's topics).
  const pinsApply = !q.status && !q.q && !q.authorId && (sort === "latest" || sort === "top");
  const pinned = (t: { pin: string }) => t.pin === "global" || (q.category !== undefined && t.pin === "category");
  let pins: TopicRow[] = [];
  if (pinsApply && !q.cursor) {
    pins = await db
      .select()
      .from(forumTopics)
      .where(tenantScope(db, tenantId).where(forumTopics, ...base, ne(forumTopics.pin, "none")))
      .orderBy(desc(forumTopics.lastPostedAt))
      .limit(50);
    pins = pins.filter(pinned).sort((a, b) => (a.pin === b.pin ? 0 : a.pin === "global" ? -1 : 1));
  }
  const notPinned = pinsApply ? (q.category ? eq(forumTopics.pin, "none") : ne(forumTopics.pin, "global")) : undefined;
  const order = sort === "top" ? forumTopics.score : forumTopics.lastPostedAt;
  const ks = keyset(order, forumTopics.id, q.cursor);
  const rows = await db
    .select()
    .from(forumTopics)
    .where(tenantScope(db, tenantId).where(forumTopics, ...base, notPinned, ks.where))
    .orderBy(...ks.orderBy)
    .limit(q.limit + 1);
  const authors = await authorsOf(
    db,
    tenantId,
    [...pins, ...rows].flatMap((t) => [t.authorId, t.lastPosterId]),
  );
  const page = toPage(
    rows,
    q.limit,
    (t) => ({ createdAt: sort === "top" ? t.score : t.lastPostedAt, id: t.id }),
    (t) => serializeTopic(t, authors, cats.get(t.categoryId)),
  );
  return { data: [...pins.map((t) => serializeTopic(t, authors, cats.get(t.categoryId))), ...page.data], next_cursor: page.next_cursor };
}

export interface Mine {
  reactions: Map<string, string[]>;
  votes: Map<string, number>;
}

export function serializePost(p: PostRow, authors: Map<string, AuthorView>, topic: TopicRow, v: Viewer, mine?: Mine) {
  const own = viewerId(v) === p.authorId;
  const mod = isModerator(v);
  const showBody = p.status === "visible" || p.status === "pending" || mod;
  return {
    id: p.id,
    topic_id: p.topicId,
    number: p.number,
    author: authors.get(p.authorId) ?? DELETED_AUTHOR,
    reply_to_post_id: p.replyToPostId,
    status: p.status,
    awaiting_approval: p.status === "pending",
    hidden_reason: mod ? p.hiddenReason : null,
    body_html: showBody ? p.bodyHtml : "",
    // The source, for editing and quoting (what the author wrote is public where the post is).
    body_markdown: showBody ? p.bodyMarkdown : "",
    reactions: p.reactions as Record<string, number>,
    upvotes: p.upvotes,
    downvotes: p.downvotes,
    score: p.upvotes - p.downvotes,
    accepted: topic.acceptedPostId === p.id,
    revision_count: p.revisionCount,
    edited_at: iso(p.editedAt),
    created_at: new Date(p.createdAt).toISOString(),
    my_reactions: mine?.reactions.get(p.id) ?? [],
    my_vote: mine?.votes.get(p.id) ?? 0,
    can_edit: (own || mod) && !isSuspended(v) && p.status !== "deleted",
  };
}
export type PostJson = ReturnType<typeof serializePost>;

/** Which posts a viewer sees in a topic: visible ones; their own pending ones; moderators everything. */
export function postVisibleTo(p: Pick<PostRow, "status" | "authorId">, v: Viewer): boolean {
  if (p.status === "visible") return true;
  if (isModerator(v)) return true;
  return p.status === "pending" && viewerId(v) === p.authorId;
}

/** The viewer's reactions and votes on some posts. */
export async function mineOn(db: Db, tenantId: string, v: Viewer, postIds: string[]): Promise<Mine> {
  const me = viewerId(v);
  const mine: Mine = { reactions: new Map(), votes: new Map() };
  if (!me || !postIds.length) return mine;
  const [reactions, votes] = await Promise.all([
    db
      .select({ postId: forumReactions.postId, reaction: forumReactions.reaction })
      .from(forumReactions)
      .where(tenantScope(db, tenantId).where(forumReactions, eq(forumReactions.memberId, me), inArray(forumReactions.postId, postIds))),
    db
      .select({ postId: forumVotes.postId, value: forumVotes.value })
      .from(forumVotes)
      .where(tenantScope(db, tenantId).where(forumVotes, eq(forumVotes.memberId, me), inArray(forumVotes.postId, postIds))),
  ]);
  for (const r of reactions) mine.reactions.set(r.postId, [...(mine.reactions.get(r.postId) ?? []), r.reaction]);
  for (const r of votes) mine.votes.set(r.postId, r.value);
  return mine;
}

/**
 * A topic with a page of its posts (numbers after `after`, in order), the viewer's reactions and
 * votes on them, their read position and notification level, and what they may do.
 */
export async function topicView(db: Db, tenantId: string, v: Viewer, id: string, page: { after?: number; limit?: number } = {}) {
  const { topic, category } = await loadTopicFor(db, tenantId, id, v);
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 100);
  const rows = await db
    .select()
    .from(forumPosts)
    .where(tenantScope(db, tenantId).where(forumPosts, eq(forumPosts.topicId, topic.id), gt(forumPosts.number, page.after ?? 0)))
    .orderBy(asc(forumPosts.number))
    .limit(limit + 1);
  const more = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  const posts = pageRows.filter((p) => postVisibleTo(p, v));
  const me = viewerId(v);
  const [authors, mine, state] = await Promise.all([
    authorsOf(db, tenantId, [topic.authorId, topic.lastPosterId, ...posts.map((p) => p.authorId)]),
    mineOn(
      db,
      tenantId,
      v,
      posts.map((p) => p.id),
    ),
    me
      ? db
          .select()
          .from(forumTopicMembers)
          .where(
            tenantScope(db, tenantId).where(forumTopicMembers, eq(forumTopicMembers.topicId, topic.id), eq(forumTopicMembers.memberId, me)),
          )
          .get()
      : Promise.resolve(undefined),
  ]);
  return {
    topic: serializeTopic(topic, authors, category),
    posts: posts.map((p) => serializePost(p, authors, topic, v, mine)),
    next_after: more ? (pageRows[pageRows.length - 1]?.number ?? null) : null,
    read_position: state?.lastReadPostNumber ?? 0,
    notification_level: state?.level ?? "normal",
    can_reply: canReply(category, topic, v),
    can_accept: canAccept(topic, v),
    // Raw rows for server-rendered pages (they format on their own).
    rows: { topic, category, posts, authors },
  };
}

/** Counts a view (pages and the API's topic read call it once per request). */
export async function recordTopicView(db: Db, tenantId: string, id: string): Promise<void> {
  await db
    .update(forumTopics)
    .set({ viewCount: sql`${forumTopics.viewCount} + 1` })
    .where(and(eq(forumTopics.tenantId, tenantId), eq(forumTopics.id, id)));
}

export interface NewTopicInput {
  category_id: string;
  title: string;
  body: string;
  kind?: ForumTopicKind;
}

/** Starts a topic (status `pending` when the screen holds it). 404 for an unreadable category, 403 when the viewer may read but not start topics there. */
export async function createTopic(
  env: Env,
  db: Db,
  ctx: ForumCtx,
  v: Viewer,
  input: NewTopicInput,
  who?: Pick<MemberIdentity, "name" | "email">,
) {
  if (v.kind === "anonymous") throw forbidden("Sign in to start a topic.");
  const category = await readableCategory(db, ctx.tenantId, input.category_id, v);
  const acting = await actingMember(db, ctx.tenantId, v, who);
  if (isSuspended(acting)) throw suspendedProblem(acting.member);
  if (!canStartTopic(category, acting)) {
    throw forbidden(
      category.archivedAt
        ? "This category is archived."
        : category.topicAccess === "staff"
          ? "Only staff start topics in this category."
          : `Your trust level is too low to start topics in this category (needs ${category.minTrustToTopic}).`,
    );
  }
  const { rendered, mentioned, screen } = await preparePost(env, db, {
    tenantId: ctx.tenantId,
    settings: ctx.settings,
    site: ctx.site,
    member: acting.member,
    ip: ctx.ip,
    topicId: null,
    title: input.title,
    body: input.body,
  });
  const now = Date.now();
  const topic: TopicRow = {
    tenantId: ctx.tenantId,
    id: newId("ftop"),
    categoryId: category.id,
    authorId: acting.id,
    title: input.title.trim(),
    slug: slugify(input.title, "topic"),
    kind: input.kind ?? (category.questions ? "question" : "discussion"),
    status: screen.status,
    pin: "none",
    lockedAt: null,
    acceptedPostId: null,
    mergedIntoId: null,
    postCount: 1,
    lastPostNumber: 1,
    viewCount: 0,
    likeCount: 0,
    score: 0,
    lastPostedAt: now,
    lastPosterId: acting.id,
    firstStaffReplyAt: null,
    firstReplyAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const post: PostRow = {
    tenantId: ctx.tenantId,
    id: newId("fpost"),
    topicId: topic.id,
    number: 1,
    authorId: acting.id,
    replyToPostId: null,
    bodyMarkdown: input.body,
    bodyHtml: rendered.html,
    searchText: rendered.text,
    status: screen.status,
    hiddenReason: screen.heldFor,
    reactions: {},
    upvotes: 0,
    downvotes: 0,
    flagWeight: 0,
    revisionCount: 0,
    ip: ctx.ip,
    editedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(forumTopics).values(topic), // first: the FTS trigger on forum_posts reads the title
    db.insert(forumPosts).values(post),
    // The author watches their own topic (replies notify them) and has read its first post.
    db
      .insert(forumTopicMembers)
      .values({
        tenantId: ctx.tenantId,
        topicId: topic.id,
        memberId: acting.id,
        level: "watching",
        lastReadPostNumber: 1,
        firstVisitedAt: now,
        lastVisitedAt: now,
      })
      .onConflictDoNothing(),
    ...(screen.status === "visible" ? countVisiblePost(db, ctx.tenantId, post) : []),
  ]);
  await afterWrite(env, db, ctx.tenantId, post.id, acting.id);
  if (screen.status === "visible") await publishTopic(env, db, ctx, topic, post, category, acting.member, mentioned, rendered.quotes);
  return { topic, post, heldFor: screen.heldFor };
}

/** What a topic's first post does once visible (also moderation's approve of a held topic). */
export async function publishTopic(
  env: Env,
  db: Db,
  ctx: Pick<ForumCtx, "tenantId" | "site">,
  topic: TopicRow,
  post: PostRow,
  category: CategoryRow,
  author: Parameters<typeof notifyNewPost>[2]["author"],
  mentioned: Parameters<typeof notifyNewPost>[2]["mentioned"],
  quotes: Parameters<typeof notifyNewPost>[2]["quotes"],
) {
  await notifyNewPost(env, db, { tenantId: ctx.tenantId, site: ctx.site, post, topic, category, author, mentioned, quotes });
  await publishEventSafely(db, env.OUTBOX, {
    tenantId: ctx.tenantId,
    type: "forum.topic.created",
    data: {
      topic_id: topic.id,
      category_id: topic.categoryId,
      title: topic.title,
      kind: topic.kind,
      author_id: topic.authorId,
      url: `${ctx.site.origin}${topicPath(ctx.site.slug, topic)}`,
    },
  });
}
