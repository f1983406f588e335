import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const RELEASE_TYPES = ["feature", "fix", "improvement", "security"] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];
export const RELEASE_STATUSES = ["draft", "scheduled", "published"] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/**
 * A release note of a workspace (modules/releases). `body_html` is `body_md` rendered by the
 * server's sanitising renderer (workers/platform/markdown.ts) whenever the body is written, so
 * pages, feeds and the API serve it without rendering on each read. `published_at` is when the
 * note became public (the publish call, or the cron tick that published a scheduled note);
 * `publish_at` is the time a scheduled note is due.
 */
export const releaseNotes = sqliteTable(
  "release_notes",
  {
    tenantId: tenantId(),
    id: id(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    version: text("version"),
    type: text("type", { enum: RELEASE_TYPES }).notNull(),
    bodyMd: text("body_md").notNull(),
    bodyHtml: text("body_html").notNull(),
    featured: integer("featured", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: RELEASE_STATUSES }).notNull(),
    publishAt: timestamp("publish_at"),
    publishedAt: timestamp("published_at"),
    createdBy: text("created_by"), // user id; null for API keys and the seed
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("release_notes_slug_uq").on(t.tenantId, t.slug),
    index("release_notes_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("release_notes_tenant_status_published_idx").on(t.tenantId, t.status, t.publishedAt),
    // The one cross-tenant read: the cron tick's "scheduled and due" scan (like outbox_status_send_at_idx).
    index("release_notes_due_idx").on(t.status, t.publishAt),
  ],
);

/**
 * What a dashboard user has read of a workspace's release notes: a watermark, the `published_at`
 * of the newest note they have seen. Unread = published after it. One row per user and workspace
 * (no row: everything is unread).
 */
export const releaseReads = sqliteTable(
  "release_reads",
  {
    tenantId: tenantId(),
    userId: text("user_id").notNull(),
    readThrough: integer("read_through").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);
