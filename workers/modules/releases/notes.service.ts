import { and, desc, eq, lte, sql, type SQL } from "drizzle-orm";
import { releaseNotes, type ReleaseStatus, type ReleaseType } from "../../../schema/releases";
import { auditInsert, type Actor } from "../../platform/audit";
import { containsPattern, tenantScope, type Db } from "../../platform/db";
import { badRequest, conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { renderMarkdown } from "../../platform/markdown";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";

/** Release notes: the dashboard's CRUD and the publishing life cycle (draft → scheduled → published). */

export type NoteRow = typeof releaseNotes.$inferSelect;

export const serializeNote = (n: NoteRow) => ({
  id: n.id,
  slug: n.slug,
  title: n.title,
  version: n.version,
  type: n.type,
  body_md: n.bodyMd,
  body_html: n.bodyHtml,
  featured: n.featured,
  status: n.status,
  publish_at: iso(n.publishAt),
  published_at: iso(n.publishedAt),
  created_by: n.createdBy,
  updated_by: n.updatedBy,
  created_at: new Date(n.createdAt).toISOString(),
  updated_at: new Date(n.updatedAt).toISOString(),
});

export interface NoteInput {
  title: string;
  version?: string | null;
  type: ReleaseType;
  body_md: string;
  featured?: boolean;
  slug?: string;
}

const SLUG_MAX = 80;
export const NOTE_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

/** "2.4.0" + "Faster search" → "2-4-0-faster-search". */
export function noteSlug(title: string, version?: string | null): string {
  const base = `${version ?? ""} ${title}`
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX - 4)
    .replace(/-+$/, "");
  return base || "release";
}

/** The wanted slug if free in this workspace, else the first free `<slug>-2`, `-3`… */
async function freeSlug(db: Db, tenantId: string, wanted: string, exceptId?: string): Promise<string> {
  const taken = new Set(
    (
      await db
        .select({ slug: releaseNotes.slug, id: releaseNotes.id })
        .from(releaseNotes)
        .where(
          tenantScope(db, tenantId).where(
            releaseNotes,
            sql`(${releaseNotes.slug} = ${wanted} or ${releaseNotes.slug} like ${`${wanted}-%`})`,
          ),
        )
    )
      .filter((r) => r.id !== exceptId)
      .map((r) => r.slug),
  );
  if (!taken.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!taken.has(`${wanted}-${i}`)) return `${wanted}-${i}`;
}

async function slugInUse(db: Db, tenantId: string, slug: string, exceptId?: string): Promise<boolean> {
  const row = await db
    .select({ id: releaseNotes.id })
    .from(releaseNotes)
    .where(tenantScope(db, tenantId).where(releaseNotes, eq(releaseNotes.slug, slug)))
    .get();
  return !!row && row.id !== exceptId;
}
const slugConflict = (slug: string) => conflict(`Another release note of this workspace already has the slug "${slug}".`, "slug-taken");
const isSlugRace = (err: unknown) =>
  /UNIQUE constraint failed: release_notes\.tenant_id, release_notes\.slug/.test(String((err as Error)?.cause ?? err));

export async function getNoteRow(db: Db, tenantId: string, id: string): Promise<NoteRow> {
  const row = await db
    .select()
    .from(releaseNotes)
    .where(tenantScope(db, tenantId).where(releaseNotes, eq(releaseNotes.id, id)))
    .get();
  if (!row) throw notFound("Release note");
  return row;
}

export interface NoteListQuery extends PageQuery {
  status?: ReleaseStatus;
  type?: ReleaseType;
  q?: string;
}

