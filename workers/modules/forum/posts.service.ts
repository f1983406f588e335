import { and, asc, eq, sql } from "drizzle-orm";
import { forumMembers, forumPostRevisions, forumPosts, forumTopics } from "../../../schema/forum";
import { forumTopicMembers } from "../../../schema/forum-reading";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, forbidden, notFound, Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { iso } from "../../platform/request";
import { publishEventSafely } from "../webhooks";
import { canAccept, canReply, isModerator, isSuspended, viewerId, type Viewer } from "./access";
import { getCategoryRow, slugify } from "./categories.service";
import { actingMember, authorsOf, DELETED_AUTHOR, getMemberRow, type MemberIdentity } from "./members.service";
import { notifyAccepted, notifyNewPost } from "./notify.service";
import { afterWrite, countVisiblePost, preparePost, renderForTenant, standingSafely, topicPath, type PostRow } from "./posting";
import { suspendedProblem } from "./screen";
import { postVisibleTo } from "./topics.posts";
import { getTopicRow, loadTopicFor, type ForumCtx } from "./topics.service";

/** Replies (incl. quote replies), edits with revisions, and accepted answers. */

export { countVisiblePost, uncountVisiblePost } from "./posting";

export async function getPostRow(db: Db, tenantId: string, id: string): Promise<PostRow> {
  const row = await db
    .select()
    .from(forumPosts)
    .where(tenantScope(db, tenantId).where(forumPosts, eq(forumPosts.id, id)))
    .get();
  if (!row) throw notFound("Post");
  return row;
}

/** A post with its topic and category as the viewer may see them; 404 otherwise. */
export async function loadPostFor(db: Db, tenantId: string, id: string, v: Viewer) {
  const post = await getPostRow(db, tenantId, id);
  const { topic, category } = await loadTopicFor(db, tenantId, post.topicId, v).catch(() => {
    throw notFound("Post");
  });
  if (!postVisibleTo(post, v) || post.status === "deleted") throw notFound("Post");
  return { post, topic, category };
}

export interface ReplyInput {
  body: string;
  reply_to_post_id?: string | null;
}

/** Replies to a topic (a quote reply carries `[quote=@user post=ID]` in its body). */
export async function reply(
  env: Env,
  db: Db,
  ctx: ForumCtx,
  v: Viewer,
  topicId: string,
  input: ReplyInput,
  who?: Pick<MemberIdentity, "name" | "email">,
) {
  if (v.kind === "anonymous") throw forbidden("Sign in to reply.");
  const { topic, category } = await loadTopicFor(db, ctx.tenantId, topicId, v);
  const acting = await actingMember(db, ctx.tenantId, v, who);
  if (isSuspended(acting)) throw suspendedProblem(acting.member);
  if (!canReply(category, topic, acting)) {
    throw forbidden(
      topic.lockedAt ? "This topic is locked." : category.archivedAt ? "This category is archived." : "Only staff reply in this category.",
    );
  }
  if (input.reply_to_post_id) {
    const parent = await getPostRow(db, ctx.tenantId, input.reply_to_post_id).catch(() => null);
    if (!parent || parent.topicId !== topic.id || !postVisibleTo(parent, acting)) throw notFound("Post");
  }
  const { rendered, mentioned, screen } = await preparePost(env, db, {
    tenantId: ctx.tenantId,
    settings: ctx.settings,
    site: ctx.site,
    member: acting.member,
    ip: ctx.ip,
    topicId: topic.id,
    title: null,
    body: input.body,
  });
  const now = Date.now();
  const id = newId("fpost");
  const topicWhere = sql`${forumTopics.tenantId} = ${ctx.tenantId} and ${forumTopics.id} = ${topic.id}`;
  const nextNumber = sql`(select ${forumTopics.lastPostNumber} from ${forumTopics} where ${topicWhere})`;
  const base = {
    tenantId: ctx.tenantId,
    id,
    topicId: topic.id,
    authorId: acting.id,
    replyToPostId: input.reply_to_post_id ?? null,
    bodyMarkdown: input.body,
    bodyHtml: rendered.html,
    searchText: rendered.text,
    status: screen.status,
    hiddenReason: screen.heldFor,
    reactions: {},
    ip: ctx.ip,
    createdAt: now,
    updatedAt: now,
  };
  // The number comes from the topic row inside the batch (a transaction): two replies at once get
  // consecutive numbers, never the same one.
  const [, inserted] = await db.batch([
    db
      .update(forumTopics)
      .set({ lastPostNumber: sql`${forumTopics.lastPostNumber} + 1`, updatedAt: now })
      .where(topicWhere),
    db
      .insert(forumPosts)
      .values({ ...base, number: nextNumber })
      .returning(),
    db
      .insert(forumTopicMembers)
      .values({
        tenantId: ctx.tenantId,
        topicId: topic.id,
        memberId: acting.id,
        level: "tracking",
        lastReadPostNumber: nextNumber,
        firstVisitedAt: now,
        lastVisitedAt: now,
      })
      .onConflictDoUpdate({
        target: [forumTopicMembers.tenantId, forumTopicMembers.topicId, forumTopicMembers.memberId],
        set: { lastReadPostNumber: nextNumber, lastVisitedAt: now },
      }),
    // Only whether it is the first post matters to the counters; a reply never is.
    ...(screen.status === "visible" ? countVisiblePost(db, ctx.tenantId, { ...base, number: 2 }) : []),
  ]);
  const post = inserted[0] as PostRow;
  await afterWrite(env, db, ctx.tenantId, post.id, acting.id);
  if (post.status === "visible") await publishReply(env, db, ctx, post, acting.member, mentioned, rendered.quotes);
  return { post, topic, heldFor: screen.heldFor };
}

