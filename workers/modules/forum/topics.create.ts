// Starting a topic (topic row, first post and the author's watch in one batch) and what its first post does once visible.
import { forumPosts, forumTopics, type ForumTopicKind } from "../../../schema/forum";
import { forumTopicMembers } from "../../../schema/forum-reading";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { forbidden } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { publishEventSafely } from "../webhooks";
import { canStartTopic, isSuspended, type CategoryRow, type TopicRow, type Viewer } from "./access";
import { readableCategory, slugify } from "./categories.service";
import { actingMember, type MemberIdentity } from "./members.service";
import { notifyNewPost } from "./notify.service";
import { afterWrite, countVisiblePost, preparePost, topicPath, type PostRow } from "./posting";
import { suspendedProblem } from "./screen";
import type { ForumCtx } from "./topics.service";

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
