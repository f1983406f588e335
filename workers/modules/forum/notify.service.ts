import { and, desc, eq, gt, inArray, isNull, lt, or } from "drizzle-orm";
import { forumCategoryMembers, forumNotices, forumTopicMembers } from "../../../schema/forum-reading";
import { forumMembers, forumPosts, forumSettings, forumTopics } from "../../../schema/forum";
import { tenantScope, type Db } from "../../platform/db";
import { getTenant, getUserProfile } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { getEndUser } from "../endusers";
import { send } from "../messaging";
import { canRead, type CategoryRow, type ForumMemberRow, type TopicRow, type Viewer } from "./access";
import { listCategoryRows } from "./categories.service";
import { communityUrl, topicPath, type ForumSite, type PostRow } from "./posting";
import { excerptOf } from "./render";
import { getSettings } from "./settings.service";

/**
 * Forum notifications, through messaging `send()` (category `product`, so the member's preferences
 * apply; template `forum.notification`, editable like every system template):
 *  - mention (`@you`), quote (`[quote=@you]`), reply (to your post): in-app and e-mail;
 *  - watching (a new post in a topic or category you watch): in-app only — the digest e-mails the rest;
 *  - accepted (your reply became the accepted answer): in-app and e-mail.
 * Rules: at most one notification per (post, member) — `forum_notices` records it first, so edits,
 * retries and approvals never send twice (the strongest reason wins: mention > quote > reply >
 * watching); never to the post's author; never to a member who cannot read the category (a
 * private category's post reaches only those who may read it); nothing from a topic the member
 * muted, and no watching/reply notices from a category they muted (mentions still arrive).
 */

const log = createLogger({ component: "forum.notify" });
type Reason = "mention" | "quote" | "reply" | "watching" | "accepted";
const WHAT: Record<Reason, string> = {
  mention: "mentioned you in",
  quote: "quoted you in",
  reply: "replied to you in",
  watching: "posted in",
  accepted: "accepted your answer in",
};

/** How a member would be seen as a reader (for the category's read rule). */
export const viewerOfMember = (m: ForumMemberRow): Viewer =>
  m.kind === "staff" ? { kind: "staff", id: m.id, member: m, role: "member" } : { kind: "enduser", id: m.id, member: m };

async function contactOf(db: Db, tenantId: string, m: ForumMemberRow): Promise<{ email: string | null }> {
  try {
    if (m.kind === "staff") return { email: (await getUserProfile(db, m.id))?.email ?? null };
    const u = await getEndUser(db, tenantId, m.id);
    return { email: u.blockedAt ? null : u.email };
  } catch {
    return { email: null }; // erased meanwhile
  }
}

interface Delivery {
  tenantId: string;
  site: ForumSite;
  post: Pick<PostRow, "id" | "number" | "searchText">;
  topic: Pick<TopicRow, "id" | "slug" | "title">;
  actorName: string;
}

/** Claims (post, member) in forum_notices and sends to the members it could claim. */
async function deliver(
  env: Env,
  db: Db,
  d: Delivery,
  recipients: Map<string, { member: ForumMemberRow; reason: Reason }>,
): Promise<number> {
  if (!recipients.size) return 0;
  const now = Date.now();
  const entries = [...recipients.values()];
  const claimed = new Set<string>();
  for (let i = 0; i < entries.length; i += 20) {
    const chunk = entries.slice(i, i + 20);
    const rows = await db
      .insert(forumNotices)
      .values(chunk.map((e) => ({ tenantId: d.tenantId, postId: d.post.id, memberId: e.member.id, reason: e.reason, createdAt: now })))
      .onConflictDoNothing()
      .returning({ memberId: forumNotices.memberId });
    for (const r of rows) claimed.add(r.memberId);
  }
  const link = `${d.site.origin}${topicPath(d.site.slug, d.topic, d.post.number)}`;
  let sent = 0;
  for (const e of entries) {
    if (!claimed.has(e.member.id)) continue;
    const { email } = await contactOf(db, d.tenantId, e.member);
    const channels: ("in_app" | "email")[] = e.reason === "watching" || !email ? ["in_app"] : ["in_app", "email"];
    try {
      await send(db, env.OUTBOX, {
        tenantId: d.tenantId,
        to: { userId: e.member.id, ...(email ? { email } : {}) },
        channels,
        template: "forum.notification",
        data: {
          site: d.site.title,
          actor: d.actorName,
          what: WHAT[e.reason],
          topic: d.topic.title,
          excerpt: excerptOf(d.post.searchText, 280),
          link,
        },
        category: "product",
        idempotencyKey: `forum:${d.post.id}:${e.member.id}`,
      });
      sent++;
    } catch (err) {
      log.error("forum_notify_failed", { tenant_id: d.tenantId, post_id: d.post.id, member_id: e.member.id, error: String(err) });
    }
  }
  return sent;
}