/** What a reply does once visible (also moderation's approve of a held reply). */
export async function publishReply(
  env: Env,
  db: Db,
  ctx: Pick<ForumCtx, "tenantId" | "site">,
  post: PostRow,
  author: Parameters<typeof notifyNewPost>[2]["author"],
  mentioned: Parameters<typeof notifyNewPost>[2]["mentioned"],
  quotes: Parameters<typeof notifyNewPost>[2]["quotes"],
) {
  const topic = await getTopicRow(db, ctx.tenantId, post.topicId);
  const category = await getCategoryRow(db, ctx.tenantId, topic.categoryId);
  await notifyNewPost(env, db, { tenantId: ctx.tenantId, site: ctx.site, post, topic, category, author, mentioned, quotes });
  await publishEventSafely(db, env.OUTBOX, {
    tenantId: ctx.tenantId,
    type: "forum.post.created",
    data: {
      post_id: post.id,
      topic_id: post.topicId,
      number: post.number,
      author_id: post.authorId,
      url: `${ctx.site.origin}${topicPath(ctx.site.slug, topic, post.number)}`,
    },
  });
}

export interface EditInput {
  body: string;
  title?: string;
  reason?: string;
}

/**
 * Edits a post (its author, or a moderator). The text before the edit becomes a revision unless the
 * author edits within the grace period (`editGraceMinutes`) of posting and no revision exists yet.
 * A title change (first post only) changes the topic's title and slug. Mentions added by the edit
 * are notified; those notified before are not notified again.
 */
