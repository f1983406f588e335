/**
 * For the team set-up wizard (modules/wizards/kinds/team.ts): which of a pasted list of addresses
 * are already members or already invited, and how many seats are taken — so each row gets its own
 * error before anything is sent.
 */
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { users } from "../../../schema/identity";
import { invitations, memberships } from "../../../schema/tenancy";
import type { Db } from "../../platform/db";
import { seatsTakenSql } from "./invitation-seats";

export async function inviteeConflicts(db: Db, tenantId: string, emails: string[], at = Date.now()) {
  const list = [...new Set(emails.map((e) => e.trim().toLowerCase()))].slice(0, 90);
  const [members, pending, taken] = await Promise.all([
    list.length
      ? db
          .select({ email: users.email })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(and(eq(memberships.tenantId, tenantId), inArray(users.email, list)))
      : [],
    list.length
      ? db
          .select({ email: invitations.email })
          .from(invitations)
          .where(
            and(
              eq(invitations.tenantId, tenantId),
              inArray(invitations.email, list),
              isNull(invitations.acceptedAt),
              isNull(invitations.revokedAt),
              gt(invitations.expiresAt, at),
            ),
          )
      : [],
    db.all<{ n: number }>(sql`select ${seatsTakenSql(tenantId, at)} as n`),
  ]);
  return {
    members: new Set(members.map((m) => m.email)),
    pending: new Set(pending.map((p) => p.email)),
    seatsTaken: Number(taken[0]?.n ?? 0),
  };
}