/** The dashboard's list: every status, newest written first; filters by status and type, search in title and version. */
export async function listNotes(db: Db, tenantId: string, q: NoteListQuery) {
  const page = keyset(releaseNotes.createdAt, releaseNotes.id, q.cursor);
  const term = q.q?.trim();
  const search = term
    ? sql`(${releaseNotes.title} like ${containsPattern(term)} escape '\\' or ${releaseNotes.version} like ${containsPattern(term)} escape '\\')`
    : undefined;
  const rows = await db
    .select()
    .from(releaseNotes)
    .where(
      tenantScope(db, tenantId).where(
        releaseNotes,
        q.status ? eq(releaseNotes.status, q.status) : undefined,
        q.type ? eq(releaseNotes.type, q.type) : undefined,
        search,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeNote);
}

export async function createNote(db: Db, tenantId: string, input: NoteInput, actor: Actor) {
  const now = Date.now();
  if (input.slug && (await slugInUse(db, tenantId, input.slug))) throw slugConflict(input.slug);
  const row: NoteRow = {
    tenantId,
    id: newId("rel"),
    slug: input.slug ?? (await freeSlug(db, tenantId, noteSlug(input.title, input.version))),
    title: input.title,
    version: input.version || null,
    type: input.type,
    bodyMd: input.body_md,
    bodyHtml: renderMarkdown(input.body_md),
    featured: input.featured ?? false,
    status: "draft",
    publishAt: null,
    publishedAt: null,
    createdBy: actor.type === "user" ? actor.id : null,
    updatedBy: actor.type === "user" ? actor.id : null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.batch([
      db.insert(releaseNotes).values(row),
      auditInsert(db, actor, {
        tenantId,
        action: "release_note.created",
        target: { type: "release_note", id: row.id },
        metadata: { title: row.title, version: row.version },
      }),
    ]);
  } catch (err) {
    if (isSlugRace(err)) throw slugConflict(row.slug);
    throw err;
  }
  return serializeNote(row);
}

export async function updateNote(db: Db, tenantId: string, id: string, patch: Partial<NoteInput>, actor: Actor) {
  const row = await getNoteRow(db, tenantId, id);
  if (patch.slug && patch.slug !== row.slug && (await slugInUse(db, tenantId, patch.slug, id))) throw slugConflict(patch.slug);
  const next: NoteRow = {
    ...row,
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.version !== undefined ? { version: patch.version || null } : {}),
    ...(patch.type !== undefined ? { type: patch.type } : {}),
    ...(patch.featured !== undefined ? { featured: patch.featured } : {}),
    ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
    ...(patch.body_md !== undefined ? { bodyMd: patch.body_md, bodyHtml: renderMarkdown(patch.body_md) } : {}),
    updatedBy: actor.type === "user" ? actor.id : row.updatedBy,
    updatedAt: Date.now(),
  };
  const changed = (Object.keys(patch) as (keyof NoteInput)[]).filter((k) => patch[k] !== undefined);
  try {
    await db.batch([
      db
        .update(releaseNotes)
        .set(next)
        .where(tenantScope(db, tenantId).where(releaseNotes, eq(releaseNotes.id, id))),
      auditInsert(db, actor, {
        tenantId,
        action: "release_note.updated",
        target: { type: "release_note", id },
        metadata: { fields: changed },
      }),
    ]);
  } catch (err) {
    if (isSlugRace(err)) throw slugConflict(next.slug);
    throw err;
  }
  return serializeNote(next);
}

/** Sets the status fields of one note and audits it, in one batch. */
async function transition(
  db: Db,
  tenantId: string,
  id: string,
  actor: Actor,
  action: string,
  set: Pick<NoteRow, "status" | "publishAt" | "publishedAt">,
  metadata: Record<string, unknown> = {},
) {
  const row = await getNoteRow(db, tenantId, id);
  const next: NoteRow = { ...row, ...set, updatedBy: actor.type === "user" ? actor.id : row.updatedBy, updatedAt: Date.now() };
  await db.batch([
    db
      .update(releaseNotes)
      .set({
        status: next.status,
        publishAt: next.publishAt,
        publishedAt: next.publishedAt,
        updatedBy: next.updatedBy,
        updatedAt: next.updatedAt,
      })
      .where(tenantScope(db, tenantId).where(releaseNotes, eq(releaseNotes.id, id))),
    auditInsert(db, actor, { tenantId, action, target: { type: "release_note", id }, metadata: { title: row.title, ...metadata } }),
  ]);
  return { before: row, after: serializeNote(next) };
}

/** Publishes now. Publishing a published note changes nothing (its date stays). */
export async function publishNote(db: Db, tenantId: string, id: string, actor: Actor) {
  const row = await getNoteRow(db, tenantId, id);
  if (row.status === "published") return serializeNote(row);
  return (
    await transition(db, tenantId, id, actor, "release_note.published", { status: "published", publishAt: null, publishedAt: Date.now() })
  ).after;
}

