import { and, eq, sql } from "drizzle-orm";
import { forumCategoryMembers, forumDrafts, forumTopicMembers, type ForumNotificationLevel } from "../../../schema/forum-reading";
import { forumMembers, forumTopics } from "../../../schema/forum";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, forbidden, notFound } from "../../platform/errors";
import { iso } from "../../platform/request";
import type { Viewer } from "./access";
import { readableCategories, readableCategory } from "./categories.service";
import { actingMember, type MemberIdentity } from "./members.service";
import { standingSafely } from "./posting";
import { loadTopicFor } from "./topics.service";

/**
 * Per-member reading state: read positions and time (timings), days visited, unread/new counts per
 * category, notification levels for topics and categories, and drafts saved as you type.
 */

type Who = Pick<MemberIdentity, "name" | "email">;
const MAX_SECONDS_PER_TIMING = 600; // one report covers at most ten minutes (a tab left open reads nothing)
const NEW_TOPIC_DAYS = 14;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Records that the viewer read a topic up to post `read_to`, spending `seconds` (capped). */
export async function recordTimings(
  env: Env,
  db: Db,
  tenantId: string,
  v: Viewer,
  topicId: string,
  input: { read_to: number; seconds: number },
  who?: Who,
) {
  if (v.kind === "anonymous") throw forbidden("Sign in to keep your reading position.");
  const { topic } = await loadTopicFor(db, tenantId, topicId, v);
  const acting = await actingMember(db, tenantId, v, who);
  const now = Date.now();
  const readTo = Math.max(0, Math.min(Math.floor(input.read_to), topic.lastPostNumber));
  const seconds = Math.max(0, Math.min(Math.floor(input.seconds), MAX_SECONDS_PER_TIMING));
  const existing = await db
    .select()
    .from(forumTopicMembers)
    .where(
      tenantScope(db, tenantId).where(
        forumTopicMembers,
        eq(forumTopicMembers.topicId, topic.id),
        eq(forumTopicMembers.memberId, acting.id),
      ),
    )
    .get();
  const before = existing?.lastReadPostNumber ?? 0;
  const newlyRead = Math.max(0, readTo - before);
  const today = dayOf(now);
  await db.batch([
    db
      .insert(forumTopicMembers)
      .values({
        tenantId,
        topicId: topic.id,
        memberId: acting.id,
        level: "normal",
        lastReadPostNumber: readTo,
        readSeconds: seconds,
        firstVisitedAt: now,
        lastVisitedAt: now,
      })
      .onConflictDoUpdate({
        target: [forumTopicMembers.tenantId, forumTopicMembers.topicId, forumTopicMembers.memberId],
        set: {
          lastReadPostNumber: sql`max(${forumTopicMembers.lastReadPostNumber}, ${readTo})`,
          readSeconds: sql`${forumTopicMembers.readSeconds} + ${seconds}`,
          lastVisitedAt: now,
        },
      }),
    db
      .update(forumMembers)
      .set({
        postsRead: sql`${forumMembers.postsRead} + ${newlyRead}`,
        readSeconds: sql`${forumMembers.readSeconds} + ${seconds}`,
        topicsEntered: sql`${forumMembers.topicsEntered} + ${existing ? 0 : 1}`,
        daysVisited: sql`${forumMembers.daysVisited} + (coalesce(${forumMembers.lastVisitDay}, '') <> ${today})`,
        lastVisitDay: today,
        lastSeenAt: now,
      })
      .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, acting.id))),
  ]);
  await standingSafely(env, db, tenantId, acting.id);
  return { topic_id: topic.id, read_position: Math.max(before, readTo), seconds_counted: seconds };
}

/**
 * Unread and new topics per category for a signed-in member: unread = topics they entered (not
 * muted) with posts after their read position; new = topics of the last 14 days (and since they
 * joined) they have not opened. Muted categories count nothing. Anonymous viewers and members
 * without a row get an empty map.
 */
export async function unreadCounts(db: Db, tenantId: string, v: Viewer): Promise<Map<string, { unread: number; new: number }>> {
  const out = new Map<string, { unread: number; new: number }>();
  if (v.kind === "anonymous" || !v.member) return out;
  const since = Math.max(v.member.createdAt, Date.now() - NEW_TOPIC_DAYS * 86_400_000);
  const rows = await db.all<{ category_id: string; unread: number; fresh: number }>(sql`
    SELECT t.category_id AS category_id,
      sum(CASE WHEN tm.member_id IS NOT NULL AND tm.level <> 'muted' AND tm.last_read_post_number < t.last_post_number THEN 1 ELSE 0 END) AS unread,
      sum(CASE WHEN tm.member_id IS NULL AND t.created_at > ${since} THEN 1 ELSE 0 END) AS fresh
    FROM ${forumTopics} t
    LEFT JOIN ${forumTopicMembers} tm ON tm.tenant_id = t.tenant_id AND tm.topic_id = t.id AND tm.member_id = ${v.id}
    WHERE t.tenant_id = ${tenantId} AND t.status = 'visible'
    GROUP BY t.category_id`);
  const muted = await db
    .select({ categoryId: forumCategoryMembers.categoryId })
    .from(forumCategoryMembers)
    .where(
      tenantScope(db, tenantId).where(
        forumCategoryMembers,
        eq(forumCategoryMembers.memberId, v.id),
        eq(forumCategoryMembers.level, "muted"),
      ),
    );
  const mutedIds = new Set(muted.map((m) => m.categoryId));
  const readable = new Set((await readableCategories(db, tenantId, v)).map((c) => c.id));
  for (const r of rows) {
    if (!readable.has(r.category_id) || mutedIds.has(r.category_id)) continue;
    out.set(r.category_id, { unread: Number(r.unread) || 0, new: Number(r.fresh) || 0 });
  }
  return out;
}

