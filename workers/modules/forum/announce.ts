import { and, eq } from "drizzle-orm";
import { forumPosts } from "../../../schema/forum";
import type { Db } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { getCategoryRow } from "./categories.service";
import { getMemberRow } from "./members.service";
import { renderForTenant, type ForumSite } from "./posting";
import { publishReply } from "./posts.service";
import { getSettings } from "./settings.service";
import { publishTopic } from "./topics.create";
import { getTopicRow } from "./topics.service";

/**
 * A held post that a moderator approves (or whose AI hold staff override) does now what it would have
 * done had it been visible at once: mention/reply/watching notifications (each at most once per post
 * and member — forum_notices) and the `forum.topic.created` / `forum.post.created` events. Call it
 * after the approval's batch; a post that is not visible (approved and hidden again meanwhile) is
 * left alone.
 */
export async function announceApprovedPost(env: Env, db: Db, tenantId: string, postId: string): Promise<void> {
  const post = await db
    .select()
    .from(forumPosts)
    .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.id, postId)))
    .get();
  if (post?.status !== "visible") return;
  const author = await getMemberRow(db, tenantId, post.authorId);
  if (!author) return; // erased meanwhile
  const [tenant, settings] = await Promise.all([getTenant(db, tenantId), getSettings(db, tenantId)]);
  const site: ForumSite = { origin: env.APP_URL, slug: tenant.slug, title: settings.title };
  const { rendered, mentioned } = await renderForTenant(db, tenantId, site.slug, post.bodyMarkdown);
  const ctx = { tenantId, site };
  if (post.number === 1) {
    const topic = await getTopicRow(db, tenantId, post.topicId);
    const category = await getCategoryRow(db, tenantId, topic.categoryId);
    await publishTopic(env, db, ctx, topic, post, category, author, mentioned, rendered.quotes);
  } else await publishReply(env, db, ctx, post, author, mentioned, rendered.quotes);
}

/** Whether the post is held (pending) right now — read before an override that may release it. */
export async function isPending(db: Db, tenantId: string, postId: string): Promise<boolean> {
  const row = await db
    .select({ status: forumPosts.status })
    .from(forumPosts)
    .where(and(eq(forumPosts.tenantId, tenantId), eq(forumPosts.id, postId)))
    .get();
  return row?.status === "pending";
}
