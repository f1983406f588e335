import { and, count, desc, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import { notifications } from "../../../schema/messaging";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";

type Row = typeof notifications.$inferSelect;
export const serializeNotification = (n: Row) => ({
  id: n.id,
  title: n.title,
  body: n.body,
  link: n.link,
  category: n.category,
  read_at: iso(n.readAt),
  created_at: iso(n.createdAt)!,
});

/** The in-app channel's delivery: one row per outbox message (a redelivery inserts nothing). */
export async function insertNotification(
  db: Db,
  n: { tenantId: string; userId: string; messageId: string; title: string; body: string; link: string | null; category: string },
) {
  await db
    .insert(notifications)
    .values({ ...n, id: newId("ntf"), readAt: null, createdAt: Date.now() })
    .onConflictDoNothing();
}

export async function listNotifications(db: Db, tenantId: string, userId: string, q: PageQuery & { unread?: boolean }) {
  const page = keyset(notifications.createdAt, notifications.id, q.cursor);
  const rows = await db
    .select()
    .from(notifications)
    .where(
      tenantScope(db, tenantId).where(
        notifications,
        eq(notifications.userId, userId),
        q.unread ? isNull(notifications.readAt) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeNotification);
}

/**
 * The latest `limit` unread notifications and how many are unread in all, in one query (the count is
 * a window over the same rows, taken before the limit) — the portal home's read, as an unexecuted
 * query and its mapper (run in the home's `db.batch()`).
 */
export function unreadOverviewRead(db: Db, tenantId: string, userId: string, limit: number) {
  const query = db
    .select({ ...getTableColumns(notifications), total: sql<number>`count(*) over ()` })
    .from(notifications)
    .where(tenantScope(db, tenantId).where(notifications, eq(notifications.userId, userId), isNull(notifications.readAt)))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
  type Row = Awaited<typeof query>[number];
  const map = (rows: Row[]) => ({
    unread: Number(rows[0]?.total ?? 0),
    recent: rows.map(({ total: _, ...r }) => serializeNotification(r)),
  });
  return { query, map };
}

export async function unreadCount(db: Db, tenantId: string, userId: string): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(notifications)
    .where(tenantScope(db, tenantId).where(notifications, eq(notifications.userId, userId), isNull(notifications.readAt)))
    .get();
  return row?.n ?? 0;
}

export async function markRead(db: Db, tenantId: string, userId: string, id: string) {
  const row = await db
    .select()
    .from(notifications)
    .where(tenantScope(db, tenantId).where(notifications, eq(notifications.userId, userId), eq(notifications.id, id)))
    .get();
  if (!row) throw notFound("Notification");
  if (row.readAt) return serializeNotification(row);
  const readAt = Date.now();
  await db
    .update(notifications)
    .set({ readAt })
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.id, id)));
  return serializeNotification({ ...row, readAt });
}

export async function markAllRead(db: Db, tenantId: string, userId: string): Promise<number> {
  const res = await db
    .update(notifications)
    .set({ readAt: Date.now() })
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return res.length;
}

/** Deletes every notification of one recipient (an end user's GDPR erase). Returns how many. */
export async function deleteNotificationsOf(db: Db, tenantId: string, userId: string): Promise<number> {
  const res = await db
    .delete(notifications)
    .where(and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId)))
    .returning({ id: notifications.id });
  return res.length;
}
