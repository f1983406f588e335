import { asc, eq, inArray, like, or, sql } from "drizzle-orm";
import { forumMembers } from "../../../schema/forum";
import type { Role } from "../../../schema/tenancy";
import type { EndUserPrincipal } from "../../platform/context";
import { tenantScope, type Db } from "../../platform/db";
import { getUserProfile } from "../../platform/directory";
import { notFound } from "../../platform/errors";
import { getEndUser } from "../endusers";
import type { ForumMemberRow, Viewer } from "./access";

/**
 * Forum members: a workspace's end users and staff get a `forum_members` row (keyed by their own
 * `eu_…`/`usr_…` id) the first time they act — post, react, vote, save a draft, set a notification
 * level. Reading needs no row. Usernames (@handles) come from the name (else the email's local
 * part), lower-case [a-z0-9_-], unique per workspace: `erin`, `erin2`, `erin3`…
 */

export interface MemberIdentity {
  kind: "enduser" | "staff";
  id: string;
  /** Display fields when the caller already has them (an end-user principal does); else looked up. */
  name?: string;
  email?: string;
}

export function usernameBase(name: string, email: string): string {
  const from = (s: string) =>
    s
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9_-]+/g, "")
      .replace(/^[-_]+/, "")
      .slice(0, 24);
  const fromName = from(name.split(/\s+/)[0] ?? "");
  const base = fromName.length >= 2 ? fromName : from(email.split("@")[0] ?? "");
  return base.length >= 2 ? base : "member";
}

async function freeUsername(db: Db, tenantId: string, base: string): Promise<string> {
  const taken = new Set(
    (
      await db
        .select({ u: forumMembers.username })
        .from(forumMembers)
        .where(tenantScope(db, tenantId).where(forumMembers, or(eq(forumMembers.username, base), like(forumMembers.username, `${base}%`))))
    ).map((r) => r.u),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

export async function getMemberRow(db: Db, tenantId: string, id: string): Promise<ForumMemberRow | null> {
  return (
    (await db
      .select()
      .from(forumMembers)
      .where(tenantScope(db, tenantId).where(forumMembers, eq(forumMembers.id, id)))
      .get()) ?? null
  );
}

/** The member row of an end user or staff user, created on their first action. */
export async function ensureMember(db: Db, tenantId: string, who: MemberIdentity): Promise<ForumMemberRow> {
  const existing = await getMemberRow(db, tenantId, who.id);
  if (existing) return existing;
  let name = who.name;
  let email = who.email;
  if (name === undefined || email === undefined) {
    if (who.kind === "enduser") {
      const u = await getEndUser(db, tenantId, who.id);
      name = u.name;
      email = u.email;
    } else {
      const u = await getUserProfile(db, who.id);
      if (!u) throw notFound("User");
      name = u.name;
      email = u.email;
    }
  }
  const base = usernameBase(name ?? "", email ?? "");
  const now = Date.now();
  // Two first actions at once may pick the same username: the unique index refuses one; retry.
  for (let attempt = 0; attempt < 4; attempt++) {
    const username = attempt < 3 ? await freeUsername(db, tenantId, base) : `${base}${now.toString(36).slice(-4)}`;
    const row = await db
      .insert(forumMembers)
      .values({
        tenantId,
        id: who.id,
        kind: who.kind,
        username,
        displayName: (name || username).slice(0, 80),
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning()
      .get();
    if (row) return row;
    const again = await getMemberRow(db, tenantId, who.id);
    if (again) return again;
  }
  throw new Error("could not pick a username");
}

/** The viewer of a public/end-user request: anonymous, or the end user (with their member row when they have one). */
export async function viewerForEndUser(db: Db, tenantId: string, user: EndUserPrincipal | null): Promise<Viewer> {
  if (!user) return { kind: "anonymous" };
  return { kind: "enduser", id: user.id, member: await getMemberRow(db, tenantId, user.id) };
}

export async function viewerForStaff(db: Db, tenantId: string, userId: string, role: Role): Promise<Viewer> {
  return { kind: "staff", id: userId, role, member: await getMemberRow(db, tenantId, userId) };
}

/** A viewer whose member row exists (created now if needed) — for writes. */
export async function actingMember(db: Db, tenantId: string, v: Viewer, who?: Pick<MemberIdentity, "name" | "email">) {
  if (v.kind === "anonymous") throw new Error("anonymous viewers do not act");
  if (v.member) return { ...v, member: v.member };
  const member = await ensureMember(db, tenantId, { kind: v.kind, id: v.id, ...who });
  return { ...v, member };
}

export interface AuthorView {
  id: string;
  username: string;
  display_name: string;
  trust_level: number;
  staff: boolean;
  moderator: boolean;
}

export const serializeAuthor = (m: ForumMemberRow): AuthorView => ({
  id: m.id,
  username: m.username,
  display_name: m.displayName,
  trust_level: m.trustLevel,
  staff: m.kind === "staff",
  moderator: m.kind === "staff" || m.moderator,
});

/** What a post or topic shows for an author whose member row is gone (erased). */
export const DELETED_AUTHOR: AuthorView = {
  id: "deleted",
  username: "deleted",
  display_name: "Deleted user",
  trust_level: 0,
  staff: false,
  moderator: false,
};

/** Display fields of many members in one query (chunked under D1's 100 bound parameters). */
export async function authorsOf(db: Db, tenantId: string, ids: Iterable<string>): Promise<Map<string, AuthorView>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, AuthorView>();
  for (let i = 0; i < unique.length; i += 90) {
    const rows = await db
      .select()
      .from(forumMembers)
      .where(tenantScope(db, tenantId).where(forumMembers, inArray(forumMembers.id, unique.slice(i, i + 90))));
    for (const r of rows) out.set(r.id, serializeAuthor(r));
  }
  return out;
}

export async function membersByUsernames(db: Db, tenantId: string, usernames: string[]): Promise<ForumMemberRow[]> {
  if (!usernames.length) return [];
  return db
    .select()
    .from(forumMembers)
    .where(tenantScope(db, tenantId).where(forumMembers, inArray(forumMembers.username, usernames.slice(0, 50))));
}

export async function memberByUsername(db: Db, tenantId: string, username: string): Promise<ForumMemberRow | null> {
  return (
    (await db
      .select()
      .from(forumMembers)
      .where(tenantScope(db, tenantId).where(forumMembers, eq(forumMembers.username, username.toLowerCase())))
      .get()) ?? null
  );
}

/** @mention autocomplete: members whose username or name starts with `q` (most active first). */
export async function mentionCandidates(db: Db, tenantId: string, q: string, limit = 8): Promise<AuthorView[]> {
  const prefix = `${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = await db
    .select()
    .from(forumMembers)
    .where(
      tenantScope(db, tenantId).where(
        forumMembers,
        or(sql`${forumMembers.username} like ${prefix} escape '\\'`, sql`lower(${forumMembers.displayName}) like ${prefix} escape '\\'`),
      ),
    )
    .orderBy(sql`${forumMembers.postCount} desc`, asc(forumMembers.username))
    .limit(limit);
  return rows.map(serializeAuthor);
}
