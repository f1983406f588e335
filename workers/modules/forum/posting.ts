import { sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { forumCategories, forumMembers, type forumPosts, forumTopics } from "../../../schema/forum";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import type { ForumMemberRow } from "./access";
import { membersByUsernames } from "./members.service";
import { renderPost, type RenderedPost } from "./render";
import { afterPostWritten, screenNewPost } from "./screen";
import type { ForumSettingsRow } from "./settings.service";
import { refreshStanding } from "./standing";

/**
 * What every post write shares (a topic's first post, a reply, an edit): rendering with the
 * workspace's members for mentions, the spam screen (moderation's `screen.ts`), and the counters a
 * post adds when it becomes visible — the same statements whether it is visible at once
 * (posts.service, topics.create) or approved later (moderation's `approve`).
 */

export type PostRow = typeof forumPosts.$inferSelect;
export type Stmt = BatchItem<"sqlite">;

/** Where the community lives, for links in posts and notifications. */
export interface ForumSite {
  origin: string; // https://app.example (APP_URL or the request's origin)
  slug: string; // the workspace slug: /community/<slug>
  title: string; // the community's title (settings)
}

export const communityUrl = (site: ForumSite) => `${site.origin}/community/${site.slug}`;
export const profilePath = (slug: string, username: string) => `/community/${slug}/u/${encodeURIComponent(username)}`;
export const topicPath = (slug: string, topic: { slug: string; id: string }, postNumber?: number) =>
  `/community/${slug}/t/${topic.slug}/${topic.id}${postNumber && postNumber > 1 ? `#post-${postNumber}` : ""}`;

/** Renders a body with the mentioned members that exist linked to their profiles. */
export async function renderForTenant(db: Db, tenantId: string, slug: string, body: string) {
  const candidates = renderPost(body).mentions;
  const mentioned = await membersByUsernames(db, tenantId, candidates);
  const known = new Set(mentioned.map((m) => m.username));
  const rendered = renderPost(body, { knownMentions: known, profileUrl: (u) => profilePath(slug, u) });
  return { rendered, mentioned };
}

export interface PrepareInput {
  tenantId: string;
  settings: ForumSettingsRow;
  site: ForumSite;
  member: ForumMemberRow;
  ip: string | null;
  topicId: string | null;
  title: string | null;
  body: string;
}

/** Renders and screens a new post; throws the screen's problems (429, 422, 403). */
export async function preparePost(env: Env, db: Db, input: PrepareInput) {
  const { rendered, mentioned } = await renderForTenant(db, input.tenantId, input.site.slug, input.body);
  const screen = await screenNewPost(env, db, {
    tenantId: input.tenantId,
    member: input.member,
    settings: input.settings,
    ip: input.ip,
    topicId: input.topicId,
    title: input.title,
    bodyMarkdown: input.body,
    searchText: rendered.text,
    links: rendered.links,
    images: rendered.images,
  });
  return { rendered, mentioned, screen };
}

const isStaffAuthor = (authorId: string | SQL) =>
  sql`exists (select 1 from ${forumMembers} where ${forumMembers.tenantId} = ${forumTopics.tenantId} and ${forumMembers.id} = ${authorId} and (${forumMembers.kind} = 'staff' or ${forumMembers.moderator} = 1))`;

/**
 * The counter updates for a post that becomes visible (written visible, or approved): topic (replies),
 * category, and author. Put them in the same `db.batch()` as the status change. A first post
 * (number 1) counts its topic: the category's topic count and the author's topics.
 */
export function countVisiblePost(db: Db, tenantId: string, post: Pick<PostRow, "topicId" | "number" | "authorId" | "createdAt">): Stmt[] {
  return counterStatements(db, tenantId, post, 1);
}

/** The reverse of countVisiblePost, for a visible post that is hidden, deleted or rejected. */
export function uncountVisiblePost(db: Db, tenantId: string, post: Pick<PostRow, "topicId" | "number" | "authorId" | "createdAt">): Stmt[] {
  return counterStatements(db, tenantId, post, -1);
}

function counterStatements(
  db: Db,
  tenantId: string,
  post: Pick<PostRow, "topicId" | "number" | "authorId" | "createdAt">,
  d: 1 | -1,
): Stmt[] {
  const first = post.number === 1;
  const at = post.createdAt;
  const catOfTopic = sql`(select ${forumTopics.categoryId} from ${forumTopics} where ${forumTopics.tenantId} = ${tenantId} and ${forumTopics.id} = ${post.topicId})`;
  const stmts: Stmt[] = [
    db
      .update(forumCategories)
      .set({
        ...(first ? { topicCount: sql`max(0, ${forumCategories.topicCount} + ${d})` } : {}),
        postCount: sql`max(0, ${forumCategories.postCount} + ${d})`,
        ...(d > 0 ? { lastPostedAt: sql`max(coalesce(${forumCategories.lastPostedAt}, 0), ${at})` } : {}),
      })
      .where(sql`${forumCategories.tenantId} = ${tenantId} and ${forumCategories.id} = ${catOfTopic}`),
    db
      .update(forumMembers)
      .set({
        ...(first ? { topicCount: sql`max(0, ${forumMembers.topicCount} + ${d})` } : {}),
        postCount: sql`max(0, ${forumMembers.postCount} + ${d})`,
        ...(d > 0
          ? {
              approvedPostCount: sql`${forumMembers.approvedPostCount} + 1`,
              lastPostedAt: sql`max(coalesce(${forumMembers.lastPostedAt}, 0), ${at})`,
            }
          : {}),
        updatedAt: Date.now(),
      })
      .where(sql`${forumMembers.tenantId} = ${tenantId} and ${forumMembers.id} = ${post.authorId}`),
  ];
  if (!first) {
    stmts.push(
      db
        .update(forumTopics)
        .set(
          d > 0
            ? {
                postCount: sql`${forumTopics.postCount} + 1`,
                lastPostedAt: sql`max(${forumTopics.lastPostedAt}, ${at})`,
                lastPosterId: sql`case when ${at} >= ${forumTopics.lastPostedAt} then ${post.authorId} else ${forumTopics.lastPosterId} end`,
                firstReplyAt: sql`coalesce(${forumTopics.firstReplyAt}, ${at})`,
                firstStaffReplyAt: sql`case when ${isStaffAuthor(post.authorId)} then coalesce(${forumTopics.firstStaffReplyAt}, ${at}) else ${forumTopics.firstStaffReplyAt} end`,
              }
            : { postCount: sql`max(1, ${forumTopics.postCount} - 1)` },
        )
        .where(sql`${forumTopics.tenantId} = ${tenantId} and ${forumTopics.id} = ${post.topicId}`),
    );
  }
  return stmts;
}

const log = createLogger({ component: "forum" });

/** After a post row is written: the AI check's log and the author's standing (neither may fail the write). */
export async function afterWrite(env: Env, db: Db, tenantId: string, postId: string, authorId: string): Promise<void> {
  try {
    await afterPostWritten(env, db, tenantId, postId);
  } catch (e) {
    log.error("after_post_written_failed", { tenant_id: tenantId, post_id: postId, error: String(e) });
  }
  await standingSafely(env, db, tenantId, authorId);
}

export async function standingSafely(env: Env, db: Db, tenantId: string, memberId: string): Promise<void> {
  try {
    await refreshStanding(env, db, tenantId, memberId);
  } catch (e) {
    log.error("refresh_standing_failed", { tenant_id: tenantId, member_id: memberId, error: String(e) });
  }
}

export type { RenderedPost };
