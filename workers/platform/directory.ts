import { eq, or, sql, type like } from "drizzle-orm";
import { users } from "../../schema/identity";
import { memberships, tenants, type Role } from "../../schema/tenancy";
import { containsPattern, mapRead, preparedOnce, readAll, tenantScope, type Db, type Read } from "./db";
import { notFound } from "./errors";
import { keyset, toPage, type PageQuery } from "./pagination";
import { iso } from "./request";

/**
 * The directory: read-only lookups of who is who that every module needs — a workspace's name and
 * slug, its members (with their display name and email), how many there are, a user's display
 * fields. They sit at the bottom (platform) so that billing, messaging, webhooks, chat… can read
 * them without importing modules/tenancy or modules/identity. Writes to tenants, memberships and
 * users stay in those two modules (docs/engineering.md, "Module boundaries").
 */

export type Tenant = typeof tenants.$inferSelect;

export async function getTenant(db: Db, tenantId: string): Promise<Tenant> {
  const t = await db.select().from(tenants).where(eq(tenants.id, tenantId)).get();
  if (!t) throw notFound("Workspace");
  return t;
}

/** A workspace by its slug (public pages address workspaces by slug); 404 problem when there is none. */
export async function getTenantBySlug(db: Db, slug: string): Promise<Tenant> {
  const t = await db.select().from(tenants).where(eq(tenants.slug, slug.toLowerCase())).get();
  if (!t) throw notFound("Workspace");
  return t;
}

const memberColumns = {
  userId: memberships.userId,
  role: memberships.role,
  createdAt: memberships.createdAt,
  email: users.email,
  name: users.name,
};
export type MemberRow = { userId: string; role: Role; createdAt: number; email: string; name: string };

export const serializeMember = (m: MemberRow) => ({
  user_id: m.userId,
  email: m.email,
  name: m.name,
  role: m.role,
  joined_at: iso(m.createdAt)!,
});

const likeEscaped = (col: Parameters<typeof like>[0], q: string) => sql`${col} like ${containsPattern(q)} escape '\\'`;

const firstMembersPage = (db: Db) =>
  preparedOnce(db, "directory.firstMembersPage", (d) => {
    const page = keyset(memberships.createdAt, memberships.userId);
    return d
      .select(memberColumns)
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, sql.placeholder("tenant")))
      .orderBy(...page.orderBy)
      .limit(sql.placeholder("limit"))
      .prepare();
  });

/** A page of the workspace's members (optionally one role, or matching `q` in name or email). */
export function listMembers(db: Db, tenantId: string, q: MembersQuery) {
  return membersPage(db, tenantId, q).run();
}

type MembersQuery = PageQuery & { q?: string; role?: Role };

/** The same page as a read not yet run (platform/db.ts `Read`): the members route sends it together with its access lookup. */
export function membersPage(
  db: Db,
  tenantId: string,
  q: MembersQuery,
): Read<{ data: ReturnType<typeof serializeMember>[]; next_cursor: string | null }> {
  const page = (rows: MemberRow[]) => toPage(rows, q.limit, (r) => ({ createdAt: r.createdAt, id: r.userId }), serializeMember);
  if (!q.cursor && !q.role && !q.q?.trim()) {
    // The unfiltered first page (the Team page, most API reads) through a prepared statement.
    return mapRead(readAll<MemberRow>(firstMembersPage(db), { tenant: tenantId, limit: q.limit + 1 }), page);
  }
  const scope = tenantScope(db, tenantId);
  const keys = keyset(memberships.createdAt, memberships.userId, q.cursor);
  const search = q.q?.trim() ? or(likeEscaped(users.email, q.q.trim().toLowerCase()), likeEscaped(users.name, q.q.trim())) : undefined;
  const query = db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(scope.where(memberships, q.role ? eq(memberships.role, q.role) : undefined, search, keys.where))
    .orderBy(...keys.orderBy)
    .limit(q.limit + 1)
    .prepare();
  return mapRead(readAll<MemberRow>(query), page);
}

/** One member of the workspace; 404 problem when the user is not a member. */
export async function getMember(db: Db, tenantId: string, userId: string): Promise<MemberRow> {
  const row = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(tenantScope(db, tenantId).where(memberships, eq(memberships.userId, userId)))
    .get();
  if (!row) throw notFound("Member");
  return row;
}

export async function memberCount(db: Db, tenantId: string): Promise<number> {
  return db.$count(memberships, eq(memberships.tenantId, tenantId));
}

/** A user's display fields (never credentials: those stay in modules/identity). */
export interface UserProfile {
  id: string;
  name: string;
  email: string;
}
const profileColumns = { id: users.id, name: users.name, email: users.email };

export const getUserProfile = (db: Db, userId: string): Promise<UserProfile | undefined> =>
  db.select(profileColumns).from(users).where(eq(users.id, userId)).get();

export const findUserProfileByEmail = (db: Db, email: string): Promise<UserProfile | undefined> =>
  db.select(profileColumns).from(users).where(eq(users.email, email.toLowerCase())).get();
