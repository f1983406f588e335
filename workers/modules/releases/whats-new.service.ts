import { and, eq, max, sql } from "drizzle-orm";
import { releaseNotes, releaseReads } from "../../../schema/releases";
import { tenantScope, type Db } from "../../platform/db";
import { iso } from "../../platform/request";
import { publishedCount, publishedNotes, type NoteRow } from "./notes.service";

/**
 * "What's new" for dashboard users: the workspace's published notes, each flagged unread when it
 * was published after the user's watermark (release_reads.read_through), and the unread count.
 *
 * Why a watermark rather than a row per note read: the panel shows every note at once, so opening
 * it reads them all; one row per user and workspace stays one row however many notes there are,
 * the count is one indexed range count, and it is the same model a tenant's site uses with
 * `since` on the public endpoint. The watermark is the `published_at` of the newest note the user
 * was shown (never the clock), so a note that the cron publishes while the panel is open is still
 * unread afterwards; it only moves forward.
 */

export const serializePublished = (n: NoteRow) => ({
  id: n.id,
  slug: n.slug,
  title: n.title,
  version: n.version,
  type: n.type,
  featured: n.featured,
  body_html: n.bodyHtml,
  published_at: new Date(n.publishedAt ?? n.updatedAt).toISOString(),
});

async function watermark(db: Db, tenantId: string, userId: string): Promise<number | undefined> {
  const row = await db
    .select({ readThrough: releaseReads.readThrough })
    .from(releaseReads)
    .where(tenantScope(db, tenantId).where(releaseReads, eq(releaseReads.userId, userId)))
    .get();
  return row?.readThrough;
}

export async function whatsNew(db: Db, tenantId: string, userId: string, limit: number) {
  const readThrough = await watermark(db, tenantId, userId);
  const [notes, unread] = await Promise.all([publishedNotes(db, tenantId, { limit }), publishedCount(db, tenantId, readThrough ?? -1)]);
  return {
    unread_count: unread,
    read_through: iso(readThrough),
    data: notes.map((n) => ({ ...serializePublished(n), unread: readThrough === undefined || (n.publishedAt ?? 0) > readThrough })),
  };
}

/**
 * Marks the workspace's notes read for this user up to `through` (the `published_at` of the newest
 * note the client showed; default: the newest published note). Returns the new state.
 */
export async function markRead(db: Db, tenantId: string, userId: string, through?: number) {
  const newest = await db
    .select({ at: max(releaseNotes.publishedAt) })
    .from(releaseNotes)
    .where(tenantScope(db, tenantId).where(releaseNotes, eq(releaseNotes.status, "published")))
    .get();
  const target = Math.min(through ?? Number.POSITIVE_INFINITY, newest?.at ?? 0);
  if (target > 0) {
    const now = Date.now();
    await db
      .insert(releaseReads)
      .values({ tenantId, userId, readThrough: target, updatedAt: now })
      .onConflictDoUpdate({
        target: [releaseReads.tenantId, releaseReads.userId],
        set: { readThrough: sql`max(${releaseReads.readThrough}, excluded.read_through)`, updatedAt: now },
        where: and(eq(releaseReads.tenantId, tenantId), eq(releaseReads.userId, userId)),
      });
  }
  const readThrough = await watermark(db, tenantId, userId);
  return { unread_count: await publishedCount(db, tenantId, readThrough ?? -1), read_through: iso(readThrough) };
}