export async function editPost(env: Env, db: Db, ctx: ForumCtx, v: Viewer, postId: string, input: EditInput) {
  if (v.kind === "anonymous") throw forbidden("Sign in to edit.");
  const { post, topic, category } = await loadPostFor(db, ctx.tenantId, postId, v);
  const own = viewerId(v) === post.authorId;
  if (!own && !isModerator(v)) throw forbidden("You can edit only your own posts.");
  if (isSuspended(v) && v.member) throw suspendedProblem(v.member);
  if (input.title !== undefined && post.number !== 1)
    throw badRequest("Only a topic's first post has a title.", { errors: [{ path: "title", message: "only on the first post" }] });
  if (topic.lockedAt && !isModerator(v)) throw forbidden("This topic is locked.");
  const { rendered, mentioned } = await renderForTenant(db, ctx.tenantId, ctx.site.slug, input.body);
  const now = Date.now();
  const titleChanged = input.title !== undefined && input.title.trim() !== topic.title;
  const bodyChanged = input.body !== post.bodyMarkdown;
  if (!bodyChanged && !titleChanged) return { post, topic };
  const inGrace = own && post.revisionCount === 0 && now - post.createdAt < ctx.settings.rules.editGraceMinutes * 60_000;
  const revision = !inGrace;
  const editorId = viewerId(v) ?? post.authorId;
  const stmts = [];
  if (revision) {
    stmts.push(
      db.insert(forumPostRevisions).values({
        tenantId: ctx.tenantId,
        id: newId("frev"),
        postId: post.id,
        editorId,
        number: post.revisionCount + 1,
        title: titleChanged ? topic.title : null,
        bodyMarkdown: post.bodyMarkdown,
        reason: input.reason ?? null,
        createdAt: now,
      }),
    );
  }
  const postSet = {
    bodyMarkdown: input.body,
    bodyHtml: rendered.html,
    searchText: rendered.text,
    revisionCount: revision ? post.revisionCount + 1 : post.revisionCount,
    editedAt: now,
    updatedAt: now,
  };
  stmts.push(
    db
      .update(forumPosts)
      .set(postSet)
      .where(and(eq(forumPosts.tenantId, ctx.tenantId), eq(forumPosts.id, post.id))),
  );
  const title = input.title?.trim() ?? topic.title;
  if (titleChanged) {
    stmts.push(
      db
        .update(forumTopics)
        .set({ title, slug: slugify(title, "topic"), updatedAt: now })
        .where(and(eq(forumTopics.tenantId, ctx.tenantId), eq(forumTopics.id, topic.id))),
    );
  }
  await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
  const updated: PostRow = { ...post, ...postSet };
  const updatedTopic = { ...topic, title, slug: titleChanged ? slugify(title, "topic") : topic.slug };
  if (updated.status === "visible") {
    const author = await getMemberRow(db, ctx.tenantId, post.authorId);
    if (author)
      await notifyNewPost(env, db, {
        tenantId: ctx.tenantId,
        site: ctx.site,
        post: updated,
        topic: updatedTopic,
        category,
        author,
        mentioned,
        quotes: rendered.quotes,
        edit: true,
      });
  }
  return { post: updated, topic: updatedTopic };
}

/** The edit history of a post the viewer may see: the original first, the current text last. */
export async function postRevisions(db: Db, tenantId: string, v: Viewer, postId: string) {
  const { post, topic } = await loadPostFor(db, tenantId, postId, v);
  const rows = await db
    .select()
    .from(forumPostRevisions)
    .where(tenantScope(db, tenantId).where(forumPostRevisions, eq(forumPostRevisions.postId, post.id)))
    .orderBy(asc(forumPostRevisions.number));
  const authors = await authorsOf(db, tenantId, [post.authorId, ...rows.map((r) => r.editorId)]);
  // Each revision holds the text *before* edit n; its editor is who made edit n.
  return {
    post_id: post.id,
    data: [
      ...rows.map((r, i) => ({
        number: r.number,
        title: r.title,
        body_markdown: r.bodyMarkdown,
        edited_by: i === 0 ? (authors.get(post.authorId) ?? DELETED_AUTHOR) : (authors.get(rows[i - 1]?.editorId ?? "") ?? DELETED_AUTHOR),
        reason: i === 0 ? null : (rows[i - 1]?.reason ?? null),
        created_at: new Date(i === 0 ? post.createdAt : (rows[i - 1]?.createdAt ?? post.createdAt)).toISOString(),
        current: false,
      })),
      {
        number: rows.length + 1,
        title: post.number === 1 ? topic.title : null,
        body_markdown: post.bodyMarkdown,
        edited_by: rows.length
          ? (authors.get(rows[rows.length - 1]?.editorId ?? "") ?? DELETED_AUTHOR)
          : (authors.get(post.authorId) ?? DELETED_AUTHOR),
        reason: rows.length ? (rows[rows.length - 1]?.reason ?? null) : null,
        created_at: iso(post.editedAt ?? post.createdAt),
        current: true,
      },
    ],
  };
}

