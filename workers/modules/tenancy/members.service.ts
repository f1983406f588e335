import { and, eq, ne, or, sql, type SQL } from "drizzle-orm";
import { memberships, type Role } from "../../../schema/tenancy";
import { auditInsert, type Actor } from "../../platform/audit";
import { forgetAccess } from "../../platform/auth";
import type { Db } from "../../platform/db";
import { getMember, serializeMember } from "../../platform/directory";
import { badRequest, conflict, forbidden } from "../../platform/errors";
import { ROLE_RANK } from "../../platform/rbac";

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
  forgetAccess(input.userId);
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
  forgetAccess(input.userId);
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
  forgetAccess(input.fromUserId);
  forgetAccess(input.toUserId);
  return serializeMember({ ...target, role: "owner" });
}
