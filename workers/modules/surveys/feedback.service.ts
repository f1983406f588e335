import { and, asc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { feedbackItems, feedbackReplies, type FeedbackCategory, type FeedbackStatus } from "../../../schema/surveys";
import { auditInsert, type Actor } from "../../platform/audit";
import { containsPattern, tenantScope, type Db } from "../../platform/db";
import { getMember, getTenant } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage } from "../../platform/pagination";
import { isoAt } from "./time";
import { send } from "../messaging";
import { deleteScreenshot, signedScreenshotPath, storeScreenshot, type StoredScreenshot } from "./screenshot";

export type FeedbackRow = typeof feedbackItems.$inferSelect;

export interface FeedbackSubmission {
  clientId: string | null;
  category: FeedbackCategory;
  message: string;
  pageUrl: string | null;
  email: string | null;
  distinctId: string | null;
  userAgent: string | null;
  screenshot: Blob | null;
}

/** Stores a feedback item (and its screenshot); a retried submission with the same client id is stored once. */
export async function createFeedback(
  db: Db,
  files: R2Bucket,
  tenantId: string,
  s: FeedbackSubmission,
): Promise<{ item: FeedbackRow; duplicate: boolean }> {
  const scope = tenantScope(db, tenantId);
  if (s.clientId) {
    const existing = await db
      .select()
      .from(feedbackItems)
      .where(scope.where(feedbackItems, eq(feedbackItems.clientId, s.clientId)))
      .get();
    if (existing) return { item: existing, duplicate: true };
  }
  const id = newId("fb");
  const shot: StoredScreenshot | null = s.screenshot ? await storeScreenshot(files, tenantId, id, s.screenshot) : null;
  const now = Date.now();
  const row: FeedbackRow = {
    tenantId,
    id,
    clientId: s.clientId,
    category: s.category,
    message: s.message,
    pageUrl: s.pageUrl,
    email: s.email?.toLowerCase() ?? null,
    distinctId: s.distinctId,
    userAgent: s.userAgent?.slice(0, 300) ?? null,
    status: "open",
    assigneeId: null,
    tags: [],
    screenshotKey: shot?.key ?? null,
    screenshotType: shot?.type ?? null,
    screenshotBytes: shot?.bytes ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await db.insert(feedbackItems).values(row).onConflictDoNothing().returning({ id: feedbackItems.id });
  if (!inserted.length) {
    // Lost a race with the same client id: keep the first one, drop our copy of the screenshot.
    if (shot) await deleteScreenshot(files, shot.key);
    const first = await db
      .select()
      .from(feedbackItems)
      .where(scope.where(feedbackItems, eq(feedbackItems.clientId, s.clientId ?? "")))
      .get();
    if (!first) throw notFound("Feedback");
    return { item: first, duplicate: true };
  }
  return { item: row, duplicate: false };
}

export interface FeedbackFilter {
  limit: number;
  cursor?: string;
  status?: FeedbackStatus;
  category?: FeedbackCategory;
  assignee?: string; // a user id, or "none"
  tag?: string;
  q?: string;
}

export async function listFeedback(db: Db, tenantId: string, f: FeedbackFilter) {
  const page = keyset(feedbackItems.createdAt, feedbackItems.id, f.cursor);
  const conds: (SQL | undefined)[] = [page.where];
  if (f.status) conds.push(eq(feedbackItems.status, f.status));
  if (f.category) conds.push(eq(feedbackItems.category, f.category));
  if (f.assignee === "none") conds.push(isNull(feedbackItems.assigneeId));
  else if (f.assignee) conds.push(eq(feedbackItems.assigneeId, f.assignee));
  if (f.tag) conds.push(sql`exists (select 1 from json_each(${feedbackItems.tags}) where value = ${f.tag.toLowerCase()})`);
  if (f.q?.trim()) {
    const p = containsPattern(f.q.trim());
    conds.push(or(sql`${feedbackItems.message} like ${p} escape '\\'`, sql`${feedbackItems.email} like ${p} escape '\\'`));
  }
  const rows = await db
    .select()
    .from(feedbackItems)
    .where(tenantScope(db, tenantId).where(feedbackItems, ...conds))
    .orderBy(...page.orderBy)
    .limit(f.limit + 1);
  return toPage(rows, f.limit, (r) => r, serializeFeedback);
}

export async function getFeedback(db: Db, tenantId: string, id: string): Promise<FeedbackRow> {
  const row = await db
    .select()
    .from(feedbackItems)
    .where(tenantScope(db, tenantId).where(feedbackItems, eq(feedbackItems.id, id)))
    .get();
  if (!row) throw notFound("Feedback");
  return row;
}

export async function feedbackDetail(db: Db, env: Env, tenantId: string, id: string) {
  const item = await getFeedback(db, tenantId, id);
  const replies = await db
    .select()
    .from(feedbackReplies)
    .where(tenantScope(db, tenantId).where(feedbackReplies, eq(feedbackReplies.feedbackId, id)))
    .orderBy(asc(feedbackReplies.createdAt));
  return {
    ...serializeFeedback(item),
    user_agent: item.userAgent,
    screenshot_url: item.screenshotKey ? await signedScreenshotPath(env, tenantId, id) : null,
    replies: replies.map((r) => ({
      id: r.id,
      author_id: r.authorId,
      body: r.body,
      message_id: r.messageId,
      created_at: isoAt(r.createdAt),
    })),
  };
}

export interface FeedbackPatch {
  status?: FeedbackStatus;
  assignee_id?: string | null;
  tags?: string[];
}

export async function updateFeedback(db: Db, tenantId: string, id: string, patch: FeedbackPatch, actor: Actor) {
  const cur = await getFeedback(db, tenantId, id);
  if (patch.assignee_id)
    await getMember(db, tenantId, patch.assignee_id).catch(() => {
      throw badRequest("The assignee must be a member of this workspace.", { errors: [{ path: "assignee_id", message: "Not a member" }] });
    });
  const next = {
    status: patch.status ?? cur.status,
    assigneeId: patch.assignee_id === undefined ? cur.assigneeId : patch.assignee_id,
    tags: patch.tags ? [...new Set(patch.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))] : cur.tags,
    updatedAt: Date.now(),
  };
  await db.batch([
    db
      .update(feedbackItems)
      .set(next)
      .where(and(eq(feedbackItems.tenantId, tenantId), eq(feedbackItems.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "surveys.feedback_updated",
      target: { type: "feedback", id },
      metadata: { fields: Object.keys(patch) },
    }),
  ]);
  return serializeFeedback({ ...cur, ...next });
}

/** Emails the submitter through messaging's editable `surveys.feedback_reply` template and keeps the reply. */
export async function replyToFeedback(db: Db, env: Env, tenantId: string, id: string, body: string, actor: Actor) {
  const item = await getFeedback(db, tenantId, id);
  if (!item.email)
    throw badRequest("This feedback was sent without an email address, so there is no one to reply to.", {
      errors: [{ path: "body", message: "The submitter left no email" }],
    });
  const tenant = await getTenant(db, tenantId);
  const replyId = newId("fbr");
  const queued = await send(db, env.OUTBOX, {
    tenantId,
    to: { email: item.email },
    channels: ["email"],
    template: "surveys.feedback_reply",
    data: { workspace: tenant.name, reply: body, feedback: item.message, page: item.pageUrl ?? "" },
    category: "transactional",
    idempotencyKey: `feedback-reply:${replyId}`,
  });
  const now = Date.now();
  const row = { tenantId, id: replyId, feedbackId: id, authorId: actor.id, body, messageId: queued[0] ?? null, createdAt: now };
  await db.batch([
    db.insert(feedbackReplies).values(row),
    db
      .update(feedbackItems)
      .set({ updatedAt: now, status: item.status === "open" ? "in_progress" : item.status })
      .where(and(eq(feedbackItems.tenantId, tenantId), eq(feedbackItems.id, id))),
    auditInsert(db, actor, { tenantId, action: "surveys.feedback_replied", target: { type: "feedback", id } }),
  ]);
  return { id: replyId, author_id: actor.id, body, message_id: row.messageId, created_at: isoAt(now) };
}

export async function deleteFeedback(db: Db, files: R2Bucket, tenantId: string, id: string, actor: Actor) {
  const item = await getFeedback(db, tenantId, id);
  await db.batch([
    db.delete(feedbackReplies).where(and(eq(feedbackReplies.tenantId, tenantId), eq(feedbackReplies.feedbackId, id))),
    db.delete(feedbackItems).where(and(eq(feedbackItems.tenantId, tenantId), eq(feedbackItems.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "surveys.feedback_deleted",
      target: { type: "feedback", id },
      metadata: { category: item.category, had_screenshot: !!item.screenshotKey },
    }),
  ]);
  if (item.screenshotKey) await deleteScreenshot(files, item.screenshotKey);
}

export const serializeFeedback = (r: FeedbackRow) => ({
  id: r.id,
  category: r.category,
  message: r.message,
  page_url: r.pageUrl,
  email: r.email,
  distinct_id: r.distinctId,
  status: r.status,
  assignee_id: r.assigneeId,
  tags: r.tags,
  has_screenshot: !!r.screenshotKey,
  created_at: isoAt(r.createdAt),
  updated_at: isoAt(r.updatedAt),
});