/** Marks a reply the accepted answer of a question topic (the asker, staff or a moderator). */
export async function acceptAnswer(
  env: Env,
  db: Db,
  ctx: ForumCtx,
  v: Viewer,
  topicId: string,
  postId: string,
  who?: Pick<MemberIdentity, "name" | "email">,
) {
  if (v.kind === "anonymous") throw forbidden("Sign in first.");
  const { topic, category } = await loadTopicFor(db, ctx.tenantId, topicId, v);
  if (topic.kind !== "question")
    throw new Problem(422, "not-a-question", "Not a question", "Only question topics have an accepted answer.");
  const acting = await actingMember(db, ctx.tenantId, v, who);
  if (!canAccept(topic, acting)) throw forbidden("Only the asker, staff and moderators mark the accepted answer.");
  const answer = await getPostRow(db, ctx.tenantId, postId).catch(() => null);
  if (!answer || answer.topicId !== topic.id || answer.status !== "visible") throw notFound("Post");
  if (answer.number === 1) throw new Problem(422, "not-a-reply", "Not a reply", "The question itself cannot be its answer.");
  if (topic.acceptedPostId === answer.id) return { topic, answer };
  const previous = topic.acceptedPostId ? await getPostRow(db, ctx.tenantId, topic.acceptedPostId).catch(() => null) : null;
  const now = Date.now();
  await db.batch([
    db
      .update(forumTopics)
      .set({ acceptedPostId: answer.id, updatedAt: now })
      .where(and(eq(forumTopics.tenantId, ctx.tenantId), eq(forumTopics.id, topic.id))),
    db
      .update(forumMembers)
      .set({ acceptedAnswers: sql`${forumMembers.acceptedAnswers} + 1` })
      .where(and(eq(forumMembers.tenantId, ctx.tenantId), eq(forumMembers.id, answer.authorId))),
    ...(previous
      ? [
          db
            .update(forumMembers)
            .set({ acceptedAnswers: sql`max(0, ${forumMembers.acceptedAnswers} - 1)` })
            .where(and(eq(forumMembers.tenantId, ctx.tenantId), eq(forumMembers.id, previous.authorId))),
        ]
      : []),
  ]);
  const updated = { ...topic, acceptedPostId: answer.id };
  await standingSafely(env, db, ctx.tenantId, answer.authorId);
  if (previous) await standingSafely(env, db, ctx.tenantId, previous.authorId);
  await notifyAccepted(env, db, { tenantId: ctx.tenantId, site: ctx.site, topic: updated, category, answer, acceptedBy: acting.member });
  await publishEventSafely(db, env.OUTBOX, {
    tenantId: ctx.tenantId,
    type: "forum.answer.accepted",
    data: { topic_id: topic.id, post_id: answer.id, answerer_id: answer.authorId, accepted_by: acting.id },
  });
  return { topic: updated, answer };
}

export async function unacceptAnswer(env: Env, db: Db, ctx: ForumCtx, v: Viewer, topicId: string) {
  if (v.kind === "anonymous") throw forbidden("Sign in first.");
  const { topic } = await loadTopicFor(db, ctx.tenantId, topicId, v);
  if (topic.kind !== "question")
    throw new Problem(422, "not-a-question", "Not a question", "Only question topics have an accepted answer.");
  if (!canAccept(topic, v)) throw forbidden("Only the asker, staff and moderators change the accepted answer.");
  if (!topic.acceptedPostId) return { topic };
  const previous = await getPostRow(db, ctx.tenantId, topic.acceptedPostId).catch(() => null);
  await db.batch([
    db
      .update(forumTopics)
      .set({ acceptedPostId: null, updatedAt: Date.now() })
      .where(and(eq(forumTopics.tenantId, ctx.tenantId), eq(forumTopics.id, topic.id))),
    ...(previous
      ? [
          db
            .update(forumMembers)
            .set({ acceptedAnswers: sql`max(0, ${forumMembers.acceptedAnswers} - 1)` })
            .where(and(eq(forumMembers.tenantId, ctx.tenantId), eq(forumMembers.id, previous.authorId))),
        ]
      : []),
  ]);
  if (previous) await standingSafely(env, db, ctx.tenantId, previous.authorId);
  return { topic: { ...topic, acceptedPostId: null } };
}