/** Schedules for `publishAt` (must be in the future); the cron tick after it publishes the note. */
export async function scheduleNote(db: Db, tenantId: string, id: string, publishAt: number, actor: Actor) {
  if (publishAt <= Date.now()) throw badRequest("`publish_at` must be in the future; to publish now, use the publish action.");
  return (
    await transition(
      db,
      tenantId,
      id,
      actor,
      "release_note.scheduled",
      { status: "scheduled", publishAt, publishedAt: null },
      { publish_at: iso(publishAt) },
    )
  ).after;
}

/** Back to draft: off the changelog, the feeds and What's new (a scheduled note loses its date). */
export async function unpublishNote(db: Db, tenantId: string, id: string, actor: Actor) {
  const row = await getNoteRow(db, tenantId, id);
  if (row.status === "draft") return serializeNote(row);
  return (await transition(db, tenantId, id, actor, "release_note.unpublished", { status: "draft", publishAt: null, publishedAt: null }))
    .after;
}

export async function deleteNote(db: Db, tenantId: string, id: string, actor: Actor) {
  const row = await getNoteRow(db, tenantId, id);
  await db.batch([
    db.delete(releaseNotes).where(tenantScope(db, tenantId).where(releaseNotes, eq(releaseNotes.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "release_note.deleted",
      target: { type: "release_note", id },
      metadata: { title: row.title, status: row.status },
    }),
  ]);
}

/**
 * The cron tick: every scheduled note whose `publish_at` is at or before `now` becomes published,
 * dated `now` (when it became public, which is what What's new watermarks and `since` compare
 * with). Each is audited as the system's. Idempotent: a second tick finds nothing due.
 */
export async function publishDue(db: Db, now: number, limit = 200): Promise<{ published: number }> {
  const due = await db
    .select({ id: releaseNotes.id, tenantId: releaseNotes.tenantId, title: releaseNotes.title, publishAt: releaseNotes.publishAt })
    .from(releaseNotes)
    .where(and(eq(releaseNotes.status, "scheduled"), lte(releaseNotes.publishAt, now)))
    .orderBy(releaseNotes.publishAt)
    .limit(limit);
  if (!due.length) return { published: 0 };
  const system: Actor = { type: "system", id: null, ip: null, userAgent: "cron" };
  const statements = due.flatMap((n) => [
    db
      .update(releaseNotes)
      .set({ status: "published", publishedAt: now, updatedAt: now })
      // Still scheduled for the same time: an edit between the read and this write wins.
      .where(
        and(
          eq(releaseNotes.tenantId, n.tenantId),
          eq(releaseNotes.id, n.id),
          eq(releaseNotes.status, "scheduled"),
          n.publishAt === null ? undefined : eq(releaseNotes.publishAt, n.publishAt),
        ),
      ),
    auditInsert(db, system, {
      tenantId: n.tenantId,
      action: "release_note.published",
      target: { type: "release_note", id: n.id },
      metadata: { title: n.title, scheduled_for: iso(n.publishAt) },
    }),
  ]);
  await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
  return { published: due.length };
}

/** Published notes of a workspace, newest published first (the public changelog, feeds, What's new). */
export async function publishedNotes(
  db: Db,
  tenantId: string,
  opts: { limit: number; offset?: number; featuredFirst?: boolean; since?: number },
): Promise<NoteRow[]> {
  const conds: (SQL | undefined)[] = [eq(releaseNotes.status, "published")];
  if (opts.since !== undefined) conds.push(sql`${releaseNotes.publishedAt} > ${opts.since}`);
  return db
    .select()
    .from(releaseNotes)
    .where(tenantScope(db, tenantId).where(releaseNotes, ...conds))
    .orderBy(...(opts.featuredFirst ? [desc(releaseNotes.featured)] : []), desc(releaseNotes.publishedAt), desc(releaseNotes.id))
    .limit(opts.limit)
    .offset(opts.offset ?? 0);
}

export async function publishedCount(db: Db, tenantId: string, since?: number): Promise<number> {
  return db.$count(
    releaseNotes,
    tenantScope(db, tenantId).where(
      releaseNotes,
      eq(releaseNotes.status, "published"),
      since !== undefined ? sql`${releaseNotes.publishedAt} > ${since}` : undefined,
    ),
  );
}

export async function publishedBySlug(db: Db, tenantId: string, slug: string): Promise<NoteRow> {
  const row = await db
    .select()
    .from(releaseNotes)
    .where(tenantScope(db, tenantId).where(releaseNotes, eq(releaseNotes.slug, slug), eq(releaseNotes.status, "published")))
    .get();
  if (!row) throw notFound("Release note");
  return row;
}