async function membersById(db: Db, tenantId: string, ids: string[]): Promise<Map<string, ForumMemberRow>> {
  const out = new Map<string, ForumMemberRow>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 90) {
    const rows = await db
      .select()
      .from(forumMembers)
      .where(tenantScope(db, tenantId).where(forumMembers, inArray(forumMembers.id, unique.slice(i, i + 90))));
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

export interface NewPostNotice {
  tenantId: string;
  site: ForumSite;
  post: PostRow;
  topic: TopicRow;
  category: CategoryRow;
  author: ForumMemberRow;
  /** Mentioned members that exist (posting.renderForTenant). */
  mentioned: ForumMemberRow[];
  quotes: { username: string; postId: string | null }[];
  /** An edit: only mentions and quotes (new ones — the rest were claimed when it was posted). */
  edit?: boolean;
}

/** Notifications for a post that is visible (written visible, or approved later). Returns how many were sent. */
export async function notifyNewPost(env: Env, db: Db, n: NewPostNotice): Promise<number> {
  if (n.post.status !== "visible") return 0;
  const { tenantId } = n;
  const levels = await db
    .select({ memberId: forumTopicMembers.memberId, level: forumTopicMembers.level })
    .from(forumTopicMembers)
    .where(tenantScope(db, tenantId).where(forumTopicMembers, eq(forumTopicMembers.topicId, n.topic.id)));
  const catLevels = await db
    .select({ memberId: forumCategoryMembers.memberId, level: forumCategoryMembers.level })
    .from(forumCategoryMembers)
    .where(tenantScope(db, tenantId).where(forumCategoryMembers, eq(forumCategoryMembers.categoryId, n.category.id)));
  const topicLevel = new Map(levels.map((l) => [l.memberId, l.level]));
  const catLevel = new Map(catLevels.map((l) => [l.memberId, l.level]));

  const want: { id: string; reason: Reason }[] = [];
  for (const m of n.mentioned) want.push({ id: m.id, reason: "mention" });
  const quotedNames = n.quotes.map((q) => q.username);
  if (quotedNames.length) {
    const quoted = await db
      .select({ id: forumMembers.id })
      .from(forumMembers)
      .where(tenantScope(db, tenantId).where(forumMembers, inArray(forumMembers.username, quotedNames.slice(0, 20))));
    for (const q of quoted) want.push({ id: q.id, reason: "quote" });
  }
  if (n.post.replyToPostId && !n.edit) {
    const parent = await db
      .select({ authorId: forumPosts.authorId })
      .from(forumPosts)
      .where(tenantScope(db, tenantId).where(forumPosts, eq(forumPosts.id, n.post.replyToPostId)))
      .get();
    if (parent) want.push({ id: parent.authorId, reason: "reply" });
  }
  if (!n.edit) {
    for (const [id, level] of topicLevel) if (level === "watching") want.push({ id, reason: "watching" });
    for (const [id, level] of catLevel) if (level === "watching" && topicLevel.get(id) === undefined) want.push({ id, reason: "watching" });
  }

  const members = await membersById(
    db,
    tenantId,
    want.map((w) => w.id),
  );
  const recipients = new Map<string, { member: ForumMemberRow; reason: Reason }>();
  for (const w of want) {
    if (recipients.has(w.id) || w.id === n.post.authorId) continue; // first (strongest) reason wins; never the author
    const m = members.get(w.id);
    if (!m || !canRead(n.category, viewerOfMember(m))) continue;
    if (topicLevel.get(w.id) === "muted") continue;
    if (w.reason !== "mention" && w.reason !== "quote" && catLevel.get(w.id) === "muted" && topicLevel.get(w.id) !== "watching") continue;
    recipients.set(w.id, { member: m, reason: w.reason });
  }
  return deliver(env, db, { tenantId, site: n.site, post: n.post, topic: n.topic, actorName: n.author.displayName }, recipients);
}

/** The answer's author learns their reply was accepted (once per answer, whoever accepted it). */
export async function notifyAccepted(
  env: Env,
  db: Db,
  o: { tenantId: string; site: ForumSite; topic: TopicRow; category: CategoryRow; answer: PostRow; acceptedBy: ForumMemberRow },
): Promise<number> {
  if (o.answer.authorId === o.acceptedBy.id) return 0;
  const author = (await membersById(db, o.tenantId, [o.answer.authorId])).get(o.answer.authorId);
  if (!author || !canRead(o.category, viewerOfMember(author))) return 0;
  return deliver(
    env,
    db,
    { tenantId: o.tenantId, site: o.site, post: o.answer, topic: o.topic, actorName: o.acceptedBy.displayName },
    new Map([[author.id, { member: author, reason: "accepted" as const }]]),
  );
}

// ── the digest ──────────────────────────────────────────────────────────────────────────────────

const HOUR = 3_600_000;
const DIGEST_MEMBERS_PER_RUN = 200;

/**
 * The e-mail digest (cron): every `digest_hours`, a member who has not visited since their last
 * digest gets the newest topics (up to 10, most replied first) they may read that appeared since
 * then — nothing when there is nothing new. Category `product`: members who turned product
 * e-mails off get none. Returns digests sent.
 */
export async function runForumDigest(env: Env, db: Db, now = Date.now()): Promise<number> {
  const tenants = await db
    .select({ tenantId: forumSettings.tenantId })
    .from(forumSettings)
    .where(and(eq(forumSettings.enabled, true), gt(forumSettings.digestHours, 0)));
  let sent = 0;
  for (const { tenantId } of tenants) {
    try {
      sent += await digestTenant(env, db, tenantId, now);
    } catch (e) {
      log.error("forum_digest_failed", { tenant_id: tenantId, error: String(e) });
    }
  }
  return sent;
}

export async function digestTenant(env: Env, db: Db, tenantId: string, now = Date.now()): Promise<number> {
  const settings = await getSettings(db, tenantId);
  if (!settings.enabled || settings.digestHours <= 0) return 0;
  const window = settings.digestHours * HOUR;
  const due = await db
    .select()
    .from(forumMembers)
    .where(
      tenantScope(db, tenantId).where(
        forumMembers,
        or(isNull(forumMembers.lastDigestAt), lt(forumMembers.lastDigestAt, now - window)),
        lt(forumMembers.createdAt, now - window),
        or(isNull(forumMembers.lastSeenAt), lt(forumMembers.lastSeenAt, now - window)),
      ),
    )
    .limit(DIGEST_MEMBERS_PER_RUN);
  if (!due.length) return 0;
  const tenant = await getTenant(db, tenantId);
  const site: ForumSite = { origin: env.APP_URL, slug: tenant.slug, title: settings.title };
  const categories = await listCategoryRows(db, tenantId);
  const oldestSince = Math.min(...due.map((m) => m.lastDigestAt ?? now - window));
  const recent = await db
    .select()
    .from(forumTopics)
    .where(tenantScope(db, tenantId).where(forumTopics, eq(forumTopics.status, "visible"), gt(forumTopics.createdAt, oldestSince)))
    .orderBy(desc(forumTopics.postCount), desc(forumTopics.createdAt))
    .limit(100);
  let sent = 0;
  for (const m of due) {
    const since = m.lastDigestAt ?? now - window;
    const v = viewerOfMember(m);
    const readable = new Set(categories.filter((c) => canRead(c, v)).map((c) => c.id));
    const topics = recent.filter((t) => t.createdAt > since && readable.has(t.categoryId) && t.authorId !== m.id).slice(0, 10);
    // Stamp first: a crash after sending never sends the same window twice (the key would refuse it anyway).
    await db
      .update(forumMembers)
      .set({ lastDigestAt: now })
      .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, m.id)));
    if (!topics.length) continue;
    const { email } = await contactOf(db, tenantId, m);
    if (!email) continue;
    const lines = topics.map((t) => `• ${t.title} (${t.postCount - 1} replies) — ${site.origin}${topicPath(site.slug, t)}`).join("\n");
    await send(db, env.OUTBOX, {
      tenantId,
      to: { email, userId: m.id },
      channels: ["email"],
      template: "forum.digest",
      data: { site: site.title, count: topics.length, topics: lines, link: communityUrl(site) },
      category: "product",
      idempotencyKey: `forum.digest:${m.id}:${Math.floor(now / window)}`,
    });
    sent++;
  }
  return sent;
}
