import { and, eq, type like, ne, or, sql, type SQL } from "drizzle-orm";
import { users } from "../../../schema/identity";
import { memberships, type Role } from "../../../schema/tenancy";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest, conflict, forbidden, notFound } from "../../platform/errors";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { ROLE_RANK } from "../../platform/rbac";

const memberColumns = {
  userId: memberships.userId,
  role: memberships.role,
  createdAt: memberships.createdAt,
  email: users.email,
  name: users.name,
};
type MemberRow = { userId: string; role: Role; createdAt: number; email: string; name: string };

export const serializeMember = (m: MemberRow) => ({
  user_id: m.userId,
  email: m.email,
  name: m.name,
  role: m.role,
  joined_at: iso(m.createdAt)!,
});

/** `LIKE` pattern for "contains", with the user's % and _ taken literally. */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
const likeEscaped = (col: Parameters<typeof like>[0], q: string) => sql`${col} like ${containsPattern(q)} escape '\\'`;

export async function listMembers(db: Db, tenantId: string, q: PageQuery & { q?: string; role?: Role }) {
  const scope = tenantScope(db, tenantId);
  const page = keyset(memberships.createdAt, memberships.userId, q.cursor);
  const search = q.q?.trim() ? or(likeEscaped(users.email, q.q.trim().toLowerCase()), likeEscaped(users.name, q.q.trim())) : undefined;
  const rows = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(scope.where(memberships, q.role ? eq(memberships.role, q.role) : undefined, search, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => ({ createdAt: r.createdAt, id: r.userId }), serializeMember);
}

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

/** `owner` rows of the tenant, counted inside the statement that needs the count. */
const ownerCount = (tenantId: string) =>
  sql`(select count(*) from ${memberships} m2 where m2.tenant_id = ${tenantId} and m2.role = 'owner')`;

/**
 * A batch statement that aborts the batch (D1 rolls back every statement) when `violated` holds for
 * the member's row, by writing NULL into the NOT NULL role column. Rules such as "never the last
 * owner" are thereby checked in the same transaction as the write and its audit row.
 */
function abortIf(db: Db, tenantId: string, userId: string, violated: SQL) {
  return db
    .update(memberships)
    .set({ role: sql`null` as unknown as Role })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId), violated));
}
const isAbort = (err: unknown) =>
  /NOT NULL constraint failed: memberships\.role/.test(`${(err as Error)?.message} ${(err as Error)?.cause ?? ""}`);

async function guardedBatch<T extends Parameters<Db["batch"]>[0]>(db: Db, statements: T, onAbort: () => Error) {
  try {
    return await db.batch(statements);
  } catch (err) {
    if (isAbort(err)) throw onAbort();
    throw err;
  }
}

const lastOwner = (action: string) =>
  conflict(`A workspace needs at least one owner; ${action}. Make another member owner (or transfer ownership) first.`, "last-owner");

/** Changes a member's role. `callerRole` caps what may be granted or touched (admins cannot touch owners). */
export async function changeMemberRole(db: Db, tenantId: string, input: { userId: string; role: Role; callerRole: Role }, actor: Actor) {
  const member = await getMember(db, tenantId, input.userId);
  if (ROLE_RANK[input.role] > ROLE_RANK[input.callerRole]) throw forbidden(`Your role (${input.callerRole}) cannot grant ${input.role}.`);
  if (ROLE_RANK[member.role] > ROLE_RANK[input.callerRole])
    throw forbidden(`Your role (${input.callerRole}) cannot change the role of an ${member.role}.`);
  if (member.role === input.role) return serializeMember(member);
  const now = Date.now();
  await guardedBatch(
    db,
    [
      // Abort if the role changed since we read it, or if this demotes the last owner.
      abortIf(
        db,
        tenantId,
        input.userId,
        or(ne(memberships.role, member.role), and(eq(memberships.role, "owner"), sql`${ownerCount(tenantId)} <= 1`))!,
      ),
      db
        .update(memberships)
        .set({ role: input.role, updatedAt: now })
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, input.userId))),
      auditInsert(db, actor, {
        tenantId,
        action: "member.role_changed",
        target: { type: "user", id: input.userId },
        metadata: { from: member.role, to: input.role },
      }),
    ],
    () =>
      member.role === "owner" ? lastOwner("this is the last owner") : conflict("The member's role changed meanwhile; reload and retry."),
  );
  return serializeMember({ ...member, role: input.role });
}

/** Removes a member (or, with `leaving`, the caller leaves). Never the last owner. */
export async function removeMember(db: Db, tenantId: string, input: { userId: string; callerRole: Role; leaving?: boolean }, actor: Actor) {
  const member = await getMember(db, tenantId, input.userId);
  if (!input.leaving && ROLE_RANK[member.role] > ROLE_RANK[input.callerRole]) {
    throw forbidden(`Your role (${input.callerRole}) cannot remove an ${member.role}.`);
  }
  const action = input.leaving ? "member.left" : "member.removed";
  await guardedBatch(
    db,
    [
      abortIf(db, tenantId, input.userId, and(eq(memberships.role, "owner"), sql`${ownerCount(tenantId)} <= 1`)!),
      db.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, input.userId))),
      auditInsert(db, actor, {
        tenantId,
        action,
        target: { type: "user", id: input.userId },
        metadata: { role: member.role, email: member.email },
      }),
    ],
    () =>
      input.leaving
        ? lastOwner("you are the last owner, so you cannot leave: transfer ownership to another member first")
        : lastOwner("the last owner cannot be removed"),
  );
}

/** The caller (an owner) hands ownership to another member and becomes admin, atomically. */
export async function transferOwnership(db: Db, tenantId: string, input: { fromUserId: string; toUserId: string }, actor: Actor) {
  if (input.fromUserId === input.toUserId) throw badRequest("You already own this workspace; choose another member.");
  const target = await getMember(db, tenantId, input.toUserId);
  const now = Date.now();
  await guardedBatch(
    db,
    [
      abortIf(db, tenantId, input.fromUserId, ne(memberships.role, "owner")),
      db
        .update(memberships)
        .set({ role: "owner", updatedAt: now })
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, input.toUserId))),
      db
        .update(memberships)
        .set({ role: "admin", updatedAt: now })
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, input.fromUserId))),
      auditInsert(db, actor, {
        tenantId,
        action: "ownership.transferred",
        target: { type: "user", id: input.toUserId },
        metadata: { from_user_id: input.fromUserId, to_user_id: input.toUserId, previous_role: target.role },
      }),
    ],
    () => forbidden("Only an owner can transfer ownership."),
  );
  return serializeMember({ ...target, role: "owner" });
}