export async function setTopicLevel(db: Db, tenantId: string, v: Viewer, topicId: string, level: ForumNotificationLevel, who?: Who) {
  if (v.kind === "anonymous") throw forbidden("Sign in first.");
  const { topic } = await loadTopicFor(db, tenantId, topicId, v);
  const acting = await actingMember(db, tenantId, v, who);
  const now = Date.now();
  await db
    .insert(forumTopicMembers)
    .values({ tenantId, topicId: topic.id, memberId: acting.id, level, firstVisitedAt: now, lastVisitedAt: now })
    .onConflictDoUpdate({ target: [forumTopicMembers.tenantId, forumTopicMembers.topicId, forumTopicMembers.memberId], set: { level } });
  return { topic_id: topic.id, level };
}

export async function setCategoryLevel(db: Db, tenantId: string, v: Viewer, categoryId: string, level: ForumNotificationLevel, who?: Who) {
  if (v.kind === "anonymous") throw forbidden("Sign in first.");
  const category = await readableCategory(db, tenantId, categoryId, v);
  const acting = await actingMember(db, tenantId, v, who);
  await db
    .insert(forumCategoryMembers)
    .values({ tenantId, categoryId: category.id, memberId: acting.id, level, updatedAt: Date.now() })
    .onConflictDoUpdate({
      target: [forumCategoryMembers.tenantId, forumCategoryMembers.categoryId, forumCategoryMembers.memberId],
      set: { level, updatedAt: Date.now() },
    });
  return { category_id: category.id, level };
}

// ── drafts ──────────────────────────────────────────────────────────────────────────────────────

/** `topic:<category id>` (a new topic), `reply:<topic id>`, or `edit:<post id>`. */
export const DRAFT_KEY = /^(topic|reply|edit):[A-Za-z0-9_]{1,64}$/;
const MAX_DRAFT = 100_000;

function checkKey(key: string) {
  if (!DRAFT_KEY.test(key))
    throw badRequest("A draft key is `topic:<category id>`, `reply:<topic id>` or `edit:<post id>`.", {
      errors: [{ path: "key", message: "invalid draft key" }],
    });
}

export const serializeDraft = (d: typeof forumDrafts.$inferSelect) => ({
  key: d.key,
  title: d.title,
  body: d.bodyMarkdown,
  updated_at: iso(d.updatedAt),
});

export async function getDraft(db: Db, tenantId: string, memberId: string, key: string) {
  checkKey(key);
  const row = await db
    .select()
    .from(forumDrafts)
    .where(tenantScope(db, tenantId).where(forumDrafts, eq(forumDrafts.memberId, memberId), eq(forumDrafts.key, key)))
    .get();
  if (!row) throw notFound("Draft");
  return serializeDraft(row);
}

export async function putDraft(
  db: Db,
  tenantId: string,
  v: Viewer,
  key: string,
  input: { title?: string | null; body: string },
  who?: Who,
) {
  if (v.kind === "anonymous") throw forbidden("Sign in to save drafts.");
  checkKey(key);
  if (input.body.length > MAX_DRAFT)
    throw badRequest("The draft is too long.", { errors: [{ path: "body", message: "at most 100000 characters" }] });
  const acting = await actingMember(db, tenantId, v, who);
  const now = Date.now();
  const row = await db
    .insert(forumDrafts)
    .values({ tenantId, memberId: acting.id, key, title: input.title ?? null, bodyMarkdown: input.body, updatedAt: now })
    .onConflictDoUpdate({
      target: [forumDrafts.tenantId, forumDrafts.memberId, forumDrafts.key],
      set: { title: input.title ?? null, bodyMarkdown: input.body, updatedAt: now },
    })
    .returning()
    .get();
  return serializeDraft(row);
}

export async function deleteDraft(db: Db, tenantId: string, memberId: string, key: string): Promise<void> {
  checkKey(key);
  await db.delete(forumDrafts).where(and(eq(forumDrafts.tenantId, tenantId), eq(forumDrafts.memberId, memberId), eq(forumDrafts.key, key)));
}
